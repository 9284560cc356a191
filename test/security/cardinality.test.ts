// Callers must not shape the endpoint's metrics and request log (issue 17, item 4): refusals
// without the API key, and requests naming models the endpoint does not serve, are counted and
// logged under one bounded model label ("-"), never the name they sent; a served name in another
// spelling is recorded under the model's own; /healthz tells callers without the key only whether
// the endpoint serves.
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { readLog } from '../../electron/core/db/request-log-db.js';
import { startEndpoint, type RunningEndpoint } from '../../electron/core/serving/endpoint.js';
import type { ServedModel } from '../../electron/core/serving/protocol.js';
import { tempDir } from '../unit/electron/core/helpers.js';
import { trainPrices } from './served-model.js';

process.env.CAIRN_BACKEND = 'cpu';

const KEY = 'k'.repeat(32);
const WITH_KEY = { authorization: `Bearer ${KEY}` };
const INSTANCE = { instances: [{ x1: 1, x2: 2 }] };

let dir: string;
let cleanup: () => Promise<void>;
let prices: ServedModel;
let started = 0;
const endpoints: RunningEndpoint[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-cardinality-'));
  prices = await trainPrices(dir);
}, 120_000);

afterEach(async () => {
  for (const e of endpoints.splice(0)) await e.close();
});

afterAll(async () => {
  await cleanup();
});

async function endpoint(models: ServedModel[], apiKey?: string): Promise<{ e: RunningEndpoint; logFile: string }> {
  const logFile = path.join(dir, `log-${started++}.db`);
  const e = await startEndpoint({ host: '127.0.0.1', port: 0, logFile, models, ...(apiKey ? { apiKey } : {}) });
  endpoints.push(e);
  return { e, logFile };
}

/** POSTs `count` predictions, 16 at a time, to the paths `path(i)` gives; returns their statuses. */
async function flood(
  url: string,
  count: number,
  path: (i: number) => string,
  headers: Record<string, string> = {},
): Promise<Set<number>> {
  const statuses = new Set<number>();
  let next = 0;
  const worker = async () => {
    while (next < count) {
      const i = next++;
      const res = await fetch(`${url}${path(i)}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', ...headers },
        body: JSON.stringify(INSTANCE),
      });
      await res.arrayBuffer();
      statuses.add(res.status);
    }
  };
  await Promise.all(Array.from({ length: 16 }, worker));
  return statuses;
}

const metricsText = async (url: string, headers: Record<string, string> = {}) =>
  (await fetch(`${url}/metrics`, { headers })).text();
const requestSeries = (text: string) => text.split('\n').filter((l) => l.startsWith('cairn_requests_total{'));

describe('metric series and request-log models', () => {
  it('counts 3,000 requests without the key as one series and logs them under "-"', async () => {
    const { e, logFile } = await endpoint([prices], KEY);
    expect(await flood(e.url, 3_000, (i) => `/v1/models/name-${i}/predict`)).toEqual(new Set([401]));
    // A served model's name without the key is not recorded under it either.
    expect(await flood(e.url, 10, () => '/v1/models/prices/predict')).toEqual(new Set([401]));
    const series = requestSeries(await metricsText(e.url, WITH_KEY)).filter((l) => l.includes('status="401"'));
    console.log(`cardinality: ${series.length} status="401" series after 3,010 requests without the key`);
    expect(series).toEqual(['cairn_requests_total{model="-",version="",status="401"} 3010']);
    await e.close();
    const rows = readLog(logFile).filter((r) => r.status === 401);
    expect(rows).toHaveLength(3_010);
    expect(new Set(rows.map((r) => r.model))).toEqual(new Set(['-']));
  });

  it("does not grow /metrics or the log's models with unknown model names", async () => {
    const { e, logFile } = await endpoint([prices]);
    expect(
      (
        await fetch(`${e.url}/v1/models/prices/predict`, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(INSTANCE),
        })
      ).status,
    ).toBe(200);
    const before = (await metricsText(e.url)).length;
    const names = 5_000;
    expect(await flood(e.url, names, (i) => `/v1/models/unknown-${i}/predict`)).toEqual(new Set([404]));
    // Served names in other spellings, with versions and aliases it does not have.
    expect(
      await flood(
        e.url,
        40,
        (i) => `/v1/models/${i % 2 ? 'PRICES' : 'Prices'}/${i % 4 < 2 ? `versions/${i + 2}` : `aliases/a${i}`}/predict`,
      ),
    ).toEqual(new Set([404]));
    const text = await metricsText(e.url);
    console.log(`cardinality: /metrics ${before} bytes before and ${text.length} after ${names} unknown model names`);
    expect(
      requestSeries(text)
        .map((l) => l.replace(/ \d+$/, ''))
        .sort(),
    ).toEqual([
      'cairn_requests_total{model="-",version="",status="404"}',
      'cairn_requests_total{model="prices",version="",status="404"}',
      'cairn_requests_total{model="prices",version="1",status="200"}',
    ]);
    expect(text.length - before).toBeLessThan(1_000);
    await e.close();
    const models = new Set(readLog(logFile).map((r) => r.model));
    expect(models).toEqual(new Set(['prices', '-']));
    expect(readLog(logFile).some((r) => r.error?.includes('unknown-'))).toBe(false);
  });
});

describe('/healthz', () => {
  it('tells callers without the key only whether it serves; with the key, the models and their errors', async () => {
    const broken = { ...prices, name: 'broken', dir: path.join(dir, 'no-such-folder') };
    const { e } = await endpoint([prices, broken], KEY);
    const bare = await fetch(`${e.url}/healthz`);
    expect(bare.status).toBe(200);
    expect(await bare.json()).toEqual({ status: 'ok' });
    const wrong = (await (
      await fetch(`${e.url}/healthz`, { headers: { authorization: 'Bearer wrong' } })
    ).json()) as unknown;
    expect(wrong).toEqual({ status: 'ok' });
    const full = (await (await fetch(`${e.url}/healthz`, { headers: WITH_KEY })).json()) as {
      status: string;
      models: { name: string; error?: string }[];
    };
    expect(full.status).toBe('ok');
    expect(full.models.map((m) => m.name).sort()).toEqual(['broken', 'prices']);
    expect(full.models.find((m) => m.name === 'broken')?.error).toBeTruthy();
  });

  it('says more without a key when none is set (loopback), as before', async () => {
    const { e } = await endpoint([prices]);
    const health = (await (await fetch(`${e.url}/healthz`)).json()) as { status: string; models: { name: string }[] };
    expect(health).toMatchObject({ status: 'ok', models: [{ name: 'prices' }] });
  });
});
