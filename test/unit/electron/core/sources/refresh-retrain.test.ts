// A refresh that changes the source's dataset fires the existing retrain trigger "new version of
// the training dataset" at once (not at monitoring's next round); an unchanged one fires nothing.
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { EventPayload } from '../../../../../shared/api.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { startHttpFiles, type HttpFiles } from '../../../../support/servers/http-files.js';
import { classificationCsv } from '../training/data.js';
import { tempDirFor } from '../helpers.js';

process.env.CAIRN_BACKEND = 'cpu';

const folder = tempDirFor('file', 'cairn-refresh-retrain-');
let web: HttpFiles;
let service: CairnService;

beforeAll(async () => {
  web = await startHttpFiles();
  web.set('/flowers.csv', classificationCsv(200, 1));
  // monitor: the desktop and `cairn ui` behaviour, where triggers are judged.
  service = await CairnService.open({ home: path.join(folder.dir, 'home'), host: 'cli', monitor: true });
  await service.invoke('sources.add', { name: 'flowers', kind: 'url', url: `${web.base}/flowers.csv`, refresh: true });
  await service.invoke('runs.startNow', {
    dataset: 'flowers',
    target: 'label',
    model: 'logistic_regression',
    epochs: 5,
  });
  await service.invoke('monitoring.retrainPolicy.set', {
    model: 'flowers',
    triggers: { onAlert: false, scheduleHours: null, onNewDatasetVersion: true },
  });
}, 120_000);

afterAll(async () => {
  await service?.close();
  await web?.stop();
});

describe('a refresh and the retrain trigger', () => {
  it('starts no retrain when the refresh found nothing new', async () => {
    const r = await service.invoke('sources.refresh', { name: 'flowers' });
    expect(r.changed).toBe(false);
    await service.monitor.tick();
    expect(await service.invoke('monitoring.decisions', { model: 'flowers' })).toEqual([]);
  });

  it('retrains on the new version a changed refresh made', async () => {
    const decided = new Promise<EventPayload<'retrain.decided'>>((resolve) => {
      const stop = service.events.subscribe((event, payload) => {
        if (event !== 'retrain.decided') return;
        stop();
        resolve(payload as EventPayload<'retrain.decided'>);
      });
    });
    web.set('/flowers.csv', classificationCsv(240, 7));
    const r = await service.invoke('sources.refresh', { name: 'flowers' });
    expect(r).toMatchObject({ changed: true, version: 2 });
    // Monitoring's own round comes every 60 s from the open; the refresh's nudge decides well before it.
    const late = new Promise<never>((_, reject) => {
      const t = setTimeout(() => reject(new Error('no retrain within 30 s of the refresh')), 30_000);
      void decided.finally(() => clearTimeout(t));
    });
    expect(await Promise.race([decided, late])).toMatchObject({
      trigger: 'dataset',
      triggerDetail: 'new version 2 of dataset "flowers"',
    });
  }, 60_000);
});
