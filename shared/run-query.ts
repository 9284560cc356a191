// The runs query language (shared/run-query/): the fields a query may name and the parser that
// reads it into a tree, with no imports beyond shared/, so the renderer checks a query as it is
// typed and the engine compiles the same tree to SQL. This index re-exports them:
export * from './run-query/fields.js';
export * from './run-query/parse.js';
