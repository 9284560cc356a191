// One run: what it is (dataset, target, model, backend), how far it has got (epoch, ETA, cancel),
// its training curves growing live, and once done its evaluation on the held-out test split:
// the headline metrics, per-class scores, the confusion matrix and ROC curves for classes,
// predicted-vs-actual and residual plots for numbers. Then what preprocessing did and every
// resolved parameter, so the run can be read (and reproduced) from this page alone.
import { useMemo, useState, type ReactNode } from 'react';
import {
  autoChoiceOf,
  type EpochRecord,
  type Explanation,
  type Run,
  type RunProgress,
  type TaskName,
} from '../../../../shared/api.js';
import { HEADLINE_TEST_METRICS, lowerIsBetter } from '../../../../shared/metrics.js';
import { useApp } from '../../app-context.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { Chart } from '../../components/chart.js';
import { SERIES_COLORS } from '../../components/chart-theme.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { ProgressBar } from '../../components/progress-bar.js';
import { formatCount, formatDate, formatDuration, formatStat } from '../../lib/format.js';
import { modelKindLabel, TREES } from '../../../../shared/training-settings.js';
import {
  cellCount,
  confusionCell,
  confusionOption,
  firstCell,
  mistakeCount,
  type PictureCell,
  curvesOption,
  historyKeys,
  metricLabel,
  predictedVsActualOption,
  residualOption,
  rocOption,
  type RocCurveData,
} from './run-charts.js';
import { flattenParams, formatParamValue, METRIC_LABELS } from './run-compare-data.js';
import { boostingOf, hiddenSummary, shortId, stepNoun } from './runs-query.js';
import { RunSweepActions } from '../sweeps/sweep-from-run.js';
import { RunAutoChoice } from './run-auto-choice.js';
import { RunExplanation } from './run-explanation.js';
import { CellPictures, ConfidentMistakes, useRunPictures } from './run-pictures.js';
import { useLiveRun } from './use-live-run.js';
import { placementLabel } from '../settings/compute-labels.js';
import { TableHead } from '../../components/table-head.js';

export interface RunDetailProps {
  runId: string;
  onBack: () => void;
}

/** The headline test metrics as cards; the majority-class baseline is a note under accuracy. */
const HEADLINE: Record<TaskName, string[]> = {
  classification: HEADLINE_TEST_METRICS.classification.filter((k) => k !== 'majority_baseline'),
  regression: [...HEADLINE_TEST_METRICS.regression],
};

interface ClassScores {
  precision: number;
  recall: number;
  f1: number;
  support: number;
}

interface TestMetrics {
  [key: string]: unknown;
  rows?: number;
  classes?: string[];
  perClass?: ClassScores[];
  confusion?: number[][];
  roc?: RocCurveData[];
  points?: { actual: number[]; predicted: number[] };
}

export function RunDetail({ runId, onBack }: RunDetailProps) {
  const { client } = useApp();
  const { run, history, progress, error } = useLiveRun(runId);
  const [cancelError, setCancelError] = useState<ApiError | undefined>(undefined);
  const [cancelling, setCancelling] = useState(false);

  if (error) {
    return (
      <section className="run-detail">
        <BackBar onBack={onBack} />
        <ErrorPanel title="Could not open the run" error={error} />
      </section>
    );
  }
  if (!run) return <div className="loading-pane muted">Loading run…</div>;

  const open = run.status === 'queued' || run.status === 'running';
  const cancel = () => {
    setCancelling(true);
    setCancelError(undefined);
    client.call('runs.cancel', { runId }).then(
      () => setCancelling(false),
      (err: unknown) => {
        setCancelError(toApiError(err));
        setCancelling(false);
      },
    );
  };
  const test = (run.metrics as { test?: TestMetrics } | null)?.test;
  const explanation = (run.metrics as { explanation?: Explanation } | null)?.explanation;
  const auto = autoChoiceOf(run);

  return (
    <section className="run-detail" data-testid="run-detail" data-status={run.status} data-run-id={run.id}>
      <BackBar onBack={onBack}>
        <RunSweepActions run={run} />
        {open && (
          <button type="button" className="btn" onClick={cancel} disabled={cancelling} data-testid="run-cancel">
            {cancelling ? 'Cancelling…' : run.status === 'queued' ? 'Remove from queue' : 'Cancel run'}
          </button>
        )}
      </BackBar>
      <RunHeader run={run} />
      {cancelError && <ErrorPanel title="Could not cancel the run" error={cancelError} />}
      {run.status === 'running' && (
        <RunProgressLine
          run={run}
          epoch={progress?.epoch ?? history.at(-1)?.epoch ?? 0}
          etaMs={progress?.etaMs}
          progress={progress}
        />
      )}
      {run.status === 'queued' && (
        <p className="muted run-note">Waiting for the runs ahead of it to finish; runs train one at a time.</p>
      )}
      {run.error && run.status !== 'succeeded' && (
        <ErrorPanel
          title={
            run.status === 'cancelled' ? 'Cancelled' : run.status === 'interrupted' ? 'Interrupted' : 'Training failed'
          }
          error={toApiError(run.error)}
        />
      )}

      <Curves history={history} task={run.task} step={stepNoun(run)} best={boostingOf(run)?.bestIteration} />

      {run.status === 'succeeded' && auto && <RunAutoChoice auto={auto} />}
      {run.status === 'succeeded' && test && run.task && <Evaluation run={run} test={test} task={run.task} />}
      {run.status === 'succeeded' && explanation && <RunExplanation explanation={explanation} />}
      <RunFacts run={run} />
    </section>
  );
}

