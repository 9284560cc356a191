// Shared by the serving tests: tiny models trained through CairnService on generated CSVs, and
// small HTTP helpers.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import type { RunRequest } from '../../../../../shared/api.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { resolveServedModels } from '../../../../../electron/core/serving/resolve.js';
import type { ServedModel } from '../../../../../electron/core/serving/protocol.js';
import { classificationCsv, regressionCsv } from '../training/data.js';

const quick = { epochs: 6, learningRate: 0.02, hiddenLayers: [{ units: 8 }] };

/** flowers v1 and v2 (classification: x1, x2 numbers, color category) and prices v1 (regression). */
export async function trainModels(service: CairnService, dir: string): Promise<void> {
  await writeFile(path.join(dir, 'flowers.csv'), classificationCsv());
  await writeFile(path.join(dir, 'prices.csv'), regressionCsv());
  await service.invoke('datasets.importNow', { path: path.join(dir, 'flowers.csv') });
  await service.invoke('datasets.importNow', { path: path.join(dir, 'prices.csv') });
  await service.invoke('runs.startNow', { dataset: 'flowers', target: 'label', ...quick });
  await service.invoke('runs.startNow', { dataset: 'flowers', target: 'label', ...quick, seed: 7 });
  await service.invoke('runs.startNow', { dataset: 'prices', target: 'y', ...quick });
}

/**
 * trainModels in a data folder of its own under `dir` (closed again after), answering each of
 * `refs` resolved for serving on its own (so each is its name's default), for tests that start
 * endpoints without a service.
 */
export async function trainServed(dir: string, refs: string[]): Promise<ServedModel[]> {
  const service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  try {
    await trainModels(service, dir);
    return refs.map((ref) => served(service, [ref])[0] as ServedModel);
  } finally {
    await service.close();
  }
}

const DATASETS = {
  /** Classification: x1, x2 numbers, color category; target label. */
  flowers: { csv: classificationCsv, target: 'label' },
  /** Regression: x1, x2 numbers; target y. */
  prices: { csv: regressionCsv, target: 'y' },
} as const;

/**
 * Trains one small model in a data folder of its own under `dir` (closed again after) and returns
 * its version resolved for serving, for tests that start endpoints without a service.
 */
export async function trainServedModel(
  dir: string,
  name: keyof typeof DATASETS,
  train: Partial<RunRequest> = {},
): Promise<ServedModel> {
  const service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  try {
    const file = path.join(dir, `${name}.csv`);
    await writeFile(file, DATASETS[name].csv());
    await service.invoke('datasets.importNow', { path: file });
    await service.invoke('runs.startNow', { dataset: name, target: DATASETS[name].target, ...quick, ...train });
    return served(service, [name])[0] as ServedModel;
  } finally {
    await service.close();
  }
}

/** Resolves references through the service's registry, as the supervisor does. */
export function served(service: CairnService, refs: string[]): ServedModel[] {
  return resolveServedModels(service.registry, refs);
}

export const flower = { x1: 1.2, x2: 0.5, color: 'red' };

export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; json: Record<string, unknown>; headers: Headers }> {
  const res = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await res.text();
  let json: Record<string, unknown> = {};
  try {
    json = JSON.parse(text) as Record<string, unknown>;
  } catch {
    json = { text };
  }
  return { status: res.status, json, headers: res.headers };
}
