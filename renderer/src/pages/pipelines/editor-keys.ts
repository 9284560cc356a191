// The editor's keyboard shortcuts: Ctrl+S saves; undo, redo, copy, cut, paste, select all and
// delete act on the canvas, but not while a field has the focus (it keeps its own).
import type { KeyboardEvent } from 'react';
import type { EditorAction } from './editor-state.js';

export interface EditorKeyActions {
  dispatch: (action: EditorAction) => void;
  /** Copies the selection; whether there was one. */
  copy: () => unknown;
  paste: () => void;
  /** Saves when there is something to save. */
  save: () => void;
}

/** The editor's keydown handler. */
export function editorKeys({ dispatch, copy, paste, save }: EditorKeyActions): (e: KeyboardEvent<HTMLElement>) => void {
  // The focused step goes with the removal, and the browser would hand the focus to the page body,
  // out of this handler's reach (Ctrl+Z would then do nothing): the editor takes it first.
  const removeSelected = (e: KeyboardEvent<HTMLElement>) => {
    e.currentTarget.focus({ preventScroll: true });
    dispatch({ type: 'deleteSelected' });
  };
  return (e) => {
    const mod = e.ctrlKey || e.metaKey;
    const key = e.key.toLowerCase();
    if (mod && key === 's') {
      e.preventDefault();
      save();
      return;
    }
    // Typing in a field keeps the field's own undo, copy and delete.
    if ((e.target as HTMLElement).closest('input, textarea, select, [contenteditable="true"]')) return;
    if (mod && key === 'z' && !e.shiftKey) dispatch({ type: 'undo' });
    else if (mod && (key === 'y' || (key === 'z' && e.shiftKey))) dispatch({ type: 'redo' });
    else if (mod && key === 'c') copy();
    else if (mod && key === 'x') {
      if (copy()) removeSelected(e);
    } else if (mod && key === 'v') paste();
    else if (mod && key === 'a') dispatch({ type: 'selectAll' });
    else if (!mod && (e.key === 'Delete' || e.key === 'Backspace')) removeSelected(e);
    else return;
    e.preventDefault();
  };
}
