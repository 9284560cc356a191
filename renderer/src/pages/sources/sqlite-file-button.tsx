// "Choose file…" beside a SQLite source's path: the file as this host lets the engine read it, a
// granted handle in the desktop app, an upload in the browser (whose host reads only its uploads,
// so a refresh there reads the uploaded copy). The path field then holds what the engine was given.
import { useState } from 'react';
import { toApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { FileButton } from '../../components/file-button.js';
import { formatBytes } from '../../lib/format.js';

const SQLITE_FILES = '.sqlite,.sqlite3,.db,.db3,application/vnd.sqlite3,application/x-sqlite3';

interface SqliteFileButtonProps {
  onPath: (path: string) => void;
  onError: (message: string) => void;
}

export function SqliteFileButton({ onPath, onError }: SqliteFileButtonProps) {
  const { transport } = useApp();
  const [sending, setSending] = useState<{ sent: number; total: number } | undefined>(undefined);
  const choose = (files: File[]) => {
    const file = files[0];
    if (!file) return;
    const source = transport.sourceFor(file);
    const given =
      source.kind === 'handle'
        ? source.grant()
        : source.start((sent, total) => setSending({ sent, total })).done.then((u) => u.path);
    setSending({ sent: 0, total: file.size });
    given.then(onPath, (err: unknown) => onError(toApiError(err).message)).finally(() => setSending(undefined));
  };
  return (
    <div className="sqlite-file">
      <FileButton
        onFiles={choose}
        primary={false}
        multiple={false}
        accept={SQLITE_FILES}
        label={sending ? 'Uploading…' : 'Choose file…'}
        testId="source-sqlite"
        inputLabel="Choose a SQLite file"
        disabled={sending !== undefined}
      />
      {sending && transport.host === 'browser' && (
        <span className="small muted">
          {formatBytes(sending.sent)} of {formatBytes(sending.total)}
        </span>
      )}
    </div>
  );
}
