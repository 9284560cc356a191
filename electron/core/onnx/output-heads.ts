// The graph outputs, one shape for every model kind: a classifier gives `probabilities` [N, k]
// (columns in the manifest's class order) and `label` [N] (the class text); a regressor gives
// `value` [N, 1] in the target's own units.
import type { PreprocessManifest } from '../training/manifest.js';
import { targetScale } from '../training/preprocess.js';
import type { GraphBuilder } from './graph-builder.js';
import { DataType } from './onnx-proto.js';

export const OUTPUT_NAMES = { label: 'label', probabilities: 'probabilities', value: 'value' } as const;

/** `probabilities` as given and `label`, the class of the largest (the first of equals, as Cairn picks). */
export function classifierOutputs(g: GraphBuilder, probabilities: string, classes: readonly string[]): void {
  const best = g.op('ArgMax', [probabilities], { axis: { int: 1 }, keepdims: { int: 0 } });
  const label = g.op('Gather', [g.strings('classes', classes), best], { axis: { int: 0 } });
  g.output(probabilities, {
    name: OUTPUT_NAMES.probabilities,
    dataType: DataType.FLOAT,
    shape: ['N', classes.length],
    doc: `class probabilities, columns in the order ${JSON.stringify(classes)}`,
  });
  g.output(label, { name: OUTPUT_NAMES.label, dataType: DataType.STRING, shape: ['N'], doc: 'the likeliest class' });
}

/** `value`: the model's float [N, 1] output scaled back from the standardised target (in double, as decodeValues). */
export function regressorOutputs(g: GraphBuilder, raw: string, manifest: PreprocessManifest): void {
  const { mean, std } = targetScale(manifest);
  const scaled =
    mean === 0 && std === 1
      ? raw
      : g.op(
          'Cast',
          [
            g.op('Add', [
              g.op('Mul', [g.op('Cast', [raw], { to: { int: DataType.DOUBLE } }), g.doubles('target_std', [std], [])]),
              g.doubles('target_mean', [mean], []),
            ]),
          ],
          { to: { int: DataType.FLOAT } },
        );
  g.output(scaled, { name: OUTPUT_NAMES.value, dataType: DataType.FLOAT, shape: ['N', 1], doc: 'the predicted value' });
}
