// A model's monitoring page in one call: traffic and latency per bucket, what it answered, data
// drift of its logged inputs against its training data, and live quality from feedback, over a
// window. Every series comes from SQL over the request log's rollups, index and feedback table;
// drift reads a bounded sample of logged inputs.
import type { Alert, DriftReport, MonitoringOverview, MonitoringWindow } from '../../../shared/api.js';
import type { RequestLogReader } from '../db/request-log-reader.js';
import type { RegistryVersion } from '../db/registry-repo.js';
import type { ModelRegistry } from '../registry/registry.js';
import { driftReport, LIVE_SAMPLE_MAX } from './drift-report.js';
import { liveQuality } from './live-quality.js';
import { predictionDistribution, trafficSeries } from './traffic-series.js';
import type { VersionView, VersionViews } from './version-views.js';
import { fittingWindow, LONGEST_WINDOW, MINUTE_MS, windowBounds, type WindowBounds } from './windows.js';

export interface OverviewDeps {
  reader: RequestLogReader;
  views: VersionViews;
  registry: ModelRegistry;
  firing: (model: string) => Alert[];
}

/**
 * The version monitoring judges a model by: the one asked for, else the model's default
 * (production, else latest). Its card names the features and classes; its training data is the
 * reference for drift.
 */
export function judgedVersion(registry: ModelRegistry, model: string, version?: number): RegistryVersion {
  return version === undefined ? registry.resolve({ name: model }) : registry.resolve({ name: model, version });
}

/** Versions of `model` that answered in the window (or just `version`). */
export function answeringVersions(
  reader: RequestLogReader,
  model: string,
  version: number | null,
  b: WindowBounds,
): number[] {
  if (version !== null) return [version];
  return reader.versions(model, Math.floor(b.from / MINUTE_MS), Math.ceil(b.to / MINUTE_MS));
}

/** Drift of the logged inputs of `versions` in the window against `view`'s training data. */
export function windowDrift(
  reader: RequestLogReader,
  view: VersionView,
  versions: readonly number[],
  b: WindowBounds,
): DriftReport {
  const w = { model: view.version.name, versions, from: b.from, to: b.to };
  const count = versions.length ? reader.answeredCount(w) : 0;
  const every = Math.ceil(count / LIVE_SAMPLE_MAX);
  // A picture model's log holds each picture's summary; drift reads it with the class answered.
  const inputs = !count
    ? []
    : view.pictures
      ? reader.samplePictureRecords(w, every, LIVE_SAMPLE_MAX)
      : reader.sampleInputs(w, every, LIVE_SAMPLE_MAX);
  return driftReport(view.fields, view.reference, inputs, count);
}

/** The test-split figure live quality is shown beside: accuracy or MAE of the version's run. */
export function testSplitFigure(view: VersionView): number | null {
  const metric = view.card.task === 'classification' ? 'accuracy' : 'mae';
  const fromRun = view.version.run?.testMetrics[metric];
  if (typeof fromRun === 'number') return fromRun;
  const test = (view.card.metrics as { test?: Record<string, unknown> }).test;
  return typeof test?.[metric] === 'number' ? test[metric] : null;
}

/** When the model (or version) was first asked within the longest window; null with no traffic in it. */
function firstTraffic(reader: RequestLogReader, model: string, version: number | null, now: number): number | null {
  const longest = windowBounds(LONGEST_WINDOW, now);
  const minute = reader.firstMinute(model, version, Math.floor(longest.from / MINUTE_MS));
  return minute === null ? null : minute * MINUTE_MS;
}

/** Everything the monitoring page shows for a model (or one version) over a window ending now. */
export async function monitoringOverview(
  deps: OverviewDeps,
  req: { model: string; version?: number; window?: MonitoringWindow },
  now = Date.now(),
): Promise<MonitoringOverview> {
  const judged = judgedVersion(deps.registry, req.model, req.version);
  const view = await deps.views.get(judged);
  const name = judged.name;
  const version = req.version ?? null;
  const window = req.window ?? fittingWindow(firstTraffic(deps.reader, name, version, now), now);
  const b = windowBounds(window, now);
  const { buckets, totals } = trafficSeries(deps.reader, name, version, b);
  const versions = answeringVersions(deps.reader, name, version, b);
  return {
    model: name,
    version,
    task: view.card.task,
    window,
    from: b.from,
    to: b.to,
    bucketSeconds: b.bucketMs / 1000,
    versions,
    totals,
    buckets,
    predictions: predictionDistribution(deps.reader, name, version, b, view.card.classes),
    drift: windowDrift(deps.reader, view, versions, b),
    live: liveQuality(
      deps.reader,
      { model: name, version, task: view.card.task, testSplit: testSplitFigure(view), predictions: totals.predictions },
      b,
    ),
    firing: deps.firing(name),
  };
}
