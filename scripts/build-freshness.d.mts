export const CLI_SOURCES: readonly string[];
export function newestMtime(root: string, entry: string): number;
export function isBuildFresh(root: string, outputs: readonly string[], sources: readonly string[]): boolean;
export function cliEntry(root: string): { file: string; built: boolean };
