// Accepts model kind 'cnn' in checkModelTopology for tests that load picture-model.ts's network,
// until the CNN trainer's allow-list for that kind lands in kind-topologies.ts:
//   vi.mock('<...>/electron/core/training/kind-topologies.js', async (original) =>
//     (await import('<...>/cnn-topology-stub.js')).acceptCnnTopology(original as never));
// Only types are imported here: the mock's factory loads this file while kind-topologies.js is
// being mocked, and importing the engine from it would wait on itself.
import type * as KindTopologies from '../../../../../electron/core/training/kind-topologies.js';
import type { CheckedModelJson, TopologyCheck } from '../../../../../electron/core/training/topology.js';

/** checkModelTopology accepting kind 'cnn' as given, with its weight count as cost; other kinds as before. */
export async function acceptCnnTopology(
  original: () => Promise<typeof KindTopologies>,
): Promise<typeof KindTopologies> {
  const real = await original();
  return {
    ...real,
    checkModelTopology: (kind: string, modelJson: unknown): TopologyCheck => {
      if (kind !== 'cnn') return real.checkModelTopology(kind, modelJson);
      const checked = modelJson as CheckedModelJson;
      const params = checked.weightsManifest
        .flatMap((g) => g.weights)
        .reduce((n, w) => n + w.shape.reduce((a, b) => a * b, 1), 0);
      return { ok: true, modelJson: checked, cost: { params, flopsPerRow: 2 * params * 64, activationsPerRow: 4096 } };
    },
  };
}
