// A tree model's bundle is made by anyone too: its trees.json must be an ensemble Cairn itself
// builds and scores in bounded time. Each crafted bundle is a real exported GBDT bundle with only
// trees.json rewritten (and every hash rewritten to match), so the trees are the one thing wrong;
// each is refused at import, naming why, leaving nothing behind. The untouched bundle imports.
import { describe, expect, it } from 'vitest';
import type { TreeEnsembleJson } from '../../electron/core/training/gbdt/tree-format.js';
import { rehash, type FixtureEntry } from '../unit/electron/core/registry/zip-fixture.js';
import { useExportedFlowers } from './exported-flowers.js';

process.env.CAIRN_BACKEND = 'cpu';

const flowers = useExportedFlowers({ model: 'gbdt', trees: 5 });
/** The files of the exported bundle (bundle.json included). */
const good = flowers.files;

/** The good bundle with trees.json edited by `edit`, every hash rewritten to match. */
function crafted(edit: (trees: TreeEnsembleJson) => void): FixtureEntry[] {
  return rehash(good, (files) => {
    const trees = JSON.parse((files.get('trees.json') as Buffer).toString('utf8')) as TreeEnsembleJson;
    edit(trees);
    files.set('trees.json', Buffer.from(JSON.stringify(trees)));
  });
}

/** The first tree's first split node (the root of a grown tree). */
function root(trees: TreeEnsembleJson) {
  const tree = trees.trees[0]!;
  expect(tree.feature[0]).toBeGreaterThanOrEqual(0);
  return tree;
}

describe('import of a tree model bundle', () => {
  const { refusal } = flowers;

  it('takes the bundle as exported, rebuilt by the fixture generator (the control)', async () => {
    expect(good.has('trees.json')).toBe(true);
    expect(await flowers.imports(crafted(() => undefined))).toMatchObject({ version: 1 });
  });

  it('refuses a node graph with a cycle (scoring would never reach a leaf)', async () => {
    const err = await refusal(
      crafted((trees) => {
        const tree = root(trees);
        tree.left[0] = 0;
      }),
    );
    expect(err.message).toMatch(/trees\.json is not a model Cairn builds: tree 0 node 0/);
  });

  it('refuses a split on a feature the preprocessing does not make', async () => {
    const err = await refusal(
      crafted((trees) => {
        root(trees).feature[0] = trees.featureKinds.length;
      }),
    );
    expect(err.message).toMatch(/trees\.json is not a model Cairn builds/);
  });

  it('refuses trees that take another number of features than the preprocessing makes', async () => {
    const err = await refusal(
      crafted((trees) => {
        trees.featureKinds.push('numeric');
      }),
    );
    expect(err.message).toMatch(/the trees take \d+ features but the preprocessing makes \d+/);
  });

  it('refuses a file that is not a tree ensemble, and a bundle of a tree model without one', async () => {
    const notTrees = rehash(good, (files) => files.set('trees.json', Buffer.from('{"format":"cairn-trees/1"}')));
    expect((await refusal(notTrees)).message).toMatch(/trees\.json is not a Cairn tree ensemble/);
    const missing = rehash(good, (files) => files.delete('trees.json'));
    expect((await refusal(missing)).message).toMatch(/trees\.json/);
  });
});
