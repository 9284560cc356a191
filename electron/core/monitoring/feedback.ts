// Ground truth for logged predictions: each label is checked against the prediction it names
// (a class the model knows, or a number for a regressor), judged (right or wrong; absolute
// error) and stored in the request log's feedback table. The endpoint's feedback route (in its
// log writer thread) and the app's batch and CSV forms (in the host) both come through here.
import type { FeedbackResult } from '../../../shared/api.js';
import type { FeedbackRow, LoggedPrediction, RequestLogDb } from '../db/request-log-db.js';
import { categoryFinder, plainNumber } from '../training/manifest.js';

export interface FeedbackInput {
  id: string;
  label: unknown;
}

/** Where labels come from: JSON keeps types (a regressor needs a number), CSV text may spell numbers. */
export type LabelSource = 'json' | 'text';

/** A label judged against its prediction, or why it cannot be. */
export function judgeLabel(
  prediction: LoggedPrediction,
  label: unknown,
  source: LabelSource,
  receivedAt: number,
): { row: FeedbackRow } | { error: string } {
  let out: { label?: unknown; probabilities?: Record<string, unknown>; value?: unknown };
  try {
    out = JSON.parse(prediction.outputJson) as typeof out;
  } catch {
    return { error: 'the logged prediction cannot be read' };
  }
  const base = {
    predictionId: prediction.predictionId,
    model: prediction.model,
    version: prediction.version,
    at: prediction.at,
    receivedAt,
  };
  if (typeof out.label === 'string') {
    if (typeof label !== 'string' && typeof label !== 'number' && typeof label !== 'boolean')
      return { error: 'the label must be a class name (a string) for a classification model' };
    const text = String(label).trim();
    const classes = Object.keys(out.probabilities ?? {});
    // As the endpoint reads categories: 3 names the class "3.0" of a number column.
    const k = classes.length ? categoryFinder(classes)(text) : undefined;
    if (classes.length && k === undefined)
      return { error: `label "${text}" is not one of the model's classes (${classes.join(', ')})` };
    const name = k === undefined ? text : (classes[k] as string);
    return { row: { ...base, labelJson: JSON.stringify(name), correct: name === out.label ? 1 : 0, absError: null } };
  }
  if (typeof out.value === 'number') {
    const value =
      typeof label === 'number'
        ? label
        : source === 'text' && typeof label === 'string'
          ? plainNumber(label)
          : undefined;
    if (value === undefined || !Number.isFinite(value))
      return { error: 'the label must be a finite number for a regression model' };
    return { row: { ...base, labelJson: JSON.stringify(value), correct: null, absError: Math.abs(out.value - value) } };
  }
  return { error: 'the logged prediction has neither a class nor a value' };
}

/**
 * Checks and stores labels for predictions of `model` (compared case-insensitively, as routes
 * are): ids the log does not hold for that model are `unknown`, labels of the wrong kind
 * `invalid` with their `row` (rowOf(i): the item's index, or its CSV row); the rest are saved in one
 * transaction. A later label for the same prediction replaces the earlier one.
 */
export function recordFeedback(
  db: RequestLogDb,
  model: string,
  items: readonly FeedbackInput[],
  options: { source: LabelSource; rowOf?: (index: number) => number; now?: number },
): FeedbackResult {
  const now = options.now ?? Date.now();
  const rowOf = options.rowOf ?? ((i: number) => i);
  const found = db.predictions([...new Set(items.map((i) => i.id))]);
  const wanted = model.toLowerCase();
  const rows = new Map<string, FeedbackRow>();
  const unknown: string[] = [];
  const invalid: FeedbackResult['invalid'] = [];
  items.forEach((item, i) => {
    const prediction = found.get(item.id);
    if (!prediction || prediction.model.toLowerCase() !== wanted) {
      unknown.push(item.id);
      return;
    }
    const judged = judgeLabel(prediction, item.label, options.source, now);
    if ('error' in judged) invalid.push({ row: rowOf(i), id: item.id, message: judged.error });
    else rows.set(item.id, judged.row);
  });
  db.saveFeedback([...rows.values()]);
  return { accepted: rows.size, unknown: [...new Set(unknown)], invalid };
}

/**
 * The line (1-based) on which each data record of a CSV starts, as DuckDB reads the file: the
 * first non-blank record is the header, blank lines are skipped, and a quoted field may span lines.
 */
export function csvRecordLines(text: string): number[] {
  const starts: number[] = [];
  let line = 1;
  let quoted = false;
  let blank = true;
  let start = 0;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i];
    if (ch === '"') quoted = !quoted;
    if (ch === '\n') {
      if (!quoted && !blank) {
        starts.push(start);
        blank = true;
      }
      line++;
    } else if (blank && ch !== '\r' && !(i === 0 && ch === '\ufeff')) {
      blank = false;
      start = line;
    }
  }
  if (!blank) starts.push(start);
  return starts.slice(1);
}
