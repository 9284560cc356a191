// "Import file…": a real <input type=file> behind a button, so keyboard, screen readers and
// Playwright's setInputFiles all work.
import { useRef } from 'react';

/** Table files, and a .zip of a folder of pictures (which imports as an image dataset). */
export const ACCEPTED = '.csv,.tsv,.txt,.json,.ndjson,.jsonl,.parquet,.zip,text/csv,application/json,application/zip';

interface FileButtonProps {
  onFiles: (files: File[]) => void;
  primary?: boolean;
  /** Prefix for the button's and input's test ids, where a page has more than one. */
  testId?: string;
  /** Test ids of their own, where tests already know the button and input by other names. */
  buttonTestId?: string;
  inputTestId?: string;
  /** The button's classes, in place of the primary or plain button's. */
  className?: string;
  /** The button's tooltip. */
  title?: string;
  label?: string;
  accept?: string;
  multiple?: boolean;
  /** What the hidden input is for, for screen readers. */
  inputLabel?: string;
  disabled?: boolean;
}

export function FileButton({
  onFiles,
  primary = true,
  testId = 'import',
  buttonTestId = `${testId}-button`,
  inputTestId = `${testId}-file-input`,
  className,
  title,
  label = 'Import file…',
  accept = ACCEPTED,
  multiple = true,
  inputLabel = 'Choose a data file to import',
  disabled = false,
}: FileButtonProps) {
  const input = useRef<HTMLInputElement>(null);
  return (
    <>
      <button
        type="button"
        className={className ?? (primary ? 'btn btn-primary' : 'btn')}
        disabled={disabled}
        onClick={() => input.current?.click()}
        title={title}
        data-testid={buttonTestId}
      >
        {label}
      </button>
      <input
        ref={input}
        type="file"
        accept={accept}
        multiple={multiple}
        hidden
        data-testid={inputTestId}
        aria-label={inputLabel}
        onChange={(ev) => {
          const files = Array.from(ev.target.files ?? []);
          // Reset so choosing the same file again (e.g. after editing it) fires change again.
          ev.target.value = '';
          if (files.length > 0) onFiles(files);
        }}
      />
    </>
  );
}
