// The shell's classes are styled by sheets the window loads up front, not by a page's lazily
// loaded one (which would leave them unstyled until that page first opens).
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const STYLES = path.join(ROOT, 'renderer', 'src', 'styles');

/** Class names written as string literals in a component: className="a b". */
function literalClasses(file: string): string[] {
  const source = readFileSync(path.join(ROOT, 'renderer', 'src', file), 'utf8');
  return [...source.matchAll(/className="([^"]+)"/g)].flatMap((m) => (m[1] ?? '').split(/\s+/));
}

describe('the shell’s styles', () => {
  // main.tsx imports these before the first paint; the other sheets arrive with their page.
  const mainSource = readFileSync(path.join(ROOT, 'renderer', 'src', 'main.tsx'), 'utf8');
  const eagerSheets = [...mainSource.matchAll(/^import '\.\/styles\/([\w-]+\.css)';$/gm)].map((m) => m[1] ?? '');
  const eagerCss = eagerSheets.map((f) => readFileSync(path.join(STYLES, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, '')).join('\n');

  it.each(['app.tsx', 'components/status-bar.tsx', 'components/drop-overlay.tsx'])('styles every class %s names from a sheet loaded up front', (file) => {
    expect(eagerSheets).toContain('base.css');
    const unstyled = literalClasses(file).filter((c) => !new RegExp(`\\.${c}(?![\\w-])`).test(eagerCss));
    expect(unstyled).toEqual([]);
  });
});
