// A small classification problem for the monitoring tests: two numeric sensor readings and a
// site, a time column (so a model trains on the oldest rows and is tested on the newest), and a
// label that follows one of two concepts: A (x1 > 0) or B (x2 > 0). Seeded, so every run is the same.
import { seededRandom } from '../../../../../electron/core/training/seeded-random.js';

export interface Reading {
  x1: number;
  x2: number;
  site: string;
}

export type Concept = 'A' | 'B';

const SITES = ['north', 'south', 'east'];

/** The label a concept gives a reading. */
export function labelOf(r: Pick<Reading, 'x1' | 'x2'>, concept: Concept): string {
  return (concept === 'A' ? r.x1 > 0 : r.x2 > 0) ? 'high' : 'low';
}

/** Readings like the training data: x1, x2 standard normal (x2 shifted by `shift`), sites evenly. */
export function readings(n: number, seed: number, shift = 0): Reading[] {
  const random = seededRandom(seed);
  const normal = () => Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
  return Array.from({ length: n }, (_, i) => ({
    x1: Number(normal().toFixed(4)),
    x2: Number((normal() + shift).toFixed(4)),
    site: SITES[i % SITES.length] as string,
  }));
}

/** A CSV of `n` readings, hourly from 2024-01-01, labelled by `conceptAt(i)` (row i of n). */
export function sensorsCsv(n: number, seed: number, conceptAt: (i: number) => Concept): string {
  const lines = ['t,x1,x2,site,label'];
  readings(n, seed).forEach((r, i) => {
    const t = new Date(Date.UTC(2024, 0, 1) + i * 3_600_000).toISOString().slice(0, 19).replace('T', ' ');
    lines.push(`${t},${r.x1},${r.x2},${r.site},${labelOf(r, conceptAt(i))}`);
  });
  return `${lines.join('\n')}\n`;
}
