// Monitoring end to end on simulated traffic through a real endpoint (in this process) writing the
// real request log: traffic drawn like the training data raises no drift alert; a shifted feature
// raises one naming it; wrong labels lower live accuracy and fire a rule that retrains; a
// challenger no better than the champion is kept, a worse one too, a better one takes the alias;
// and rollback puts the previous version back; catching up on the time no host ran tells the
// present only, to events and webhooks alike. Training is a small logistic model on 300 rows.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import type {
  Alert,
  EventName,
  EventPayload,
  RetrainDecision,
  WebhookDelivery,
  WebhookInput,
} from '../../../../../shared/api.js';
import { RequestLogDb } from '../../../../../electron/core/db/request-log-db.js';
import type { CairnError } from '../../../../../electron/core/errors.js';
import { CairnService } from '../../../../../electron/core/service.js';
import { startEndpoint, type RunningEndpoint } from '../../../../../electron/core/serving/endpoint.js';
import { resolveServedModels } from '../../../../../electron/core/serving/resolve.js';
import { startWebhookReceiver } from '../../../../support/servers/webhook-receiver.js';
import { tempDir } from '../helpers.js';
import { labelOf, readings, sensorsCsv, type Reading } from './sensors.js';

process.env.CAIRN_BACKEND = 'cpu';

const TRAIN = {
  target: 'label',
  model: 'logistic_regression' as const,
  epochs: 40,
  learningRate: 0.1,
  timeColumn: 't',
  modelName: 'sensors',
};

let dir: string;
let cleanup: () => Promise<void>;
let service: CairnService;
let endpoint: RunningEndpoint | undefined;
const seen: { event: EventName; payload: unknown }[] = [];

beforeAll(async () => {
  ({ dir, cleanup } = await tempDir('cairn-monitoring-'));
  service = await CairnService.open({ home: path.join(dir, 'home'), host: 'cli' });
  service.events.subscribe((event, payload) => seen.push({ event, payload }));
  await writeFile(
    path.join(dir, 'sensors.csv'),
    sensorsCsv(300, 1, () => 'A'),
  );
  await service.invoke('datasets.importNow', { path: path.join(dir, 'sensors.csv'), name: 'sensors' });
  await service.invoke('runs.startNow', { dataset: 'sensors', ...TRAIN });
}, 120_000);

afterAll(async () => {
  await endpoint?.close();
  await service?.close();
  await cleanup();
});

/** Serves the model's production (else latest) version from an endpoint writing the service's request log. */
async function serve(): Promise<RunningEndpoint> {
  await endpoint?.close();
  endpoint = await startEndpoint({
    host: '127.0.0.1',
    port: 0,
    logFile: path.join(service.home, 'logs', 'requests.db'),
    models: resolveServedModels(service.registry, ['sensors']),
  });
  return endpoint;
}

/** Sends readings in requests of 50 and returns each prediction's id and label with its reading. */
async function send(rows: Reading[]): Promise<{ id: string; label: string; reading: Reading }[]> {
  const e = endpoint ?? (await serve());
  const out: { id: string; label: string; reading: Reading }[] = [];
  for (let i = 0; i < rows.length; i += 50) {
    const batch = rows.slice(i, i + 50);
    const res = await fetch(`${e.url}/v1/models/sensors/predict`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ instances: batch }),
    });
    expect(res.status).toBe(200);
    const body = (await res.json()) as { predictions: { id: string; label: string }[] };
    body.predictions.forEach((p, k) => out.push({ ...p, reading: batch[k] as Reading }));
  }
  return out;
}

/** Waits until the log holds `n` answered predictions of the last hour (the writer flushes every 50 ms). */
async function logged(n: number): Promise<void> {
  for (let tries = 0; tries < 200; tries++) {
    const o = await service.invoke('monitoring.overview', { model: 'sensors', window: '1h' });
    if (o.totals.predictions >= n) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`the log never held ${n} predictions`);
}

function events<E extends EventName>(event: E): EventPayload<E>[] {
  return seen.filter((s) => s.event === event).map((s) => s.payload as EventPayload<E>);
}

