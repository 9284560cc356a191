// The palette: every node kind, grouped by category. Drag one onto the canvas (HTML5 drag and
// drop; the canvas converts the drop point to flow coordinates), or press it to add it in view.
import type { DragEvent } from 'react';
import {
  nodeCategories,
  nodeCategoryLabels,
  nodeKindNames,
  nodeKinds,
  type NodeKindName,
} from '../../../../shared/pipeline.js';

/** The drag payload type: only drags carrying it are drops of a step. */
export const STEP_MIME = 'application/x-cairn-step';

export function Palette({ onAdd }: { onAdd: (kind: NodeKindName) => void }) {
  const start = (e: DragEvent, kind: NodeKindName) => {
    e.dataTransfer.setData(STEP_MIME, kind);
    e.dataTransfer.effectAllowed = 'copy';
  };
  return (
    <nav className="pl-palette" aria-label="Steps" data-testid="palette">
      {nodeCategories.map((cat) => (
        <section key={cat} className="palette-group">
          <h3>{nodeCategoryLabels[cat]}</h3>
          <ul>
            {nodeKindNames
              .filter((k) => nodeKinds[k].category === cat)
              .map((k) => (
                <li key={k}>
                  <button
                    type="button"
                    draggable
                    className={`palette-item cat-${cat}`}
                    onDragStart={(e) => start(e, k)}
                    onClick={() => onAdd(k)}
                    title={`${nodeKinds[k].description}\nDrag onto the canvas, or press to add.`}
                    data-testid={`palette-${k}`}
                  >
                    {nodeKinds[k].label}
                  </button>
                </li>
              ))}
          </ul>
        </section>
      ))}
      <dl className="palette-keys small muted">
        <dt>Ctrl+Z / Ctrl+Y</dt>
        <dd>undo / redo</dd>
        <dt>Ctrl+C / Ctrl+V</dt>
        <dd>copy / paste</dd>
        <dt>Delete</dt>
        <dd>remove selected</dd>
        <dt>Ctrl+S</dt>
        <dd>save a version</dd>
        <dt>Shift+drag</dt>
        <dd>select several</dd>
      </dl>
    </nav>
  );
}
