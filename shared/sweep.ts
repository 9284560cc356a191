// Sweeps' shared half: which parameters a model kind may vary, the search space and its checks,
// and the default space per kind. The engine's samplers and pruners are in electron/core/sweeps/.
export * from './sweep/parameters.js';
export * from './sweep/space.js';
export * from './sweep/default-spaces.js';
export * from './sweep/strategy.js';
export * from './sweep/request-checks.js';
export * from './sweep/narrowed-space.js';
