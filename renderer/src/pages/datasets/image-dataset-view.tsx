// One version of an image dataset: its header, what its pictures are (classes, sizes, aspect
// ratios, colour modes, formats), what is wrong with them (exact duplicates, across classes a label
// error; unreadable files and why), and the gallery. Train opens the CNN's dialog (its pictures'
// sizes choose the default input size, so it waits for the profile).
import { useMemo, useState } from 'react';
import type { DatasetDetail, ImageProfile } from '../../../../shared/api.js';
import { useApp } from '../../app-context.js';
import { Chart } from '../../components/chart.js';
import { ErrorPanel } from '../../components/error-panel.js';
import { formatCount } from '../../lib/format.js';
import { ImageTrainDialog } from '../train/image-train-dialog.js';
import { useAsync } from '../../lib/use-async.js';
import type { Selection } from './datasets-page.js';
import { CameraCapture } from './camera-capture.js';
import { ImageGallery } from './image-gallery.js';
import { aspectRatioOption, classChartHeight, classCountsOption } from './image-profile.js';
import { TrainButton, VersionHeader } from './version-header.js';

interface ImageDatasetViewProps {
  detail: DatasetDetail;
  onSelect: (s: Selection) => void;
}

export function ImageDatasetView({ detail: d, onSelect }: ImageDatasetViewProps) {
  const { client, openRun } = useApp();
  const [training, setTraining] = useState(false);
  const [cameraOpen, setCameraOpen] = useState(false);
  const profile = useAsync<ImageProfile>(
    () => client.call('datasets.imageProfile', { versionId: d.version.id }),
    [d.version.id],
  );
  const p = profile.data;

  return (
    <div className="dataset-view image-dataset-view" data-testid="image-dataset-view" data-version={d.version.version}>
      <VersionHeader
        detail={d}
        onVersion={(version) => onSelect({ datasetId: d.dataset.id, version })}
        actions={
          <>
            <button
              type="button"
              className="btn"
              onClick={() => setCameraOpen(true)}
              disabled={!p}
              data-testid="camera-open"
            >
              Add pictures from camera
            </button>
            <TrainButton onClick={() => setTraining(true)} disabled={!p || p.images === 0} />
          </>
        }
      />
      {training && p && (
        <ImageTrainDialog detail={d} profile={p} onClose={() => setTraining(false)} onStarted={openRun} />
      )}
      {profile.error && <ErrorPanel title="Could not profile the pictures" error={profile.error} />}
      {!p ? (
        !profile.error && <div className="loading-pane muted">Profiling pictures…</div>
      ) : (
        <>
          <div className="image-profile">
            <ClassCounts profile={p} />
            <Sizes profile={p} />
            <Modes profile={p} />
          </div>
          <div className="image-problems">
            <Duplicates duplicates={p.duplicates} />
            <Unreadable unreadable={p.unreadable} />
          </div>
          <ImageGallery key={p.versionId} profile={p} />
        </>
      )}
      {cameraOpen && p && (
        <CameraCapture
          detail={d}
          classes={p.classes.map((c) => c.value)}
          onClose={() => setCameraOpen(false)}
          onSaved={(r) => {
            setCameraOpen(false);
            onSelect({ datasetId: r.datasetId, version: r.version });
          }}
        />
      )}
    </div>
  );
}

function ClassCounts({ profile }: { profile: ImageProfile }) {
  const option = useMemo(() => classCountsOption(profile.classes), [profile.classes]);
  return (
    <section className="image-card image-classes" aria-label="Classes">
      <h2>
        Classes <span className="muted">({formatCount(profile.classes.length)})</span>
      </h2>
      <div className="image-classes-chart">
        <Chart
          option={option}
          height={classChartHeight(profile.classes.length)}
          label={`Pictures per class: ${profile.classes.map((c) => `${c.value} ${c.count}`).join(', ')}`}
          testId="image-class-chart"
        />
      </div>
    </section>
  );
}

