// Names for new pipelines: the engine refuses a name another pipeline has (case-insensitively),
// so a new or imported pipeline gets the first free "name (N)".

/** `name`, or `name (2)`, `name (3)`... whichever no pipeline has. */
export function uniqueName(name: string, taken: readonly string[]): string {
  const lower = new Set(taken.map((t) => t.toLowerCase()));
  if (!lower.has(name.toLowerCase())) return name;
  for (let i = 2; ; i++) if (!lower.has(`${name} (${i})`.toLowerCase())) return `${name} (${i})`;
}