function BackBar({ onBack, children }: { onBack: () => void; children?: ReactNode }) {
  return (
    <div className="run-backbar">
      <button type="button" className="btn btn-ghost" onClick={onBack} data-testid="run-back">
        ← All runs
      </button>
      <span className="status-spacer" />
      {children}
    </div>
  );
}

export function StatusBadge({ status }: { status: Run['status'] }) {
  return (
    <span className={`run-status run-status-${status}`} data-testid="run-status">
      {status}
    </span>
  );
}

function RunHeader({ run }: { run: Run }) {
  const started = run.startedAt ? Date.parse(run.startedAt) : undefined;
  const ended = run.finishedAt ? Date.parse(run.finishedAt) : undefined;
  return (
    <header className="run-header">
      <div className="run-title">
        <h1>
          Run {shortId(run.id)}
          {run.model && (
            <span className="run-model-name">
              {' '}
              → model {run.model.name} v{run.model.version}
            </span>
          )}
        </h1>
        <StatusBadge status={run.status} />
      </div>
      <dl className="facts">
        <Fact label="Dataset" value={datasetLabel(run)} title={datasetTitle(run)} testId="run-fact-dataset" />
        <Fact label="Target" value={run.target} />
        <Fact label="Task" value={run.task ?? 'inferred at start'} />
        <Fact label="Model" value={modelLabel(run)} />
        {boostingOf(run) && <Fact label="Trees" value={treesSummary(run)} />}
        <Fact label="Backend" value={run.backend ?? '–'} />
        <Fact label="Trained on" value={placementLabel(run.ranOn)} testId="run-fact-place" />
        <Fact label="Started" value={run.startedAt ? formatDate(run.startedAt) : '–'} />
        <Fact
          label="Duration"
          value={started !== undefined && ended !== undefined ? formatDuration(ended - started) : '–'}
        />
        <Fact label="Run id" value={run.id} mono />
      </dl>
    </header>
  );
}

function Fact({
  label,
  value,
  mono,
  title,
  testId,
}: {
  label: string;
  value: string;
  mono?: boolean;
  title?: string;
  testId?: string;
}) {
  return (
    <div>
      <dt>{label}</dt>
      <dd className={mono ? 'mono ellipsis' : undefined} title={title ?? value} data-testid={testId}>
        {value}
      </dd>
    </div>
  );
}

/** The data the run traces to: a pipeline's table is named by the dataset version it came from and the pipeline. */
function datasetLabel(run: Run): string {
  const made = run.pipelineTable;
  const from = made?.source ?? { name: run.datasetName, version: run.datasetVersion };
  const via = made?.pipeline ? ` via pipeline ${made.pipeline}` : '';
  return `${from.name} v${from.version}${via}`;
}

/** Hover text naming the table a pipeline made, which the datasets list leaves out. */
function datasetTitle(run: Run): string | undefined {
  return run.pipelineTable
    ? `${datasetLabel(run)}: trained on the pipeline's table ${run.datasetName} v${run.datasetVersion}`
    : undefined;
}

