// An accessibility scan of the page as it is: axe-core's own script evaluated in the page (the
// @axe-core/playwright wrapper wants the full playwright package; playwright-core is enough for
// this), run over the whole document, keeping the serious and critical violations. Evaluated
// rather than added as a <script>: the app's CSP refuses inline scripts, as it should.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import type { Page } from 'playwright-core';

const AXE_SOURCE = readFileSync(createRequire(import.meta.url).resolve('axe-core/axe.min.js'), 'utf8');

/** One violation, said in a line: its rule, impact, help text and the elements it was found on. */
export interface AxeFinding {
  id: string;
  impact: string;
  help: string;
  targets: string[];
}

interface AxeNode {
  target: unknown[];
  any: { data?: { fgColor?: string; bgColor?: string; contrastRatio?: number } | null }[];
}

interface AxeResults {
  violations: { id: string; impact: string | null; help: string; nodes: AxeNode[] }[];
}

/** An element's selector, with its colours and their ratio for a contrast finding. */
function describeNode(n: AxeNode): string {
  const where = n.target.map(String).join(' ');
  const c = n.any.find((a) => a.data?.contrastRatio !== undefined)?.data;
  return c ? `${where} (${c.fgColor} on ${c.bgColor}: ${c.contrastRatio})` : where;
}

/** The serious and critical WCAG 2.x A/AA violations on the page now. */
export async function seriousViolations(page: Page): Promise<AxeFinding[]> {
  if (!(await page.evaluate(() => 'axe' in window))) await page.evaluate(AXE_SOURCE);
  const results = await page.evaluate(() =>
    (window as unknown as { axe: { run: (c: Document, o: object) => Promise<AxeResults> } }).axe.run(document, {
      runOnly: { type: 'tag', values: ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice'] },
      resultTypes: ['violations'],
    }),
  );
  return results.violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => ({
      id: v.id,
      impact: v.impact ?? '',
      help: v.help,
      targets: v.nodes.slice(0, 30).map(describeNode),
    }));
}
