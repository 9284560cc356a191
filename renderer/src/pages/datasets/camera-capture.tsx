// "Add pictures from camera" on an image dataset's page, as Teachable Machine does it: the camera's
// preview (getUserMedia, video only), a class picked from the dataset's or typed, one picture or a
// burst of N at an interval, the captured pictures to review and remove, then "Save as new
// version": the version's pictures and these become the dataset's next version. Each picture is
// sent as it is taken (datasets.stagePicture checks it as the import checks a file), so saving
// sends only their ids; removed or abandoned ones are discarded.
import { useEffect, useRef, useState } from 'react';
import type { DatasetDetail, ImportResult } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { DialogShell } from '../../components/dialog-shell.js';
import { formatCount } from '../../lib/format.js';
import '../../styles/models.css';

/** A burst's bounds: enough for a class's worth of poses, few enough to review. */
const BURST_MAX = 50;
const INTERVAL_MIN_MS = 100;
/** A capture's longer side, in px: far more than a model's input, small enough to send quickly. */
const CAPTURE_SIDE = 640;

interface Captured {
  /** The id datasets.stagePicture gave it. */
  staged: string;
  label: string;
  /** An object URL of its JPEG, for the review grid. */
  url: string;
}

interface CameraCaptureProps {
  detail: DatasetDetail;
  /** The dataset's classes, offered in the class field. */
  classes: readonly string[];
  onSaved: (result: ImportResult) => void;
  onClose: () => void;
}

export function CameraCapture({ detail, classes, onSaved, onClose }: CameraCaptureProps) {
  const { client } = useApp();
  const video = useRef<HTMLVideoElement>(null);
  const [cameraError, setCameraError] = useState<string | undefined>(undefined);
  const [ready, setReady] = useState(false);
  const [label, setLabel] = useState(classes[0] ?? '');
  const [burst, setBurst] = useState(10);
  const [intervalMs, setIntervalMs] = useState(250);
  const [progress, setProgress] = useState<{ done: number; of: number } | undefined>(undefined);
  const [captured, setCaptured] = useState<Captured[]>([]);
  const [error, setError] = useState<ApiError | undefined>(undefined);
  const [saving, setSaving] = useState(false);
  const stopBurst = useRef(false);
  // What is staged and not yet saved, read on close (state in a cleanup would be stale).
  const pending = useRef<Captured[]>([]);
  pending.current = captured;
  const saved = useRef(false);

  // The camera runs while the dialog is open; its light goes off when it closes.
  useEffect(() => {
    let stream: MediaStream | undefined;
    let closed = false;
    // Absent outside a secure origin (cairn ui reached by a network address over plain HTTP).
    if (!('mediaDevices' in navigator)) {
      setCameraError(cameraMessage(undefined));
      return;
    }
    navigator.mediaDevices.getUserMedia({ video: { width: { ideal: CAPTURE_SIDE } }, audio: false }).then(
      (s) => {
        if (closed) return s.getTracks().forEach((t) => t.stop());
        stream = s;
        const el = video.current;
        if (!el) return;
        el.srcObject = s;
        void el.play().catch(() => undefined);
      },
      (err: unknown) => setCameraError(cameraMessage(err)),
    );
    return () => {
      closed = true;
      stopBurst.current = true;
      stream?.getTracks().forEach((t) => t.stop());
    };
  }, []);

  // Pictures taken and not saved are discarded with the dialog, as are their previews.
  useEffect(
    () => () => {
      const left = pending.current;
      for (const c of left) URL.revokeObjectURL(c.url);
      if (!saved.current && left.length > 0)
        void client.call('datasets.discardPictures', { staged: left.map((c) => c.staged) }).catch(() => undefined);
    },
    [client],
  );

  const className = label.trim();

  async function captureOne(): Promise<void> {
    const el = video.current;
    if (!el || el.videoWidth === 0) throw new Error('the camera has not started yet');
    const blob = await frameAsJpeg(el);
    const staged = await client.call('datasets.stagePicture', {
      data: await base64Of(blob),
      name: `capture-${new Date().toISOString().replace(/[:.]/g, '-')}.jpg`,
    });
    setCaptured((list) => [...list, { staged: staged.id, label: className, url: URL.createObjectURL(blob) }]);
  }

  async function capture(count: number): Promise<void> {
    setError(undefined);
    stopBurst.current = false;
    setProgress({ done: 0, of: count });
    try {
      for (let i = 0; i < count && !stopBurst.current; i++) {
        // The interval is the pause between pictures of a burst, so the subject can move.
        if (i > 0) await new Promise((resolve) => setTimeout(resolve, intervalMs));
        await captureOne();
        setProgress({ done: i + 1, of: count });
      }
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setProgress(undefined);
    }
  }

  function remove(c: Captured): void {
    setCaptured((list) => list.filter((x) => x !== c));
    URL.revokeObjectURL(c.url);
    void client.call('datasets.discardPictures', { staged: [c.staged] }).catch(() => undefined);
  }

  async function save(): Promise<void> {
    setSaving(true);
    setError(undefined);
    try {
      const result = await client.call('datasets.addPictures', {
        versionId: detail.version.id,
        pictures: captured.map((c) => ({ staged: c.staged, label: c.label })),
      });
      saved.current = true;
      onSaved(result);
    } catch (err) {
      setError(toApiError(err));
    } finally {
      setSaving(false);
    }
  }

  const busy = progress !== undefined;
  const byClass = countByClass(captured);
  return (
    <DialogShell
      title="Add pictures from camera"
      testId="camera-dialog"
      busy={saving || busy}
      error={error}
      submitLabel="Save as new version"
      disabled={captured.length === 0}
      onSubmit={() => void save()}
      onClose={onClose}
    >
      <div className="camera-layout">
        <div className="camera-preview">
          {cameraError ? (
            <p className="camera-error" role="alert" data-testid="camera-error">
              {cameraError}
            </p>
          ) : (
            <video
              ref={video}
              muted
              playsInline
              data-testid="camera-video"
              data-ready={String(ready)}
              onLoadedData={() => setReady(true)}
            />
          )}
        </div>
        <div className="camera-controls">
          <label className="camera-field">
            Class
            <input
              list="camera-classes"
              value={label}
              onChange={(e) => setLabel(e.target.value)}
              placeholder="a class name"
              data-testid="camera-class"
            />
            <datalist id="camera-classes">
              {classes.map((c) => (
                <option key={c} value={c} />
              ))}
            </datalist>
          </label>
          <div className="camera-burst">
            <label className="camera-field">
              Pictures in a burst
              <input
                type="number"
                min={1}
                max={BURST_MAX}
                value={burst}
                onChange={(e) => setBurst(clamp(Number(e.target.value), 1, BURST_MAX))}
                data-testid="camera-burst"
              />
            </label>
            <label className="camera-field">
              Every (ms)
              <input
                type="number"
                min={INTERVAL_MIN_MS}
                step={50}
                value={intervalMs}
                onChange={(e) => setIntervalMs(clamp(Number(e.target.value), INTERVAL_MIN_MS, 10_000))}
                data-testid="camera-interval"
              />
            </label>
          </div>
          <div className="camera-buttons">
            <button
              type="button"
              className="btn"
              disabled={!ready || busy || !className}
              onClick={() => void capture(1)}
              data-testid="camera-capture-one"
            >
              Capture one
            </button>
            <button
              type="button"
              className="btn btn-primary"
              disabled={!ready || busy || !className}
              onClick={() => void capture(burst)}
              data-testid="camera-capture-burst"
            >
              Capture {burst}
            </button>
            {busy && (
              <button type="button" className="btn" onClick={() => (stopBurst.current = true)}>
                Stop
              </button>
            )}
          </div>
          <p className="small muted" role="status" data-testid="camera-status" data-count={captured.length}>
            {progress
              ? `Capturing ${Math.min(progress.done + 1, progress.of)} of ${progress.of}…`
              : captured.length === 0
                ? 'No pictures yet.'
                : `${formatCount(captured.length)} picture${captured.length === 1 ? '' : 's'}: ${byClass}`}
          </p>
        </div>
      </div>
      {captured.length > 0 && (
        <ul className="camera-captured" aria-label="Captured pictures" data-testid="camera-captured">
          {captured.map((c, i) => (
            <li key={c.staged} className="camera-shot">
              <img src={c.url} alt={`Capture ${i + 1}, ${c.label}`} width={96} height={72} />
              <span className="camera-shot-label ellipsis">{c.label}</span>
              <button
                type="button"
                className="camera-remove"
                aria-label={`Remove capture ${i + 1}`}
                onClick={() => remove(c)}
                disabled={saving}
              >
                ×
              </button>
            </li>
          ))}
        </ul>
      )}
    </DialogShell>
  );
}

