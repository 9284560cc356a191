// Live quality: how the model did on predictions that received ground truth, per chart bucket
// (by when the prediction was made) and over the window: accuracy for a classifier, mean
// absolute error for a regressor, beside the same metric on the version's test split.
import type { LiveQuality } from '../../../shared/api.js';
import type { RequestLogReader } from '../db/request-log-reader.js';
import { bucketStarts, type WindowBounds } from './windows.js';

/** Live accuracy or MAE of `model` (one version, or all when null) over the window. */
export function liveQuality(
  reader: RequestLogReader,
  q: {
    model: string;
    version: number | null;
    task: 'classification' | 'regression';
    testSplit: number | null;
    predictions: number;
  },
  b: WindowBounds,
): LiveQuality {
  const rows = reader.feedback({
    model: q.model,
    version: q.version,
    from: b.from,
    to: b.to,
    origin: b.from,
    bucketMs: b.bucketMs,
  });
  const classification = q.task === 'classification';
  const valueOf = (labelled: number, correct: number | null, absError: number | null) =>
    labelled === 0 ? null : classification ? (correct ?? 0) / labelled : (absError ?? 0) / labelled;
  const byBucket = new Map(rows.map((r) => [r.b, r]));
  const buckets = bucketStarts(b).map((t, i) => {
    const r = byBucket.get(i);
    return { t, labelled: r?.labelled ?? 0, value: r ? valueOf(r.labelled, r.correct, r.absError) : null };
  });
  const labelled = rows.reduce((s, r) => s + r.labelled, 0);
  const correct = rows.reduce((s, r) => s + (r.correct ?? 0), 0);
  const absError = rows.reduce((s, r) => s + (r.absError ?? 0), 0);
  return {
    metric: classification ? 'accuracy' : 'mae',
    value: valueOf(labelled, correct, absError),
    testSplit: q.testSplit,
    labelled,
    predictions: q.predictions,
    buckets,
  };
}
