// Small generated datasets for training tests: learnable in a few epochs, the same every time.
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

/** A CSV of `header` and `rows` lines made by `row`, all drawing from one seeded stream. */
function generatedCsv(header: string, rows: number, seed: number, row: (random: () => number, i: number) => string) {
  const random = seededRandom(seed);
  const lines = [header];
  for (let i = 0; i < rows; i++) lines.push(row(random, i));
  return `${lines.join('\n')}\n`;
}

/** Two numeric features and a colour; label true when x1 + x2 > 0 (colour is noise), a boolean column. */
export function classificationCsv(rows = 200, seed = 1): string {
  return generatedCsv('x1,x2,color,label', rows, seed, (random, i) => {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    const color = ['red', 'green', 'blue'][i % 3];
    return `${x1.toFixed(3)},${x2.toFixed(3)},${color},${x1 + x2 > 0 ? 'true' : 'false'}`;
  });
}

/** y = 3·x1 − 2·x2 + 1 plus a little noise. */
export function regressionCsv(rows = 200, seed = 2): string {
  return generatedCsv('x1,x2,y', rows, seed, (random) => {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    const y = 3 * x1 - 2 * x2 + 1 + (random() - 0.5) * 0.2;
    return `${x1.toFixed(3)},${x2.toFixed(3)},${y.toFixed(4)}`;
  });
}
