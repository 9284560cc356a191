import { describe, expect, it } from 'vitest';
import {
  cellCount,
  confusionCell,
  confusionOption,
  firstCell,
  mistakeCount,
  curvesOption,
  historyKeys,
  metricLabel,
  predictedVsActualOption,
  residualOption,
  rocOption,
} from '../../../../../renderer/src/pages/runs/run-charts.js';
import { mergeHistory } from '../../../../../renderer/src/pages/runs/use-live-run.js';

type Series = { data: unknown[]; name?: string; lineStyle?: { type?: string } }[];

const history = [
  { epoch: 1, logs: { loss: 1, val_loss: 1.2, acc: 0.5, val_acc: 0.4 } },
  { epoch: 2, logs: { loss: 0.5, val_loss: Number.NaN, acc: 0.7, val_acc: 0.6 } },
];

describe('run charts', () => {
  it('lists training metrics before validation ones and names them', () => {
    expect(historyKeys(history)).toEqual(['acc', 'loss', 'val_acc', 'val_loss']);
    expect(metricLabel('val_acc')).toBe('validation accuracy');
    expect(metricLabel('mae')).toBe('training MAE');
  });

  it('draws one line per series over epochs, skipping non-finite points, dashed when asked', () => {
    const o = curvesOption([
      { name: 'train', history, key: 'loss' },
      { name: 'val', history, key: 'val_loss', dashed: true },
    ]) as { series: Series };
    expect(o.series[0]?.data).toEqual([
      [1, 1],
      [2, 0.5],
    ]);
    expect(o.series[1]?.data).toEqual([[1, 1.2]]);
    expect(o.series[1]?.lineStyle?.type).toBe('dashed');
  });

  it('lays out the confusion matrix with the first true class on top', () => {
    const o = confusionOption(
      [
        [5, 1],
        [2, 7],
      ],
      ['a', 'b'],
    ) as { series: Series; yAxis: { data: string[] } };
    expect(o.yAxis.data).toEqual(['b', 'a']);
    // [predicted, row from the bottom, count]
    expect(o.series[0]?.data).toEqual([
      [0, 1, 5],
      [1, 1, 1],
      [0, 0, 2],
      [1, 0, 7],
    ]);
  });

  it('maps a clicked cell back to its classes, and counts cells and mistakes', () => {
    const classes = ['cat', 'dog', 'fox'];
    const confusion = [
      [5, 1, 0],
      [3, 7, 0],
      [0, 2, 4],
    ];
    const o = confusionOption(confusion, classes, 'pictures') as { series: Series };
    // Every drawn cell maps back to the classes and count it was drawn from.
    for (const value of o.series[0]?.data ?? []) {
      const cell = confusionCell(value, classes);
      expect(cell).toBeDefined();
      expect(cellCount(confusion, classes, cell!)).toBe(cell?.count);
    }
    expect(confusionCell([1, 2, 1], classes)).toEqual({ label: 'cat', predicted: 'dog', count: 1 });
    expect(confusionCell('not a cell', classes)).toBeUndefined();
    expect(confusionCell([9, 0, 1], classes)).toBeUndefined();
    expect(firstCell(confusion, classes)).toEqual({ label: 'dog', predicted: 'cat' });
    expect(
      firstCell(
        [
          [3, 0],
          [0, 2],
        ],
        ['a', 'b'],
      ),
    ).toEqual({ label: 'a', predicted: 'a' });
    expect(mistakeCount(confusion)).toBe(6);
  });

  it('labels ROC curves with their AUC and adds the chance line', () => {
    const o = rocOption([{ fpr: [0, 0, 1], tpr: [0, 1, 1], auc: 1 }], ['yes vs no']) as { series: Series };
    expect(o.series.map((s) => s.name)).toEqual(['yes vs no (AUC 1.000)', 'chance']);
  });

  it('plots residuals as actual minus predicted, and the y = x line over both ranges', () => {
    const r = residualOption([3, 5], [2, 6]) as { series: Series };
    expect(r.series[0]?.data).toEqual([
      [2, 1],
      [6, -1],
    ]);
    const p = predictedVsActualOption([1, 4], [0, 9]) as { series: Series };
    expect(p.series[1]?.data).toEqual([
      [0, 0],
      [9, 9],
    ]);
  });

  it('merges stored and live epochs by number, without doubles', () => {
    const live = [
      { epoch: 2, logs: { loss: 0.4 } },
      { epoch: 3, logs: { loss: 0.3 } },
    ];
    expect(mergeHistory(history, live).map((e) => [e.epoch, e.logs.loss])).toEqual([
      [1, 1],
      [2, 0.4],
      [3, 0.3],
    ]);
  });
});
