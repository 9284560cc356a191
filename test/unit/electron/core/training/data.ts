// Small generated datasets for training tests: learnable in a few epochs, the same every time.
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

/** Two numeric features and a colour; label "yes" when x1 + x2 > 0 (colour is noise). */
export function classificationCsv(rows = 200, seed = 1): string {
  const random = seededRandom(seed);
  const lines = ['x1,x2,color,label'];
  for (let i = 0; i < rows; i++) {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    const color = ['red', 'green', 'blue'][i % 3];
    lines.push(`${x1.toFixed(3)},${x2.toFixed(3)},${color},${x1 + x2 > 0 ? 'yes' : 'no'}`);
  }
  return `${lines.join('\n')}\n`;
}

/** y = 3·x1 − 2·x2 + 1 plus a little noise. */
export function regressionCsv(rows = 200, seed = 2): string {
  const random = seededRandom(seed);
  const lines = ['x1,x2,y'];
  for (let i = 0; i < rows; i++) {
    const x1 = random() * 4 - 2;
    const x2 = random() * 4 - 2;
    const y = 3 * x1 - 2 * x2 + 1 + (random() - 0.5) * 0.2;
    lines.push(`${x1.toFixed(3)},${x2.toFixed(3)},${y.toFixed(4)}`);
  }
  return `${lines.join('\n')}\n`;
}
