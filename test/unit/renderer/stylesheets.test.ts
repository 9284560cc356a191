// The stylesheets' two rules: colours come from base.css's palette (the stylelint config, checked
// here with sheets that must pass and must fail), and the shell's classes are styled by sheets
// the window loads up front, not by a page's lazily loaded one.
import { readFileSync } from 'node:fs';
import path from 'node:path';
import stylelint from 'stylelint';
import { describe, expect, it } from 'vitest';

const ROOT = path.resolve(import.meta.dirname, '..', '..', '..');
const STYLES = path.join(ROOT, 'renderer', 'src', 'styles');
const CONFIG = path.join(ROOT, 'stylelint.config.mjs');

/** The rules a sheet breaks under the project's stylelint config, e.g. ['color-no-hex']. */
async function brokenRules(code: string, file = 'page.css'): Promise<string[]> {
  const { results } = await stylelint.lint({ code, codeFilename: path.join(STYLES, file), configFile: CONFIG });
  const result = results[0];
  if (!result) throw new Error('stylelint returned no result');
  return result.warnings.map((w) => w.rule);
}

describe('the palette rule (stylelint.config.mjs)', () => {
  it.each([
    ['a hex colour', '.a {\n  color: #fff;\n}\n', 'color-no-hex'],
    ['a hex colour in a gradient', '.a {\n  background: linear-gradient(var(--bg), #eef0f4);\n}\n', 'color-no-hex'],
    ['a hex colour in a custom property outside the palette', '.a {\n  --tone: #eef0f4;\n}\n', 'color-no-hex'],
    ['a named colour', '.a {\n  border: 1px solid white;\n}\n', 'color-named'],
    ['rgba()', '.a {\n  box-shadow: 0 1px 2px rgba(20, 26, 40, 0.25);\n}\n', 'function-disallowed-list'],
    ['hsl()', '.a {\n  color: hsl(220deg 20% 50%);\n}\n', 'function-disallowed-list'],
    [
      'a disable comment without a reason',
      '.a {\n  /* stylelint-disable-next-line color-no-hex */\n  color: #fff;\n}\n',
      '--report-descriptionless-disables',
    ],
  ])('refuses %s', async (_name, code, rule) => {
    expect(await brokenRules(code)).toContain(rule);
  });

  it('accepts colours by role, keywords and colour mixes of palette colours', async () => {
    const code = [
      '.a {',
      '  color: var(--text-inverse);',
      '  border: 1px solid transparent;',
      '  outline-color: currentcolor;',
      '  background: inherit;',
      '  box-shadow: 0 1px 3px color-mix(in srgb, var(--shadow-ink) 8%, transparent);',
      '}',
      '',
    ].join('\n');
    expect(await brokenRules(code)).toEqual([]);
  });

  it('passes every sheet in renderer/src/styles, the palette included', async () => {
    const { results } = await stylelint.lint({ files: path.join(STYLES, '*.css'), configFile: CONFIG });
    expect(results.length).toBeGreaterThan(5);
    expect(
      results.flatMap((r) => r.warnings.map((w) => `${path.basename(r.source ?? '')}:${w.line} ${w.text}`)),
    ).toEqual([]);
  });
});

/** Class names written as string literals in a component: className="a b". */
function literalClasses(file: string): string[] {
  const source = readFileSync(path.join(ROOT, 'renderer', 'src', file), 'utf8');
  return [...source.matchAll(/className="([^"]+)"/g)].flatMap((m) => (m[1] ?? '').split(/\s+/));
}

describe('the shell’s styles', () => {
  // main.tsx imports these before the first paint; the other sheets arrive with their page.
  const mainSource = readFileSync(path.join(ROOT, 'renderer', 'src', 'main.tsx'), 'utf8');
  const eagerSheets = [...mainSource.matchAll(/^import '\.\/styles\/([\w-]+\.css)';$/gm)].map((m) => m[1] ?? '');
  const eagerCss = eagerSheets
    .map((f) => readFileSync(path.join(STYLES, f), 'utf8').replace(/\/\*[\s\S]*?\*\//g, ''))
    .join('\n');

  it.each(['app.tsx', 'components/status-bar.tsx', 'components/drop-overlay.tsx'])(
    'styles every class %s names from a sheet loaded up front',
    (file) => {
      expect(eagerSheets).toContain('base.css');
      const unstyled = literalClasses(file).filter((c) => !new RegExp(`\\.${c}(?![\\w-])`).test(eagerCss));
      expect(unstyled).toEqual([]);
    },
  );
});
