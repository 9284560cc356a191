// Command-line flags the benchmarks share.

/** `--name N`: an integer of at least `min`, or `fallback` when the flag is absent. */
export function intArg(name: string, fallback: number, min: number): number {
  const i = process.argv.indexOf(`--${name}`);
  if (i < 0) return fallback;
  const n = Number(process.argv[i + 1]);
  if (!Number.isInteger(n) || n < min)
    throw new Error(`--${name} wants an integer >= ${min}, got ${process.argv[i + 1]}`);
  return n;
}
