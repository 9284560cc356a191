// A picture model's evaluation in pictures (runs.imagePredictions): the pictures of a confusion
// matrix cell (true X predicted as Y; a click on the matrix picks the cell, as do the two selects),
// and the most confident mistakes, the likeliest label errors. Both are paged grids of thumbnails
// (components/tile-grid.tsx); the picture under the pointer or focus shows its probability for every
// class beside the grid.
import { useCallback, useMemo, useState } from 'react';
import type { ImagePredictionItem } from '../../../../shared/api.js';
import type { ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { TILE, TileGrid, usePagedTiles } from '../../components/tile-grid.js';
import { formatCount, formatPercentValue } from '../../lib/format.js';
import { useAsync } from '../../lib/use-async.js';
import type { PictureCell } from './run-charts.js';

/** Probabilities listed beside a picture: the likeliest classes, then "n more". */
const LISTED_CLASSES = 8;

/**
 * A picture model's (a CNN's) run's kept predictions per picture, and their classes (the order of
 * each picture's probabilities): undefined while asking, for a table model's run (never asked), and
 * for a CNN run saved without them (not_found).
 */
export function useRunPictures(
  runId: string,
  pictureModel: boolean,
): { classes: readonly string[] | undefined; error?: ApiError } {
  const { client } = useApp();
  const probe = useAsync(pictureModel ? () => client.call('runs.imagePredictions', { runId, limit: 1 }) : null, [
    client,
    runId,
    pictureModel,
  ]);
  if (probe.error?.code === 'not_found') return { classes: undefined };
  return { classes: probe.data?.classes, ...(probe.error ? { error: probe.error } : {}) };
}

interface CellPicturesProps {
  runId: string;
  classes: readonly string[];
  cell: PictureCell;
  count: number;
  onCell: (cell: PictureCell) => void;
}

/** The pictures of one confusion matrix cell, with selects to move to another cell. */
export function CellPictures({ runId, classes, cell, count, onCell }: CellPicturesProps) {
  const right = cell.label === cell.predicted;
  return (
    <section className="run-pictures" aria-label="Pictures of a confusion matrix cell" data-testid="cell-pictures">
      <div className="run-pictures-head">
        <h3>
          Pictures of <span className="mono">{cell.label}</span> predicted as{' '}
          <span className="mono">{cell.predicted}</span>{' '}
          <span className="muted" data-testid="cell-count">
            ({formatCount(count)} {right ? 'right' : 'wrong'})
          </span>
        </h3>
        <ClassSelect
          label="True class"
          value={cell.label}
          classes={classes}
          testId="cell-label"
          onChange={(label) => onCell({ ...cell, label })}
        />
        <ClassSelect
          label="Predicted as"
          value={cell.predicted}
          classes={classes}
          testId="cell-predicted"
          onChange={(predicted) => onCell({ ...cell, predicted })}
        />
      </div>
      <p className="muted small">Click a cell of the confusion matrix to see its pictures.</p>
      <PredictionGrid
        runId={runId}
        classes={classes}
        label={cell.label}
        predicted={cell.predicted}
        mistakesOnly={false}
        expected={count}
        testId="cell-grid"
      />
    </section>
  );
}

function ClassSelect(props: {
  label: string;
  value: string;
  classes: readonly string[];
  testId: string;
  onChange: (value: string) => void;
}) {
  return (
    <label>
      {props.label}{' '}
      <select value={props.value} data-testid={props.testId} onChange={(e) => props.onChange(e.target.value)}>
        {props.classes.map((c) => (
          <option key={c}>{c}</option>
        ))}
      </select>
    </label>
  );
}

/** Mistakes, most confident first: a confident mistake is often a picture filed under the wrong class. */
export function ConfidentMistakes({
  runId,
  classes,
  count,
}: {
  runId: string;
  classes: readonly string[];
  count: number;
}) {
  return (
    <section className="run-pictures" aria-label="Most confident mistakes" data-testid="confident-mistakes">
      <div className="run-pictures-head">
        <h3>
          Most confident mistakes <span className="muted">({formatCount(count)})</span>
        </h3>
      </div>
      <p className="muted small">
        Wrong predictions the model was surest of, first: these are often label errors (a picture filed under the wrong
        class) rather than the model&apos;s.
      </p>
      {count === 0 ? (
        <p className="muted small">The model got every test picture right.</p>
      ) : (
        <PredictionGrid runId={runId} classes={classes} mistakesOnly expected={count} testId="mistakes-grid" />
      )}
    </section>
  );
}

interface PredictionGridProps {
  runId: string;
  /** The predictions' classes, in the order of each picture's probabilities. */
  classes: readonly string[];
  label?: string;
  predicted?: string;
  mistakesOnly: boolean;
  /** The count the confusion matrix gives, shown until the first page says. */
  expected: number;
  testId: string;
}

function PredictionGrid({ runId, classes, label, predicted, mistakesOnly, expected, testId }: PredictionGridProps) {
  const { client } = useApp();
  const fetchPage = useCallback(
    (offset: number, limit: number) =>
      client
        .call('runs.imagePredictions', {
          runId,
          offset,
          limit,
          mistakesOnly,
          sort: mistakesOnly ? 'confidence' : 'file',
          ...(label === undefined ? {} : { label }),
          ...(predicted === undefined ? {} : { predicted }),
        })
        .then((page) => ({ rows: page.items, total: page.total })),
    [client, runId, label, predicted, mistakesOnly],
  );
  const cache = usePagedTiles<ImagePredictionItem>(fetchPage);
  const [shown, setShown] = useState<ImagePredictionItem | undefined>(undefined);
  const total = cache?.total ?? expected;
  // The picture described beside the grid: the one pointed at, else the first.
  const described = shown ?? cache?.row(0);
  return (
    <div className="prediction-grid" data-testid={testId} data-total={cache?.total ?? ''}>
      {cache?.error && <ErrorPanel title="Could not load the pictures" error={cache.error} />}
      <TileGrid
        cache={cache}
        total={total}
        testId={`${testId}-scroll`}
        renderTile={(item, i) => <PredictionTile item={item} position={i} onShow={setShown} />}
      />
      <Probabilities item={described} classes={classes} />
    </div>
  );
}

function PredictionTile({
  item,
  position,
  onShow,
}: {
  item: ImagePredictionItem | undefined;
  position: number;
  onShow: (item: ImagePredictionItem) => void;
}) {
  if (!item) return <div className="image-tile image-tile-loading" aria-hidden="true" />;
  const wrong = item.label !== item.predicted;
  const summary = `${item.file}: ${item.label}, predicted ${item.predicted} (${formatPercentValue(item.confidence)})`;
  return (
    <button
      type="button"
      className={`image-tile prediction-tile${wrong ? ' prediction-wrong' : ''}`}
      title={summary}
      data-testid="prediction-tile"
      data-position={position}
      onMouseEnter={() => onShow(item)}
      onFocus={() => onShow(item)}
      onClick={() => onShow(item)}
    >
      <img src={item.thumbnailUrl} alt={item.file} width={TILE} height={TILE} decoding="async" />
      <span className="prediction-caption ellipsis">
        {wrong ? `${item.label} → ${item.predicted}` : item.predicted} · {formatPercentValue(item.confidence)}
      </span>
    </button>
  );
}

/** One picture's probability for each class, likeliest first, the true class marked. */
function Probabilities({ item, classes }: { item: ImagePredictionItem | undefined; classes: readonly string[] }) {
  const ranked = useMemo(
    () =>
      item
        ? classes
            .map((c, i) => ({ c, p: item.probabilities[i] ?? 0 }))
            .sort((a, b) => b.p - a.p || a.c.localeCompare(b.c))
        : [],
    [item, classes],
  );
  if (!item) return <aside className="prediction-detail muted small">No pictures here.</aside>;
  const listed = ranked.slice(0, LISTED_CLASSES);
  return (
    <aside className="prediction-detail" aria-label="Probabilities of the picture" data-testid="prediction-detail">
      <img src={item.thumbnailUrl} alt={`${item.label}: ${item.file}`} width={128} height={128} />
      <p className="mono ellipsis small" title={item.file}>
        {item.file}
      </p>
      <p className="small">
        true <b>{item.label}</b>, predicted <b>{item.predicted}</b>
      </p>
      <ul className="prob-bars" data-testid="probabilities">
        {listed.map(({ c, p }) => (
          <li key={c} className={c === item.label ? 'prob-true' : undefined}>
            <span className="prob-class ellipsis" title={c}>
              {c}
            </span>
            <span className="prob-bar" aria-hidden="true">
              <span style={{ width: `${Math.round(p * 100)}%` }} />
            </span>
            <span className="prob-value num">{formatPercentValue(p)}</span>
          </li>
        ))}
      </ul>
      {ranked.length > listed.length && (
        <p className="muted small">and {ranked.length - listed.length} classes less likely</p>
      )}
    </aside>
  );
}
