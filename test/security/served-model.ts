// A small served model for the endpoint's security tests: the regression model "prices" (x1, x2
// numbers), trained as the serving unit tests train theirs.
import type { ServedModel } from '../../electron/core/serving/protocol.js';
import { trainServedModel } from '../unit/electron/core/serving/fixtures.js';

export function trainPrices(dir: string): Promise<ServedModel> {
  return trainServedModel(dir, 'prices', { epochs: 4 });
}
