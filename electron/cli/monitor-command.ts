// `cairn monitor` and `cairn retrain`: a served model's traffic, drift and live quality over a
// window, alerts followed as they fire and resolve (`--watch`), and a retrain now with its
// champion/challenger decision.
import type { Command } from 'commander';
import type { MonitoringOverview, RetrainDecision, RunProgress, SweepProgress } from '../../shared/api.js';
import { monitoringWindows } from '../../shared/api/monitoring-windows.js';
import { CairnError } from '../core/errors.js';
import type { AlertChange } from '../core/monitoring/alert-feed.js';
import { resolveHome } from '../core/paths.js';
import { loadService, print, withService, type GlobalOptions } from './common.js';
import { progressBar, say, sayData, table, warn } from './output.js';

/**
 * How often `--watch` reads app.db for alerts. The host that judges rules (the app or `cairn ui`)
 * records alerts there and tells only its own window; a read of two indexed queries on SQLite's
 * WAL never blocks that writer, so a short interval costs nothing and keeps lines prompt.
 */
export const WATCH_POLL_MS = 500;

/** The JSON `cairn monitor --json` prints: the shape scripts rely on. */
export function monitorJson(o: MonitoringOverview) {
  return {
    requests: o.totals.requests,
    errors: o.totals.errors,
    latency_ms: { p50: o.totals.p50, p95: o.totals.p95, p99: o.totals.p99 },
    drift: o.drift.features.map((f) => ({ feature: f.feature, psi: f.psi, drifted: f.drifted })),
    // accuracy (classification) or mae (regression), once feedback exists.
    live: o.live.labelled > 0 ? { [o.live.metric]: o.live.value, labelled: o.live.labelled } : {},
  };
}

const num = (x: number | null | undefined, digits = 3) =>
  typeof x === 'number' ? String(Number(x.toPrecision(digits))) : '–';
const count = (n: number) => n.toLocaleString('en');

function monitorText(o: MonitoringOverview): string {
  const t = o.totals;
  const lines = [
    `${o.model}${o.version === null ? '' : ` version ${o.version}`}, last ${o.window}: ${count(t.requests)} requests, ${count(t.errors)} errors${t.errorRate === null ? '' : ` (${num(t.errorRate * 100)} %)`}`,
    `latency: p50 ${num(t.p50)} ms, p95 ${num(t.p95)} ms, p99 ${num(t.p99)} ms`,
  ];
  const d = o.drift;
  if (d.reference === 'none') lines.push('drift: no training data to compare with');
  else if (d.score === null)
    lines.push(`drift: not judged below ${d.minLiveRows} logged inputs (${count(d.liveRows)} so far)`);
  else {
    lines.push(
      `drift: score ${num(d.score)} over ${count(d.liveRows)} inputs (a feature drifts at PSI > ${d.thresholds.psi} or KS p < ${d.thresholds.ksPValue}); drifting: ${d.drifted.join(', ') || 'none'}`,
    );
    lines.push(
      table(
        ['feature', 'kind', 'psi', 'ks', 'p-value', 'drifted'],
        d.features.map((f) => [
          f.feature,
          f.kind,
          num(f.psi),
          num(f.ks?.statistic),
          f.ks ? num(f.ks.pValue, 2) : '–',
          f.drifted ? 'yes' : '',
        ]),
      ),
    );
  }
  const l = o.live;
  lines.push(
    l.labelled > 0
      ? `live ${l.metric}: ${num(l.value)} on ${count(l.labelled)} labelled predictions (test split: ${num(l.testSplit)})`
      : `live ${l.metric}: no feedback yet (send labels to POST /v1/models/${o.model}/feedback)`,
  );
  if (o.firing.length) lines.push('firing alerts:', ...o.firing.map((a) => `  ${a.firedAt}  ${a.message}`));
  return lines.join('\n');
}

function retrainText(d: RetrainDecision): string {
  const head =
    d.outcome === 'promoted'
      ? `${d.model}: version ${d.challenger?.version} promoted to ${d.alias}`
      : d.outcome === 'kept'
        ? `${d.model}: version ${d.challenger?.version} not promoted; version ${d.champion?.version} keeps ${d.alias}`
        : `${d.model}: retrain failed`;
  const lines = [head, `reason: ${d.reason}`];
  if (d.sweepId) lines.push(`challenger chosen by sweep ${d.sweepId} (cairn sweeps show ${d.sweepId})`);
  if (d.dataset)
    lines.push(
      `trained on: ${d.dataset.name} version ${d.dataset.version}${d.labelledRowsAdded ? ` (with ${d.labelledRowsAdded} labelled requests)` : ''}`,
    );
  if (d.champion && d.challenger && Object.keys(d.challenger.metrics).length) {
    const keys = Object.keys(d.challenger.metrics);
    lines.push(
      `on the same ${d.heldOutRows} held-out rows:`,
      table(
        ['version', 'role', ...keys],
        [
          [d.champion.version, 'champion', ...keys.map((k) => num(d.champion?.metrics[k], 4))],
          [d.challenger.version, 'challenger', ...keys.map((k) => num(d.challenger?.metrics[k], 4))],
        ],
      ),
    );
  }
  return lines.join('\n');
}

/** A `--watch` line without --json: when, what, and the alert's message. */
function changeText({ event, alert }: AlertChange): string {
  return event === 'fired'
    ? `${alert.firedAt}  FIRING    ${alert.message}`
    : `${alert.resolvedAt ?? ''}  RESOLVED  ${alert.message}`;
}

