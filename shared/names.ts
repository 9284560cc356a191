// Name rules more than one layer checks (the contract and the pipeline file format).

/** An alias: a letter, then letters, digits, '.', '_' or '-' (so it can never be read as a version number). */
export const ALIAS_PATTERN = /^[A-Za-z][A-Za-z0-9._-]{0,63}$/;
export const ALIAS_RULE = 'an alias starts with a letter and has only letters, digits, ".", "_" or "-" (64 at most)';
