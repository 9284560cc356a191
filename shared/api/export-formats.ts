// Plain data with no zod (models.ts makes the schema from it), so `cairn models export` checks
// --format without loading the contract.

/** What a version is exported as: a Cairn bundle (zip) or an ONNX model. */
export const exportFormats = ['bundle', 'onnx'] as const;
