// A network's bundle carries explain.json (its feature means and a background sample of training
// rows, which the endpoint's KernelSHAP runs the model over), and a bundle is made by anyone: the
// file must be small, as wide as the preprocessing's features, and hold finite numbers only. Each
// crafted bundle is a real exported MLP bundle with only explain.json rewritten (every hash
// rewritten to match), refused at import naming why, leaving nothing behind. The untouched one imports.
import { describe, expect, it } from 'vitest';
import type { ExplainSampleJson } from '../../electron/core/explain/explain-sample.js';
import { rehash, type FixtureEntry } from '../unit/electron/core/registry/zip-fixture.js';
import { useExportedFlowers } from './exported-flowers.js';

process.env.CAIRN_BACKEND = 'cpu';

const flowers = useExportedFlowers({ epochs: 2, hiddenLayers: [{ units: 4 }] });
/** The files of the exported bundle (bundle.json included). */
const good = flowers.files;

/** The good bundle with explain.json's text replaced by what `edit` makes of it, every hash rewritten. */
function crafted(edit: (sample: ExplainSampleJson) => ExplainSampleJson | string | Buffer): FixtureEntry[] {
  return rehash(good, (files) => {
    const sample = JSON.parse((files.get('explain.json') as Buffer).toString('utf8')) as ExplainSampleJson;
    const made = edit(sample);
    files.set(
      'explain.json',
      Buffer.isBuffer(made) ? made : Buffer.from(typeof made === 'string' ? made : JSON.stringify(made)),
    );
  });
}

describe('import of a network bundle with its explanation sample', () => {
  const { refusal } = flowers;

  it('takes the bundle as exported, rebuilt by the fixture generator (the control)', async () => {
    expect(good.has('explain.json')).toBe(true);
    expect(await flowers.imports(crafted((s) => s))).toMatchObject({ version: 1 });
  });

  it('refuses background rows narrower or wider than the features the preprocessing makes', async () => {
    const err = await refusal(
      crafted((s) => {
        s.background[0]!.push(0);
        return s;
      }),
    );
    expect(err.message).toMatch(/explain\.json background row 0 has \d+ features; the model takes \d+/);
    const means = await refusal(
      crafted((s) => {
        s.means.pop();
        return s;
      }),
    );
    expect(means.message).toMatch(/explain\.json has \d+ feature means; the model takes \d+/);
  });

  it('refuses more background rows than the cap (each costs model calls per explained prediction)', async () => {
    const err = await refusal(
      crafted((s) => ({ ...s, background: Array.from({ length: 65 }, () => s.background[0]!) })),
    );
    expect(err.message).toMatch(/explain\.json is not a Cairn explanation sample at background: .*64/);
  });

  it('refuses numbers that are not finite, in JSON (1e999) or once stored as float32 (1e300)', async () => {
    const withFirst = (big: string) =>
      crafted((s) => JSON.stringify(s).replace(/("background":\[\[)[^,\]]+/, `$1${big}`));
    const infinite = await refusal(withFirst('1e999'));
    expect(infinite.message).toMatch(/explain\.json is not a Cairn explanation sample at background\.0\.0/);
    const tooBig = await refusal(withFirst('1e300'));
    expect(tooBig.message).toMatch(/explain\.json holds a number that is not finite/);
  });

  it('refuses an explain.json larger than its cap before reading it, stored uncompressed', async () => {
    const entries = crafted((s) => Buffer.concat([Buffer.from(JSON.stringify(s)), Buffer.alloc(17 * 1024 * 1024, 32)]));
    const stored = entries.map((e) => (e.name === 'explain.json' ? { ...e, method: 'store' as const } : e));
    const err = await refusal(stored);
    expect(err.message).toMatch(/explain\.json would inflate to \d+ bytes \(at most 16777216\)/);
  });
});