function clamp(n: number, lo: number, hi: number): number {
  return Number.isFinite(n) ? Math.min(hi, Math.max(lo, Math.round(n))) : lo;
}

/** "cat 12, dog 3": captured pictures per class, in the order first taken. */
function countByClass(captured: readonly Captured[]): string {
  const counts = new Map<string, number>();
  for (const c of captured) counts.set(c.label, (counts.get(c.label) ?? 0) + 1);
  return [...counts].map(([l, n]) => `${l} ${n}`).join(', ');
}

/** The video's current frame as a JPEG, at most CAPTURE_SIDE px on its longer side. */
function frameAsJpeg(el: HTMLVideoElement): Promise<Blob> {
  const scale = Math.min(1, CAPTURE_SIDE / Math.max(el.videoWidth, el.videoHeight));
  const canvas = document.createElement('canvas');
  canvas.width = Math.round(el.videoWidth * scale);
  canvas.height = Math.round(el.videoHeight * scale);
  canvas.getContext('2d')?.drawImage(el, 0, 0, canvas.width, canvas.height);
  return new Promise((resolve, reject) =>
    canvas.toBlob((b) => (b ? resolve(b) : reject(new Error('the frame could not be encoded'))), 'image/jpeg', 0.9),
  );
}

/** A blob's bytes as base64 (what datasets.stagePicture takes over JSON). */
function base64Of(blob: Blob): Promise<string> {
  return new Promise((resolve, reject) => {
    const reader = new FileReader();
    reader.onload = () => resolve((reader.result as string).replace(/^data:[^,]*,/, ''));
    reader.onerror = () => reject(reader.error ?? new Error('the picture could not be read'));
    reader.readAsDataURL(blob);
  });
}

/** Why the camera did not start, as a user can act on it. */
function cameraMessage(err: unknown): string {
  const name = err instanceof DOMException ? err.name : '';
  if (name === 'NotAllowedError') return 'The camera was not allowed: allow it for this page and open this again.';
  if (name === 'NotFoundError' || name === 'OverconstrainedError') return 'No camera was found on this computer.';
  if (name === 'NotReadableError') return 'The camera is in use by another program.';
  if (!('mediaDevices' in navigator))
    return 'This page cannot use a camera: open it at localhost (a camera needs a secure origin).';
  return `The camera could not start (${err instanceof Error ? err.message : String(err)}).`;
}
