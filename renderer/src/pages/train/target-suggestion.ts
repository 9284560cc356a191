// Which column a user most likely wants to predict, and why. Three kinds of evidence add up:
// the column's name (a word people use for what they predict), its position (tables usually keep
// the outcome last, sometimes first), and its shape (two or a few classes make a natural
// classifier target). A name is the strongest sign, but a short coordinate-like name such as `y`
// counts only weakly, so a table of x, y, z dimensions and a price predicts the price.
import type { ColumnProfile } from '../../../../shared/api.js';

/** Words that name a target in any domain. */
const TARGET_WORDS = ['target', 'label', 'labels', 'class', 'outcome', 'response'];
/** Words that name a common outcome in a domain (a price, a diagnosis, a yes/no event). */
const OUTCOME_WORDS = [
  'price',
  'churn',
  'churned',
  'survived',
  'species',
  'default',
  'fraud',
  'diagnosis',
  'approved',
  'approval',
  'quality',
];
/** A category count up to which a column reads as a classifier's classes. */
const FEW_CLASSES = 10;

const SCORE = {
  targetWord: 6,
  outcomeWord: 4,
  /** The whole name is the word, not only a part of it (`price` over `price_per_carat`). */
  wholeName: 1,
  /** `y` names a target only as a fallback: it is as often a coordinate. */
  yFallback: 1,
  last: 2,
  first: 1.5,
  binary: 1,
  fewClasses: 0.5,
} as const;

export interface TargetSuggestion {
  column: string;
  /** A short phrase for the user, e.g. "named like a target, last column". */
  reason: string;
}

/** Whether a column can be a target: dates and free text cannot. */
export function canBeTarget(c: ColumnProfile): boolean {
  return c.type !== 'datetime' && c.type !== 'text';
}

/**
 * The most likely target among the columns, or undefined when none can be one. `rows` (the
 * version's row count) lets an id column, whose every value differs, be passed over.
 */
export function suggestTarget(columns: readonly ColumnProfile[], rows?: number): TargetSuggestion | undefined {
  const usable = columns.filter((c) => canBeTarget(c) && c.distinct > 1 && !(rows !== undefined && isIdLike(c, rows)));
  const pool = usable.length > 0 ? usable : columns.filter(canBeTarget);
  let best: { score: number; column: string; reasons: string[] } | undefined;
  pool.forEach((c, i) => {
    const { score, reasons } = evidence(c, i, pool.length);
    // Ties go to the later column: the last column is the most common place for a target.
    if (!best || score >= best.score) best = { score, column: c.name, reasons };
  });
  if (!best) return undefined;
  return { column: best.column, reason: best.reasons.length > 0 ? best.reasons.join(', ') : 'last usable column' };
}

function evidence(c: ColumnProfile, index: number, count: number): { score: number; reasons: string[] } {
  let score = 0;
  const reasons: string[] = [];
  const words = nameWords(c.name);
  const whole = words.length === 1;
  if (words.some((w) => TARGET_WORDS.includes(w))) {
    score += SCORE.targetWord + (whole ? SCORE.wholeName : 0);
    reasons.push('named like a target');
  } else if (words.some((w) => OUTCOME_WORDS.includes(w))) {
    score += SCORE.outcomeWord + (whole ? SCORE.wholeName : 0);
    reasons.push('named like an outcome');
  } else if (c.name.toLowerCase() === 'y') {
    score += SCORE.yFallback;
    reasons.push('named y');
  }
  if (count > 1 && index === count - 1) {
    score += SCORE.last;
    reasons.push('last column');
  } else if (count > 1 && index === 0) {
    score += SCORE.first;
    reasons.push('first column');
  }
  if (c.distinct === 2) {
    score += SCORE.binary;
    reasons.push('two values');
  } else if (isCategoryLike(c) && c.distinct <= FEW_CLASSES) {
    score += SCORE.fewClasses;
    reasons.push(`${c.distinct} classes`);
  }
  return { score, reasons };
}

/** The lower-case words of a column name: split at separators and at camelCase humps. */
export function nameWords(name: string): string[] {
  return name
    .replace(/([a-z0-9])([A-Z])/g, '$1 $2')
    .toLowerCase()
    .split(/[^a-z0-9]+/)
    .filter((w) => w !== '');
}

function isCategoryLike(c: ColumnProfile): boolean {
  return c.type === 'categorical' || c.type === 'boolean' || c.type === 'integer';
}

/** An integer or category whose every value differs (judged on 20 rows or more): a row id. */
export function isIdLike(c: ColumnProfile, rows: number): boolean {
  if (rows < 20 || c.distinctApprox) return false;
  return (c.type === 'integer' || c.type === 'categorical') && c.distinct >= rows - c.missing;
}