/** "100 trees, kept from round 100 of 100". */
function treesSummary(run: Run): string {
  const b = boostingOf(run);
  return b ? `${formatCount(b.trees)} trees, kept from round ${b.bestIteration} of ${b.rounds}` : '–';
}

/** The run's model in words; an automatic run's says so: "Automatic → Gradient-boosted trees". */
function modelLabel(run: Run): string {
  if (run.modelKind === 'auto') return 'Automatic (choosing)';
  const kind = kindLabel(run);
  return run.params.modelChoice === 'auto' ? `Automatic → ${kind}` : kind;
}

function kindLabel(run: Run): string {
  if (run.modelKind !== 'mlp') return modelKindLabel(run.modelKind);
  // A queued or running run holds the request's flat params; a finished one the resolved, nested ones.
  const layers =
    (run.params.model as { hiddenLayers?: { units: number }[] } | undefined)?.hiddenLayers ??
    (run.params.hiddenLayers as { units: number }[] | undefined);
  return layers ? `MLP ${hiddenSummary(layers)}` : 'MLP';
}

function RunProgressLine({
  run,
  epoch,
  etaMs,
  progress,
}: {
  run: Run;
  epoch: number;
  etaMs: number | undefined;
  progress: RunProgress | undefined;
}) {
  // An automatic run's progress names the candidate training ("gbdt (2 of 3): round 12 of 300") and counts its steps.
  const candidate = progress?.candidate;
  // A queued or running run holds the request's flat params.
  const epochs = candidate
    ? progress.epochs
    : run.modelKind === 'gbdt'
      ? ((run.params.trees as number | undefined) ?? TREES.default)
      : ((run.params.epochs as number | undefined) ?? (run.params.train as { epochs?: number } | undefined)?.epochs);
  const noun = candidate
    ? `${candidate.model} (${candidate.number} of ${candidate.of}): ${candidate.model === 'gbdt' ? 'round' : 'epoch'}`
    : stepNoun(run) === 'round'
      ? 'Round'
      : 'Epoch';
  const fraction = candidate ? progress.fraction : epochs ? epoch / epochs : undefined;
  return (
    <div className="run-progress" data-testid="run-progress">
      <ProgressBar fraction={epoch === 0 ? undefined : fraction} label="Training progress" />
      <span className="small">
        {epoch === 0 ? 'Preparing data…' : `${noun} ${formatCount(epoch)}${epochs ? ` of ${formatCount(epochs)}` : ''}`}
        {etaMs !== undefined && epoch > 0 ? ` · about ${formatDuration(etaMs)} left` : ''}
        {epochs ? ' · may stop early' : ''}
      </span>
    </div>
  );
}

/** Loss, and the task's metric, for training and validation; the validation line dashed. */
function Curves({
  history,
  task,
  step,
  best,
}: {
  history: EpochRecord[];
  task: TaskName | null;
  step: 'epoch' | 'round';
  best: number | undefined;
}) {
  const keys = useMemo(() => historyKeys(history), [history]);
  const groups = useMemo(() => {
    const bases = [...new Set(keys.map((k) => k.replace(/^val_/, '')))];
    return bases.map((base) => ({
      base,
      option: curvesOption(
        keys
          .filter((k) => k.replace(/^val_/, '') === base)
          .map((k) => ({
            name: metricLabel(k),
            history,
            key: k,
            dashed: k.startsWith('val_'),
            color: k.startsWith('val_') ? SERIES_COLORS[1] : SERIES_COLORS[0],
          })),
        step,
        best,
      ),
    }));
  }, [keys, history, step, best]);
  if (history.length === 0) return null;
  return (
    <section className="run-section" aria-label="Training curves">
      <h2>Training curves</h2>
      <div className="chart-row">
        {groups.map((g) => (
          <div className="chart-card" key={g.base}>
            <h3>
              {g.base === 'acc'
                ? 'Accuracy'
                : g.base === 'mae'
                  ? 'Mean absolute error'
                  : g.base === 'loss'
                    ? 'Loss'
                    : g.base}
            </h3>
            <Chart option={g.option} height={220} label={`${g.base} per ${step}`} testId={`curve-${g.base}`} />
          </div>
        ))}
      </div>
      {task === 'classification' && !keys.includes('val_loss') && (
        <p className="muted small">No validation split: only training curves.</p>
      )}
    </section>
  );
}