/** The next retrain.decided event for sensors. */
function nextDecision(): Promise<RetrainDecision> {
  return new Promise((resolve) => {
    const off = service.events.subscribe((event, payload) => {
      if (event === 'retrain.decided') {
        off();
        resolve(payload as RetrainDecision);
      }
    });
  });
}

describe('drift', () => {
  let rule: string;

  it('traffic drawn like the training data raises no drift alert', async () => {
    rule = (
      await service.invoke('monitoring.rules.save', {
        model: 'sensors',
        metric: 'drift_score',
        comparator: '>',
        threshold: 0.2,
        window: '1h',
        minSamples: 100,
      })
    ).id;
    await send(readings(400, 11));
    await logged(400);
    await service.monitor.tick();
    const overview = await service.invoke('monitoring.overview', { model: 'sensors', window: '1h' });
    expect(overview.drift.reference).toBe('training_rows');
    expect(overview.drift.liveRows).toBe(400);
    expect(overview.drift.score).toBeLessThan(0.2);
    expect(overview.drift.drifted).toEqual([]);
    expect(overview.drift.features.map((f) => f.feature).sort()).toEqual(['site', 'x1', 'x2']);
    const [rules] = [await service.invoke('monitoring.rules.list', { model: 'sensors' })];
    expect(rules[0]?.state).toMatchObject({ firing: false, value: overview.drift.score });
    expect(await service.invoke('monitoring.alerts', {})).toEqual([]);
  });

  it('a shifted feature raises a drift alert naming that feature', async () => {
    await send(readings(600, 12, 2.5));
    await logged(1000);
    await service.monitor.tick();
    const [alert] = await service.invoke('monitoring.alerts', { status: 'firing' });
    expect(alert).toMatchObject({
      ruleId: rule,
      model: 'sensors',
      metric: 'drift_score',
      features: ['x2'],
      resolvedAt: null,
    });
    expect(alert?.value).toBeGreaterThan(0.2);
    expect(alert?.message).toMatch(/^sensors: drift score .* > 0\.2 over 1h \(x2\)$/);
    expect(events('alert.fired')).toEqual([alert]);
    const overview = await service.invoke('monitoring.overview', { model: 'sensors', window: '1h' });
    expect(overview.drift.drifted).toEqual(['x2']);
    const x2 = overview.drift.features[0]!;
    expect(x2).toMatchObject({ feature: 'x2', kind: 'numeric', drifted: true });
    expect(x2.ks?.pValue).toBeLessThan(0.01);
    // Aligned bins for an overlay chart: training shares are the deciles, live ones lean right.
    expect(x2.bins).toHaveLength(10);
    expect(x2.bins.reduce((s, b) => s + b.training, 0)).toBeCloseTo(1, 9);
    expect(x2.bins.at(-1)!.live).toBeGreaterThan(0.4);
    expect(overview.firing.map((a: Alert) => a.id)).toEqual([alert?.id]);
    // A second round does not fire the same rule again.
    await service.monitor.tick();
    expect(events('alert.fired')).toHaveLength(1);
  });
});

