// "Import folder…" in the desktop app: the system's folder dialog (main grants the chosen folder),
// then an import of its pictures like any other. A browser cannot upload a folder as one file,
// so there it is not shown (a .zip of the folder is imported instead).
import { useApp } from '../../app-context.js';
import { toApiError } from '../../api/api-error.js';

export function FolderButton({ className = 'btn', testId = 'import-folder' }: { className?: string; testId?: string }) {
  const { transport, imports } = useApp();
  const choose = transport.chooseFolder;
  if (!choose) return null;
  const onClick = () => {
    choose().then(
      (chosen) => {
        if (chosen) imports.startGranted(chosen);
      },
      (err: unknown) => imports.reject('folder', toApiError(err)),
    );
  };
  return (
    <button
      type="button"
      className={className}
      onClick={onClick}
      title="A folder with one folder of pictures per class"
      data-testid={testId}
    >
      Import folder…
    </button>
  );
}