function Evaluation({ run, test, task }: { run: Run; test: TestMetrics; task: TaskName }) {
  return (
    <section className="run-section" aria-label="Evaluation on the test split" data-testid="evaluation">
      <h2>Evaluation on the test split{typeof test.rows === 'number' ? ` · ${formatCount(test.rows)} rows` : ''}</h2>
      <div className="metric-cards">
        {HEADLINE[task].map((key) => {
          const v = test[key];
          return (
            <div className="metric-card" key={key} data-testid={`metric-${key}`}>
              <span className="metric-label">{METRIC_LABELS[key] ?? key}</span>
              <span className="metric-value">{typeof v === 'number' ? formatStat(v) : '–'}</span>
              {lowerIsBetter(key) && <span className="metric-note">lower is better</span>}
              {key === 'accuracy' && typeof test.majority_baseline === 'number' && (
                <span className="metric-note" data-testid="metric-baseline">
                  majority class alone: {formatStat(test.majority_baseline)}
                </span>
              )}
            </div>
          );
        })}
      </div>
      {task === 'classification' ? (
        <ClassEvaluation runId={run.id} pictureModel={run.modelKind === 'cnn'} test={test} />
      ) : (
        <RegressionEvaluation test={test} />
      )}
    </section>
  );
}

function ClassEvaluation({ runId, pictureModel, test }: { runId: string; pictureModel: boolean; test: TestMetrics }) {
  const classes = test.classes ?? [];
  // A picture model's run kept its test pictures: the matrix's cells open them.
  const pictures = useRunPictures(runId, pictureModel);
  const confusion = useMemo(
    () =>
      test.confusion ? confusionOption(test.confusion, classes, pictures.classes ? 'pictures' : 'rows') : undefined,
    [test.confusion, classes, pictures.classes],
  );
  const [cell, setCell] = useState<PictureCell | undefined>(undefined);
  const shownCell = cell ?? firstCell(test.confusion ?? [], classes);
  const openCell = (value: unknown) => {
    const picked = confusionCell(value, classes);
    if (picked) setCell({ label: picked.label, predicted: picked.predicted });
  };
  const roc = useMemo(() => {
    if (!test.roc) return undefined;
    // Binary: one curve, for the second class as positive; more: one per class against the rest.
    const names = test.roc.length === 1 ? [`${classes[1] ?? 'positive'} vs ${classes[0] ?? 'rest'}`] : classes;
    return rocOption(test.roc, names);
  }, [test.roc, classes]);
  const side = Math.min(520, 160 + classes.length * 36);
  return (
    <>
      <div className="chart-row">
        {confusion && (
          <div className="chart-card">
            <h3>Confusion matrix</h3>
            <Chart
              option={confusion}
              height={side}
              label={pictures.classes ? 'Confusion matrix: click a cell to see its pictures' : 'Confusion matrix'}
              testId="confusion-matrix"
              {...(pictures.classes ? { onItemClick: openCell } : {})}
            />
          </div>
        )}
        {roc && (
          <div className="chart-card">
            <h3>ROC curve{test.roc && test.roc.length > 1 ? 's (one vs rest)' : ''}</h3>
            <Chart option={roc} height={Math.max(300, side)} label="ROC curves" testId="roc-curves" />
          </div>
        )}
      </div>
      {pictures.error && <ErrorPanel title="Could not load the test pictures" error={pictures.error} />}
      {pictures.classes && (
        <>
          <CellPictures
            runId={runId}
            classes={pictures.classes}
            cell={shownCell}
            count={cellCount(test.confusion ?? [], classes, shownCell)}
            onCell={setCell}
          />
          <ConfidentMistakes runId={runId} classes={pictures.classes} count={mistakeCount(test.confusion ?? [])} />
        </>
      )}
      {test.perClass && (
        <table className="per-class" data-testid="per-class">
          <TableHead columns={['Class', 'Precision', 'Recall', 'F1', 'Support']} />
          <tbody>
            {test.perClass.map((s, i) => (
              <tr key={classes[i] ?? i}>
                <td>{classes[i] ?? i}</td>
                <td>{formatStat(s.precision)}</td>
                <td>{formatStat(s.recall)}</td>
                <td>{formatStat(s.f1)}</td>
                <td>{formatCount(s.support)}</td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </>
  );
}

function RegressionEvaluation({ test }: { test: TestMetrics }) {
  const points = test.points;
  const scatter = useMemo(
    () => (points ? predictedVsActualOption(points.actual, points.predicted) : undefined),
    [points],
  );
  const residual = useMemo(() => (points ? residualOption(points.actual, points.predicted) : undefined), [points]);
  if (!points || !scatter || !residual) return null;
  const sampled = typeof test.rows === 'number' && test.rows > points.actual.length;
  return (
    <>
      <div className="chart-row">
        <div className="chart-card">
          <h3>Predicted vs actual</h3>
          <Chart option={scatter} height={300} label="Predicted against actual values" testId="predicted-vs-actual" />
        </div>
        <div className="chart-card">
          <h3>Residuals</h3>
          <Chart option={residual} height={300} label="Residuals against predicted values" testId="residuals" />
        </div>
      </div>
      {sampled && (
        <p className="muted small">
          Plots show {formatCount(points.actual.length)} of the test split&apos;s rows, picked at random; the metrics
          use all of them.
        </p>
      )}
    </>
  );
}

interface PreprocessView {
  features?: { kind: string; column: string; categories?: string[] }[];
  dropped?: { column: string; reason: string }[];
  /** A picture model's input (model-input.ts's ImageInput): a CNN's run has no columns to list. */
  image?: { size: number; channels: 1 | 3; mean: number[]; std: number[] };
}

/** What preprocessing did, and every resolved parameter. */
function RunFacts({ run }: { run: Run }) {
  const pre = run.preprocess as PreprocessView | null;
  const params = useMemo(() => flattenParams(run.params), [run.params]);
  return (
    <section className="run-section run-facts" aria-label="Preprocessing and parameters">
      {pre && (
        <div>
          <h2>Preprocessing (fitted on the training split)</h2>
          <ul className="prep-list" data-testid="preprocessing">
            {(pre.features ?? []).map((f) => (
              <li key={f.column}>
                <span className="mono">{f.column}</span> <span className="tag">{stepLabel(f)}</span>
              </li>
            ))}
            {pre.image && (
              <li data-testid="preprocessing-image">
                <span className="mono">pictures</span>{' '}
                <span className="tag">
                  {pre.image.size} × {pre.image.size} px {pre.image.channels === 1 ? 'grey' : 'colour'}
                </span>{' '}
                <span className="muted">
                  normalised per channel: mean {pre.image.mean.map((m) => formatStat(m)).join(', ')}, std{' '}
                  {pre.image.std.map((m) => formatStat(m)).join(', ')}
                </span>
              </li>
            )}
            {(pre.dropped ?? []).map((d) => (
              <li key={d.column} className="dropped">
                <span className="mono">{d.column}</span> <span className="tag tag-warn">dropped</span>{' '}
                <span className="muted">{d.reason}</span>
              </li>
            ))}
          </ul>
        </div>
      )}
      <div>
        <h2>Parameters</h2>
        <table className="param-table" data-testid="run-params">
          <tbody>
            {params.map(([k, v]) => (
              <tr key={k}>
                <th className="mono">{k}</th>
                <td className="mono">{formatParamValue(v)}</td>
              </tr>
            ))}
            <tr>
              <th className="mono">dataset hash</th>
              <td className="mono ellipsis" title={run.datasetHash}>
                {run.datasetHash}
              </td>
            </tr>
            {run.tfjsVersion && (
              <tr>
                <th className="mono">tfjs</th>
                <td className="mono">{run.tfjsVersion}</td>
              </tr>
            )}
          </tbody>
        </table>
      </div>
    </section>
  );
}

function stepLabel(f: { kind: string; categories?: string[] }): string {
  if (f.kind === 'numeric') return 'imputed median, standardised';
  if (f.kind === 'boolean') return 'boolean 0/1';
  if (f.kind === 'one-hot') return `one-hot, ${f.categories?.length ?? 0} categories`;
  if (f.kind === 'index') return `index-encoded, ${f.categories?.length ?? 0} categories`;
  return f.kind;
}