/**
 * `cairn monitor --watch`: prints each alert that fires or resolves from now on (of one model or
 * every model), a JSON object per line with --json, until SIGINT or SIGTERM. With --judge this
 * process also judges the rules, for a machine where neither the app nor `cairn ui` runs.
 */
async function watchAlerts(program: Command, model: string | undefined, o: { json?: boolean; judge?: boolean }) {
  const CairnService = await loadService();
  // With --judge the monitor starts below, once the feed has its starting point: its catch-up may
  // fire alerts at once, and those must be told.
  const service = await CairnService.open({
    home: resolveHome(program.opts<GlobalOptions>().home),
    host: 'cli',
    monitor: false,
  });
  const stopped = new Promise<void>((resolve) => {
    process.once('SIGINT', () => resolve());
    process.once('SIGTERM', () => resolve());
  });
  let timer: NodeJS.Timeout | undefined;
  try {
    const name = model === undefined ? undefined : service.registry.resolve({ name: model }).name;
    // Loaded here, not at the top: they pull in the contract (zod), which `--help` must not load.
    const [{ AlertFeed }, { alertEventPayload }] = await Promise.all([
      import('../core/monitoring/alert-feed.js'),
      import('../core/monitoring/webhooks/alert-event.js'),
    ]);
    const feed = new AlertFeed(service.monitor.repo, name);
    // One write per line: on a pipe each reaches the reader as it happens.
    const tell = (c: AlertChange) =>
      o.json ? sayData(`${JSON.stringify(alertEventPayload(c.event, c.alert))}\n`) : say(`${changeText(c)}\n`);
    timer = setInterval(() => feed.read().forEach(tell), WATCH_POLL_MS);
    if (o.judge) service.monitor.start().catch(() => undefined);
    warn(
      `Watching the alerts of ${name === undefined ? 'every model' : `"${name}"`}${o.judge ? ', judging the rules here every minute' : ' (rules are judged by the app or cairn ui while it runs)'}. Press Ctrl+C to stop.\n`,
    );
    await stopped;
  } finally {
    clearInterval(timer);
    await service.close();
  }
}

/** Adds `monitor` and `retrain` to the command tree. */
export function addMonitorCommands(program: Command): void {
  program
    .command('monitor [model]')
    .description(
      "a served model's traffic, latency, drift and live quality over a window; with --watch, alerts as they fire and resolve",
    )
    .option('--window <window>', `how far back: ${monitoringWindows.join(', ')}`, '24h')
    .option('--json', 'print the result as JSON (with --watch: one JSON object per line, NDJSON)')
    .option(
      '--watch',
      'stay running and print each alert that fires or resolves from now on (of <model>, or of every model) until Ctrl+C; ' +
        'a --json line is {"event":"fired"|"resolved","alert","rule","model","metric","comparator","threshold","window",' +
        '"value","message","features","action","firedAt","resolvedAt","summary","test"}, the body a json webhook receives',
    )
    .option('--judge', 'with --watch: also judge the rules in this process (where neither the app nor cairn ui runs)')
    .action(
      async (model: string | undefined, o: { window: string; json?: boolean; watch?: boolean; judge?: boolean }) => {
        if (o.watch) return watchAlerts(program, model, o);
        if (o.judge) throw new CairnError('invalid_argument', '--judge goes with --watch');
        if (model === undefined)
          throw new CairnError(
            'invalid_argument',
            "name the model to monitor, or use --watch to follow every model's alerts",
          );
        if (!(monitoringWindows as readonly string[]).includes(o.window))
          throw new CairnError(
            'invalid_argument',
            `--window must be one of ${monitoringWindows.join(', ')}, not "${o.window}"`,
          );
        await withService(program, 'cli', async (s) => {
          const overview = await s.invoke('monitoring.overview', { model, window: o.window });
          print(Boolean(o.json), monitorJson(overview), () => monitorText(overview));
        });
      },
    );

  program
    .command('retrain <model>')
    .description(
      "retrain now with the model's recorded configuration (or, as its retrain policy says, a small sweep around it) on its newest data; promote only if it beats the current version",
    )
    .option('--json', 'print the decision as JSON')
    .option('--force', 'retrain even when nothing changed since the current version was trained')
    .action(async (model: string, o: { json?: boolean; force?: boolean }) => {
      await withService(program, 'cli', async (s) => {
        const bar = progressBar();
        // A policy that sweeps trains several runs: the bar counts its trials, not one run's epochs.
        let sweeping = false;
        const unsubscribe = s.events.subscribe((event, payload) => {
          if (event === 'run.progress' && !sweeping) {
            const p = payload as RunProgress;
            bar.update({ fraction: p.fraction, label: `retraining: epoch ${p.epoch}/${p.epochs}` });
          }
          if (event === 'sweep.progress') {
            sweeping = true;
            const p = payload as SweepProgress;
            const of = p.budget.trials;
            bar.update({
              fraction: of ? p.trialsDone / of : 0,
              label: `retraining by a sweep: ${p.trialsDone}${of ? `/${of}` : ''} trials`,
            });
          }
        });
        let decision: RetrainDecision;
        try {
          decision = await s.invoke('monitoring.retrainNow', { model, force: Boolean(o.force) });
        } finally {
          unsubscribe();
          bar.done();
        }
        // --json: the decision as recorded, with both versions' metrics on the same held-out rows.
        print(Boolean(o.json), decision, () => retrainText(decision));
        if (decision.outcome === 'failed')
          throw new CairnError('internal', `retrain of ${decision.model} failed: ${decision.reason}`);
      });
    });
}
