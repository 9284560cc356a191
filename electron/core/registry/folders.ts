// Where a model's versions live under models/.
import { createHash } from 'node:crypto';

/** A model's folder name under models/: the name itself when it is a plain file name, else a stable hash of it. */
export function modelFolderName(name: string): string {
  if (/^[A-Za-z0-9][A-Za-z0-9._-]{0,99}$/.test(name) && !name.endsWith('.')) return name;
  return `model-${createHash('sha256').update(name.toLowerCase()).digest('hex').slice(0, 16)}`;
}
