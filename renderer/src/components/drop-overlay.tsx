// Files dropped anywhere on the window are imported. The overlay shows while files hover; a
// counter tracks dragenter/dragleave pairs because each child element fires its own.
import { useEffect, useRef, useState } from 'react';

function hasFiles(ev: DragEvent): boolean {
  return Array.from(ev.dataTransfer?.types ?? []).includes('Files');
}

/** A dropped folder: its name, and the File standing for it (the desktop app grants its path). */
export interface DroppedFolder {
  name: string;
  file?: File;
}

/** What a drop carried: files to import, and folders (which arrive as empty "files"). */
export interface Dropped {
  files: File[];
  folders: DroppedFolder[];
}

/**
 * Splits a drop into files and folders. A folder comes through `files` as a File of 0 bytes that
 * reads as an empty table; only its entry (read during the drop event) says it is a folder. Its
 * File is kept: in the desktop app it carries the folder's path, and a folder of class folders
 * imports as pictures.
 */
export function splitDrop(dt: Pick<DataTransfer, 'items' | 'files'>): Dropped {
  const items = Array.from(dt.items ?? []).filter((i) => i.kind === 'file');
  if (items.length === 0) return { files: Array.from(dt.files ?? []), folders: [] };
  const out: Dropped = { files: [], folders: [] };
  for (const item of items) {
    const entry = item.webkitGetAsEntry?.();
    const file = item.getAsFile();
    if (entry?.isDirectory) out.folders.push(file ? { name: entry.name, file } : { name: entry.name });
    else if (file) out.files.push(file);
  }
  return out;
}

export function DropOverlay({ onDrop }: { onDrop: (dropped: Dropped) => void }) {
  const [over, setOver] = useState(false);
  const depth = useRef(0);
  const latest = useRef(onDrop);
  latest.current = onDrop;

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
      if (!ev.dataTransfer) return;
      const dropped = splitDrop(ev.dataTransfer);
      if (dropped.files.length > 0 || dropped.folders.length > 0) latest.current(dropped);
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
        <div className="drop-sub">
          CSV, TSV, JSON, NDJSON or Parquet; pictures as a folder of class folders or a .zip of one
        </div>
      </div>
    </div>
  );
}
