// The pipeline file format (DESIGN.md: shared/pipeline.ts): a versioned, diffable JSON document of
// nodes (a kind, a stable id, parameters, a position on the canvas) and edges between typed ports.
// The editor draws it, the engine runs it and `cairn run` runs the same file headless.
//
// Each node kind's parameters are declared once, as field descriptors: the editor walks the
// descriptors to generate its parameter panel, and the zod schema that checks a file is built from
// the same descriptors, so the form and the validation cannot drift. The modules under
// shared/pipeline/ import nothing but zod and other shared/ modules: no node:, DOM or electron, so
// the renderer can validate as the user draws. This index re-exports them:
export * from './pipeline/fields.js';
export * from './pipeline/file.js';
export * from './pipeline/gates.js';
export * from './pipeline/graph.js';
export * from './pipeline/kinds/index.js';
export * from './pipeline/outputs.js';
export * from './pipeline/ports.js';
export * from './pipeline/validation.js';