describe('live accuracy and retraining', () => {
  let predictions: { id: string; label: string; reading: Reading }[];

  it('right labels give live accuracy near the test split; the rule stays quiet', async () => {
    await service.invoke('monitoring.retrainPolicy.set', { model: 'sensors', metric: 'accuracy', margin: 0 });
    await service.invoke('monitoring.rules.save', {
      model: 'sensors',
      metric: 'live_accuracy',
      comparator: '<',
      threshold: 0.7,
      window: '1h',
      minSamples: 20,
      action: 'retrain',
    });
    predictions = await send(readings(200, 13));
    // Labels from the app find predictions once the endpoint's writer has logged them.
    await logged(1200);
    const truth = predictions.slice(0, 50).map((p) => ({ id: p.id, label: labelOf(p.reading, 'A') }));
    expect(await service.invoke('monitoring.feedback', { model: 'sensors', items: truth })).toEqual({
      accepted: 50,
      unknown: [],
      invalid: [],
    });
    const overview = await service.invoke('monitoring.overview', { model: 'sensors', window: '1h' });
    expect(overview.live.metric).toBe('accuracy');
    expect(overview.live.labelled).toBe(50);
    expect(overview.live.value).toBeGreaterThan(0.85);
    expect(overview.live.testSplit).toBeGreaterThan(0.85);
    expect(events('alert.fired').filter((a) => a.metric === 'live_accuracy')).toEqual([]);
  });

  it('wrong labels lower live accuracy, fire the rule, and the rule retrains; an equal challenger is kept', async () => {
    const decided = nextDecision();
    const wrong = predictions
      .slice(50)
      .map((p) => ({ id: p.id, label: labelOf(p.reading, 'A') === 'high' ? 'low' : 'high' }));
    await service.invoke('monitoring.feedback', { model: 'sensors', items: wrong });
    const overview = await service.invoke('monitoring.overview', { model: 'sensors', window: '1h' });
    expect(overview.live.value).toBeLessThan(0.4);
    const fired = events('alert.fired').find((a) => a.metric === 'live_accuracy');
    expect(fired).toMatchObject({ action: 'retrain', comparator: '<', threshold: 0.7 });
    expect(events('retrain.started')).toEqual([
      expect.objectContaining({ model: 'sensors', trigger: 'alert', championVersion: 1 }),
    ]);
    const decision = await decided;
    // Same data, same configuration and seed: the challenger is the champion again, so it does not win.
    expect(decision).toMatchObject({
      model: 'sensors',
      trigger: 'alert',
      outcome: 'kept',
      promoted: false,
      alias: 'production',
      champion: { version: 1 },
      challenger: { version: 2 },
    });
    expect(decision.challenger?.metrics.accuracy).toBe(decision.champion?.metrics.accuracy);
    expect(decision.reason).toMatch(/did not beat version 1/);
    expect(decision.heldOutRows).toBe(45);
    // The retrain pinned production to the champion, so the new latest version is not served.
    expect((await service.invoke('models.get', { name: 'sensors' })).model.aliases).toEqual([
      expect.objectContaining({ alias: 'production', version: 1 }),
    ]);
  }, 120_000);

  it('"Retrain now" with nothing new is refused and says why, unless forced; labelled requests are on by default', async () => {
    // The champion was trained on dataset version 1, the newest; the policy leaves out the labels.
    const plan = await service.invoke('monitoring.retrainPlan', { model: 'sensors' });
    expect(plan).toMatchObject({
      championVersion: 1,
      championDataset: { name: 'sensors', version: 1 },
      newestDataset: { name: 'sensors', version: 1 },
      labelledInChampion: 0,
      labelledToAdd: 0,
      labelledAvailable: 200,
      nothingNew: true,
    });
    expect(plan.summary).toBe(
      'nothing changed since version 1 was trained: the same version 1 of dataset "sensors" and no labelled requests' +
        " (the policy leaves out the model's 200 labelled requests); a retrain would build the same model again",
    );
    const versions = (await service.invoke('models.get', { name: 'sensors' })).versions.length;
    const refused = await service.invoke('monitoring.retrainNow', { model: 'sensors' }).then(
      () => undefined,
      (err: unknown) => err as CairnError,
    );
    expect(refused?.code).toBe('conflict');
    expect(refused?.message).toMatch(/^nothing changed since version 1 was trained: .*; force it to retrain anyway$/);
    expect((await service.invoke('models.get', { name: 'sensors' })).versions).toHaveLength(versions);
    // A policy saved without saying is on for labelled requests once there are any: then there is something new.
    const policy = await service.invoke('monitoring.retrainPolicy.set', { model: 'sensors', metric: 'accuracy' });
    expect(policy.includeLabelledRequests).toBe(true);
    expect(await service.invoke('monitoring.retrainPlan', { model: 'sensors' })).toMatchObject({
      labelledToAdd: 200,
      nothingNew: false,
    });
    await service.invoke('monitoring.retrainPolicy.set', {
      model: 'sensors',
      metric: 'accuracy',
      includeLabelledRequests: false,
    });
  });

  it('a worse challenger is not promoted', async () => {
    // The newest data: the oldest 70 % (what the challenger trains on) follow another concept.
    await writeFile(
      path.join(dir, 'sensors.csv'),
      sensorsCsv(300, 2, (i) => (i < 220 ? 'B' : 'A')),
    );
    await service.invoke('datasets.importNow', { path: path.join(dir, 'sensors.csv'), name: 'sensors' });
    expect((await service.invoke('monitoring.retrainPlan', { model: 'sensors' })).summary).toBe(
      'a retrain would train on version 2 of dataset "sensors"' +
        " (the policy leaves out the model's 200 labelled requests); version 1 was trained on version 1",
    );
    const decision = await service.invoke('monitoring.retrainNow', { model: 'sensors' });
    expect(decision).toMatchObject({
      trigger: 'manual',
      outcome: 'kept',
      promoted: false,
      dataset: { name: 'sensors', version: 2 },
      champion: { version: 1 },
      challenger: { version: 3 },
    });
    expect(decision.challenger!.metrics.accuracy!).toBeLessThan(decision.champion!.metrics.accuracy! - 0.2);
    expect(decision.reason).toMatch(/version 1 keeps production/);
    expect((await service.invoke('models.get', { name: 'sensors' })).model.aliases[0]?.version).toBe(1);
  }, 120_000);

  it('a better challenger takes the alias, and rollback restores the previous version', async () => {
    await writeFile(
      path.join(dir, 'sensors.csv'),
      sensorsCsv(300, 3, () => 'B'),
    );
    await service.invoke('datasets.importNow', { path: path.join(dir, 'sensors.csv'), name: 'sensors' });
    const decision = await service.invoke('monitoring.retrainNow', { model: 'sensors' });
    expect(decision).toMatchObject({
      outcome: 'promoted',
      promoted: true,
      dataset: { version: 3 },
      champion: { version: 1 },
      challenger: { version: 4 },
    });
    expect(decision.challenger!.metrics.accuracy!).toBeGreaterThan(decision.champion!.metrics.accuracy! + 0.2);
    expect(decision.reason).toMatch(/version 4 beat version 1: accuracy/);
    const detail = await service.invoke('models.get', { name: 'sensors' });
    expect(detail.model.aliases[0]?.version).toBe(4);
    expect(detail.aliasHistory[0]?.reason).toMatch(/^retrain \(manual\): version 4 beat version 1/);
    await service.invoke('models.rollbackAlias', { name: 'sensors', alias: 'production' });
    expect((await service.invoke('models.get', { name: 'sensors' })).model.aliases[0]?.version).toBe(1);
    const history = await service.invoke('monitoring.decisions', { model: 'sensors' });
    expect(history.map((d) => [d.challenger?.version, d.outcome])).toEqual([
      [4, 'promoted'],
      [3, 'kept'],
      [2, 'kept'],
    ]);
  }, 120_000);
});

