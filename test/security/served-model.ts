// A small served model for the endpoint's security tests: the regression model "prices" (x1, x2
// numbers) trained through CairnService, as the serving unit tests train theirs.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { CairnService } from '../../electron/core/service.js';
import type { ServedModel } from '../../electron/core/serving/protocol.js';
import { resolveServedModels } from '../../electron/core/serving/resolve.js';
import { regressionCsv } from '../unit/electron/core/training/data.js';

export async function trainPrices(dir: string): Promise<ServedModel> {
  const service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  try {
    await writeFile(path.join(dir, 'prices.csv'), regressionCsv());
    await service.invoke('datasets.importNow', { path: path.join(dir, 'prices.csv') });
    await service.invoke('runs.startNow', {
      dataset: 'prices',
      target: 'y',
      epochs: 4,
      learningRate: 0.02,
      hiddenLayers: [{ units: 8 }],
    });
    return resolveServedModels(service.registry, ['prices'])[0] as ServedModel;
  } finally {
    await service.close();
  }
}
