// Runs sources' schedules while a long-lived host (the app, `cairn ui`) runs. On start, a source
// whose scheduled time passed while no host ran is refreshed once (not once per missed time), as
// monitoring catches up on alerts; then each schedule runs as croner times it. A tick that finds
// its source still refreshing is skipped: never two refreshes of one source at once.
import { Cron } from 'croner';
import type { RefreshTrigger } from '../../../shared/api.js';
import type { StoredSource } from '../db/sources-repo.js';
import { missedSince } from './schedule.js';

export interface SchedulesDeps {
  scheduled(): StoredSource[];
  isRefreshing(sourceId: string): boolean;
  /** When the source last refreshed (any outcome), if ever. */
  lastRefreshAt(sourceId: string): string | undefined;
  refresh(name: string, trigger: RefreshTrigger): Promise<unknown>;
}

export class SourceSchedules {
  private jobs = new Map<string, { schedule: string; cron: Cron }>();
  private started = false;
  private closed = false;
  private readonly inFlight = new Set<Promise<unknown>>();

  constructor(private readonly deps: SchedulesDeps) {}

  /** Catches up once on what was missed, then keeps every schedule. */
  start(now = new Date()): void {
    this.started = true;
    for (const s of this.deps.scheduled()) {
      const since = new Date(this.deps.lastRefreshAt(s.id) ?? s.updatedAt);
      if (missedSince(s.schedule as string, since, now)) this.fire(s, 'catch_up');
    }
    this.reload();
  }

  /** Matches the timers to the saved schedules (after an add, update or remove). */
  reload(): void {
    if (!this.started || this.closed) return;
    const wanted = new Map(this.deps.scheduled().map((s) => [s.id, s]));
    for (const [id, job] of this.jobs) {
      if (wanted.get(id)?.schedule !== job.schedule) {
        job.cron.stop();
        this.jobs.delete(id);
      }
    }
    for (const [id, s] of wanted) {
      if (this.jobs.has(id)) continue;
      const schedule = s.schedule as string;
      // unref: a schedule alone does not keep a process alive; the host's server or window does.
      const cron = new Cron(schedule, { unref: true }, () => {
        const current = this.deps.scheduled().find((x) => x.id === id);
        if (current) this.fire(current, 'schedule');
      });
      this.jobs.set(id, { schedule, cron });
    }
  }

  private fire(s: StoredSource, trigger: RefreshTrigger): void {
    if (this.closed || this.deps.isRefreshing(s.id)) return;
    // The outcome is recorded in the source's history; nobody awaits a scheduled refresh.
    const p = this.deps.refresh(s.name, trigger).catch(() => undefined);
    this.inFlight.add(p);
    void p.finally(() => this.inFlight.delete(p));
  }

  /** Stops every timer; refreshes under way are cancelled by their owner (Sources.close). */
  async close(): Promise<void> {
    this.closed = true;
    for (const job of this.jobs.values()) job.cron.stop();
    this.jobs.clear();
    await Promise.allSettled([...this.inFlight]);
  }
}
