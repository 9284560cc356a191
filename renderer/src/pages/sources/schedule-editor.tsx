// A schedule as a person reads it: no schedule, hourly, daily at a time, weekly on a day at a
// time, or a cron expression typed as it is; under it, the next three run times or the reason it
// does not parse, both from the engine's own check (sources.checkSchedule, croner), so what shows
// here is what the scheduler will do.
import { useEffect, useState } from 'react';
import type { ScheduleCheck } from '../../../../shared/api.js';
import { toApiError, type ApiError } from '../../api/api-error.js';
import { useApp } from '../../app-context.js';
import { formatDate } from '../../lib/format.js';
import {
  cronOf,
  DAYS,
  describePreset,
  MODE_LABELS,
  presetOf,
  withMode,
  type ScheduleMode,
  type SchedulePreset,
} from './schedule-presets.js';

/** Wait this long after the last keystroke before asking the engine. */
const CHECK_AFTER_MS = 250;

interface ScheduleEditorProps {
  /** The cron expression ('' for none). */
  value: string;
  onChange: (cron: string) => void;
  /** Told whether the engine accepts the current expression ('' always is). */
  onValidity?: (ok: boolean) => void;
  /** An error from a save the engine refused, shown beside the field. */
  error?: string | undefined;
}

type Check = { next: string[] } | { error: ApiError } | undefined;

export function ScheduleEditor({ value, onChange, onValidity, error }: ScheduleEditorProps) {
  const { client } = useApp();
  const [preset, setPreset] = useState<SchedulePreset>(() => presetOf(value));
  const [check, setCheck] = useState<Check>(undefined);
  const cron = cronOf(preset);

  const update = (next: SchedulePreset) => {
    setPreset(next);
    onChange(cronOf(next));
  };

  useEffect(() => {
    if (cron === '') {
      setCheck(undefined);
      onValidity?.(true);
      return;
    }
    let current = true;
    const timer = setTimeout(() => {
      client.call('sources.checkSchedule', { schedule: cron, count: 3 }).then(
        (r: ScheduleCheck) => {
          if (!current) return;
          setCheck({ next: r.next });
          onValidity?.(true);
        },
        (err: unknown) => {
          if (!current) return;
          setCheck({ error: toApiError(err) });
          onValidity?.(false);
        },
      );
    }, CHECK_AFTER_MS);
    return () => {
      current = false;
      clearTimeout(timer);
    };
    // onValidity is the caller's setter; only the expression decides a new check.
  }, [cron, client]);

  const parseError = check && 'error' in check ? check.error.message : error;
  return (
    <fieldset className="schedule-editor" data-testid="schedule-editor" data-mode={preset.mode}>
      <legend>Schedule</legend>
      <div className="schedule-row">
        <label className="field">
          <span className="field-label">Refresh</span>
          <select
            aria-label="Refresh schedule"
            data-testid="schedule-mode"
            value={preset.mode}
            onChange={(e) => update(withMode(preset, e.target.value as ScheduleMode))}
          >
            {(Object.keys(MODE_LABELS) as ScheduleMode[]).map((m) => (
              <option key={m} value={m}>
                {MODE_LABELS[m]}
              </option>
            ))}
          </select>
        </label>
        {preset.mode === 'hourly' && (
          <label className="field">
            <span className="field-label">Minutes past the hour</span>
            <input
              type="number"
              min={0}
              max={59}
              aria-label="Minutes past the hour"
              data-testid="schedule-minute"
              value={preset.minute}
              onChange={(e) => update({ ...preset, minute: clampMinute(e.target.value) })}
            />
          </label>
        )}
        {preset.mode === 'weekly' && (
          <label className="field">
            <span className="field-label">On</span>
            <select
              aria-label="Day of the week"
              data-testid="schedule-day"
              value={preset.day}
              onChange={(e) => update({ ...preset, day: Number(e.target.value) })}
            >
              {DAYS.map((d, i) => (
                <option key={d} value={i}>
                  {d}
                </option>
              ))}
            </select>
          </label>
        )}
        {(preset.mode === 'daily' || preset.mode === 'weekly') && (
          <label className="field">
            <span className="field-label">At (local time)</span>
            <input
              type="time"
              aria-label="Time of day"
              data-testid="schedule-time"
              value={preset.time}
              required
              onChange={(e) => e.target.value && update({ ...preset, time: e.target.value })}
            />
          </label>
        )}
        {preset.mode === 'custom' && (
          <label className="field schedule-cron">
            <span className="field-label">Cron (minute hour day-of-month month day-of-week)</span>
            <input
              aria-label="Cron expression"
              data-testid="schedule-cron"
              className="mono"
              value={preset.cron}
              placeholder="0 6 * * 1-5"
              aria-invalid={parseError ? true : undefined}
              onChange={(e) => update({ ...preset, cron: e.target.value })}
            />
          </label>
        )}
      </div>
      {parseError ? (
        <span className="field-error" role="alert" data-testid="schedule-error">
          {parseError}
        </span>
      ) : cron !== '' ? (
        <p className="schedule-next small muted" data-testid="schedule-next">
          <span className="mono">{cron}</span> · {describePreset(preset)}
          {check && 'next' in check && (
            <>
              {' '}
              · next:{' '}
              {check.next.map((t, i) => (
                <span key={t} data-testid="schedule-next-time">
                  {i > 0 ? ', ' : ''}
                  {formatDate(t)}
                </span>
              ))}
            </>
          )}
        </p>
      ) : (
        <p className="schedule-next small muted">Refresh now from the source’s page, or by a pipeline that names it.</p>
      )}
    </fieldset>
  );
}

function clampMinute(text: string): number {
  const n = Math.round(Number(text));
  return Number.isFinite(n) ? Math.min(59, Math.max(0, n)) : 0;
}