function Sizes({ profile: p }: { profile: ImageProfile }) {
  const option = useMemo(() => aspectRatioOption(p.aspectRatios), [p.aspectRatios]);
  const range = (r: ImageProfile['width']) =>
    `${formatCount(r.min)} / ${formatCount(r.median)} / ${formatCount(r.max)}`;
  return (
    <section className="image-card image-sizes" aria-label="Sizes" data-testid="image-sizes">
      <h2>Sizes</h2>
      <dl className="stats image-size-stats">
        <div>
          <dt>Width min / median / max</dt>
          <dd data-stat="width">{range(p.width)}</dd>
        </div>
        <div>
          <dt>Height min / median / max</dt>
          <dd data-stat="height">{range(p.height)}</dd>
        </div>
      </dl>
      <Chart option={option} height={150} label="Pictures by aspect ratio (width over height)" testId="aspect-chart" />
      <CountList title="Most common sizes" counts={p.sizes.slice(0, 6)} testId="size-list" />
    </section>
  );
}

function Modes({ profile: p }: { profile: ImageProfile }) {
  return (
    <section className="image-card image-modes" aria-label="Colour modes and formats">
      <CountList title="Colour modes" counts={p.colourModes} testId="colour-modes" />
      <CountList title="Formats" counts={p.formats} testId="image-formats" />
    </section>
  );
}

function CountList({ title, counts, testId }: { title: string; counts: ImageProfile['sizes']; testId: string }) {
  return (
    <div className="count-list">
      <h3>{title}</h3>
      <ul data-testid={testId}>
        {counts.map((c) => (
          <li key={c.value}>
            <span className="mono">{c.value}</span>
            <span className="num">{formatCount(c.count)}</span>
          </li>
        ))}
      </ul>
    </div>
  );
}

function Duplicates({ duplicates: d }: { duplicates: ImageProfile['duplicates'] }) {
  return (
    <section className="image-card image-duplicates" aria-label="Exact duplicates" data-testid="image-duplicates">
      <h2>
        Exact duplicates{' '}
        <span className="muted" data-testid="duplicate-groups">
          ({formatCount(d.groups)} {d.groups === 1 ? 'group' : 'groups'})
        </span>
      </h2>
      {d.groups === 0 ? (
        <p className="muted small">No two pictures have the same content.</p>
      ) : (
        <>
          {d.crossClassGroups > 0 && (
            <p className="image-label-error" data-testid="cross-class-duplicates">
              {formatCount(d.crossClassGroups)} {d.crossClassGroups === 1 ? 'picture is' : 'pictures are'} filed under
              more than one class: a label error (the same picture cannot be two things).
            </p>
          )}
          <ul className="image-problem-list">
            {d.sample.map((g) => (
              <li key={g.id} data-cross-class={String(g.crossClass)}>
                {g.crossClass && <span className="tag tag-danger">label error</span>}{' '}
                {g.files.map((f) => (
                  <span key={`${f.label}/${f.file}`} className="mono image-dup-file">
                    {f.file} <span className="muted">({f.label})</span>
                  </span>
                ))}
              </li>
            ))}
          </ul>
          {d.groups > d.sample.length && (
            <p className="muted small">
              The first {formatCount(d.sample.length)} of {formatCount(d.groups)} groups, those across classes first.
            </p>
          )}
        </>
      )}
    </section>
  );
}

function Unreadable({ unreadable: u }: { unreadable: ImageProfile['unreadable'] }) {
  return (
    <section className="image-card image-unreadable" aria-label="Unreadable files" data-testid="image-unreadable">
      <h2>
        Unreadable files <span className="muted">({formatCount(u.count)})</span>
      </h2>
      {u.count === 0 ? (
        <p className="muted small">Every file was read as a picture.</p>
      ) : (
        <ul className="image-problem-list">
          {u.files.map((f) => (
            <li key={f.file}>
              <span className="mono">{f.file}</span> <span className="muted">{f.reason}</span>
            </li>
          ))}
        </ul>
      )}
    </section>
  );
}
