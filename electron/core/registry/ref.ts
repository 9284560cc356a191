// Model references as people type them: `name`, `name@alias`, `name:version`.
import { CairnError } from '../errors.js';

export interface ParsedModelRef {
  name: string;
  version?: number;
  alias?: string;
}

const ALIAS = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;

/**
 * Splits `name@alias` or `name:version`; anything else is a plain name. A model whose name
 * itself holds '@' or ':' is still found: the resolver tries the whole text as a name first.
 */
export function parseModelRef(ref: string): ParsedModelRef {
  const at = ref.lastIndexOf('@');
  if (at > 0 && ALIAS.test(ref.slice(at + 1))) return { name: ref.slice(0, at), alias: ref.slice(at + 1) };
  const m = /^(.+):(\d+)$/.exec(ref);
  if (m) {
    const version = Number(m[2]);
    if (!Number.isSafeInteger(version) || version < 1)
      throw new CairnError('invalid_argument', `"${m[2]}" is not a model version number`);
    return { name: m[1] as string, version };
  }
  if (at > 0)
    throw new CairnError(
      'invalid_argument',
      `"${ref.slice(at + 1)}" is not an alias name (a letter, then letters, digits, ".", "_" or "-")`,
    );
  return { name: ref };
}

/** The reference as text, for messages. */
export function formatModelRef(ref: ParsedModelRef): string {
  return ref.version !== undefined
    ? `${ref.name}:${ref.version}`
    : ref.alias !== undefined
      ? `${ref.name}@${ref.alias}`
      : ref.name;
}