describe('catching up', () => {
  /** Fires when more than half the last hour's requests failed, judged from 10 of them. */
  const saveErrorRule = (webhook?: WebhookInput) =>
    service.invoke('monitoring.rules.save', {
      model: 'sensors',
      metric: 'error_rate',
      comparator: '>',
      threshold: 0.5,
      window: '1h',
      minSamples: 10,
      ...(webhook ? { webhook } : {}),
    });

  it('judges rules over the time no host ran, recording an alert at the time it would have fired', async () => {
    const now = Date.now();
    const log = new RequestLogDb(path.join(service.home, 'logs', 'requests.db'));
    // Three hours ago, a burst of failures; nothing since.
    const at = now - 3 * 3_600_000;
    log.append(
      Array.from({ length: 30 }, (_, i) => ({
        at: at + i,
        model: 'sensors',
        version: 1,
        status: 500,
        latencyMs: 1,
        predictionId: null,
        inputJson: null,
        outputJson: null,
        answer: null,
        error: 'boom',
      })),
    );
    log.close();
    const rule = await saveErrorRule();
    expect(rule.state.firing).toBe(false);
    service.monitor.repo.setEvaluation(rule.id, null, new Date(now - 5 * 3_600_000).toISOString());
    await service.monitor.catchUp(now);
    const [alert] = await service.invoke('monitoring.alerts', { model: 'sensors' });
    expect(alert).toMatchObject({ ruleId: rule.id, metric: 'error_rate', value: 1 });
    const firedAt = Date.parse(alert!.firedAt);
    expect(firedAt).toBeGreaterThanOrEqual(at);
    expect(firedAt).toBeLessThan(at + 3_600_000);
    // By now the hour holds no failures: the alert is resolved, also in the past.
    expect(Date.parse(alert!.resolvedAt!)).toBeLessThanOrEqual(now);
    // An alert of the past that is over sends no event (no notification on opening the app).
    expect(events('alert.fired').filter((a) => a.ruleId === rule.id)).toEqual([]);
    expect(events('alert.resolved').filter((a) => a.ruleId === rule.id)).toEqual([]);
  });

  it('records every past firing but sends one event and one webhook, for the alert still firing; drift is judged once, now', async () => {
    const now = Date.now() + 10 * 3_600_000;
    const log = new RequestLogDb(path.join(service.home, 'logs', 'requests.db'));
    const request = (at: number, ok: boolean) => ({
      at,
      model: 'sensors',
      version: 1,
      status: ok ? 200 : 503,
      latencyMs: 1,
      predictionId: null,
      inputJson: null,
      outputJson: null,
      answer: null,
      error: ok ? null : 'down',
    });
    // A request answered every 5 minutes, and bursts of failures 4.5 h, 2.5 h and 20 minutes before `now`: three firings of a 1h rule.
    log.append(Array.from({ length: 60 }, (_, i) => request(now - 5 * 3_600_000 + i * 300_000, true)));
    for (const ago of [4.5 * 3_600_000, 2.5 * 3_600_000, 20 * 60_000])
      log.append(Array.from({ length: 40 }, (_, i) => request(now - ago + i, false)));
    log.close();
    const receiver = await startWebhookReceiver();
    const rule = await saveErrorRule({ url: `${receiver.origin}/hook`, template: 'json' });
    service.monitor.repo.setEvaluation(rule.id, null, new Date(now - 5 * 3_600_000).toISOString());
    const delivered = new Promise<WebhookDelivery>((resolve) => {
      const off = service.events.subscribe((event, payload) => {
        const d = payload as WebhookDelivery;
        if (event === 'alert.delivery' && d.ruleId === rule.id && d.status !== 'pending') {
          off();
          resolve(d);
        }
      });
    });
    const drift = (await service.invoke('monitoring.rules.list', { model: 'sensors' })).find(
      (r) => r.metric === 'drift_score',
    )!;
    service.monitor.repo.setEvaluation(drift.id, null, new Date(now - 5 * 3_600_000).toISOString());
    const judge = vi.spyOn(
      service.monitor as unknown as { judge: (r: { id: string }, at: number) => Promise<unknown> },
      'judge',
    );
    const firedBefore = events('alert.fired').length;
    const resolvedBefore = events('alert.resolved').length;
    let judged: [{ id: string }, number][];
    try {
      await service.monitor.catchUp(now);
      judged = judge.mock.calls.map(([r, at]) => [r, at]);
    } finally {
      judge.mockRestore();
    }
    const alerts = await service.invoke('monitoring.alerts', { model: 'sensors' });
    const mine = alerts.filter((a) => a.ruleId === rule.id);
    expect(mine).toHaveLength(3);
    expect(mine.filter((a) => a.resolvedAt === null)).toHaveLength(1);
    const fired = events('alert.fired').slice(firedBefore);
    expect(fired.filter((a) => a.ruleId === rule.id)).toEqual([mine.find((a) => a.resolvedAt === null)]);
    expect(
      events('alert.resolved')
        .slice(resolvedBefore)
        .filter((a) => a.ruleId === rule.id),
    ).toEqual([]);
    // At most one event per rule, however long the app was closed.
    expect(new Set(fired.map((a) => a.ruleId)).size).toBe(fired.length);
    expect(judged.filter(([r]) => r.id === rule.id).length).toBeGreaterThan(100);
    expect(judged.filter(([r]) => r.id === drift.id).map(([, at]) => at)).toEqual([now]);
    // The webhook is told what the events tell: the one alert firing now, not the two of the past.
    const firing = mine.find((a) => a.resolvedAt === null)!;
    try {
      expect(await delivered).toMatchObject({ alertId: firing.id, event: 'fired', status: 'delivered' });
      expect(await service.invoke('monitoring.deliveries', { ruleId: rule.id })).toHaveLength(1);
      expect(receiver.requests.map((r) => (JSON.parse(r.body) as { alert: number }).alert)).toEqual([firing.id]);
    } finally {
      await receiver.close();
    }
  });
});
