// Files dropped anywhere on the window are imported. The overlay shows while files hover; a
// counter tracks dragenter/dragleave pairs because each child element fires its own.
import { useEffect, useRef, useState } from 'react';

function hasFiles(ev: DragEvent): boolean {
  return Array.from(ev.dataTransfer?.types ?? []).includes('Files');
}

export function DropOverlay({ onFiles }: { onFiles: (files: File[]) => void }) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const latest = useRef(onFiles);
  latest.current = onFiles;

  useEffect(() => {
    const enter = (ev: DragEvent) => {
      if (!hasFiles(ev)) return;
      ev.preventDefault();
      depth.current++;
      setOver(true);
    };
    const overFn = (ev: DragEvent) => {
      if (!hasFiles(ev)) return;
      // Without preventDefault on dragover the browser refuses the drop (and opens the file).
      ev.preventDefault();
      if (ev.dataTransfer) ev.dataTransfer.dropEffect = 'copy';
    };
    const leave = (ev: DragEvent) => {
      if (!hasFiles(ev)) return;
      depth.current = Math.max(0, depth.current - 1);
      if (depth.current === 0) setOver(false);
    };
    const drop = (ev: DragEvent) => {
      ev.preventDefault();
      depth.current = 0;
      setOver(false);
      const files = Array.from(ev.dataTransfer?.files ?? []);
      if (files.length > 0) latest.current(files);
    };
    window.addEventListener('dragenter', enter);
    window.addEventListener('dragover', overFn);
    window.addEventListener('dragleave', leave);
    window.addEventListener('drop', drop);
    return () => {
      window.removeEventListener('dragenter', enter);
      window.removeEventListener('dragover', overFn);
      window.removeEventListener('dragleave', leave);
      window.removeEventListener('drop', drop);
    };
  }, []);

  if (!over) return null;
  return (
    <div className="drop-overlay" data-testid="drop-overlay">
      <div className="drop-card">
        <div className="drop-title">Drop to import</div>
        <div className="drop-sub">CSV, TSV, JSON, NDJSON or Parquet</div>
      </div>
    </div>
  );
}
