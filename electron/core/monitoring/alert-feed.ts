// Alerts fired and resolved since a moment, read from app.db: how a process that does not judge
// rules (`cairn monitor --watch`) follows the one that does (the desktop app or `cairn ui`, whose
// events travel only over their own IPC or SSE). Alerts are appended and only ever resolved, so
// the newest id seen plus the ids still firing say exactly what changed since the last read.
import type { Alert, AlertEventKind } from '../../../shared/api.js';
import type { MonitoringRepo } from '../db/monitoring-repo.js';

export interface AlertChange {
  event: AlertEventKind;
  alert: Alert;
}

export class AlertFeed {
  private lastId: number;
  /** Alerts firing when last read, whose resolution is still to tell. */
  private readonly open = new Set<number>();

  /** Starts from now: alerts already recorded are not told, those firing will be when they resolve. */
  constructor(
    private readonly repo: MonitoringRepo,
    private readonly model?: string,
  ) {
    const firing = repo.alerts({ status: 'firing', limit: 10_000, ...(model ? { model } : {}) });
    for (const a of firing) this.open.add(a.id);
    this.lastId = repo.alerts({ status: 'all', limit: 1, ...(model ? { model } : {}) })[0]?.id ?? 0;
  }

  /** What fired or resolved since the last read, in order: earlier alerts' resolutions, then new alerts. */
  read(): AlertChange[] {
    const changes: AlertChange[] = [];
    for (const a of this.repo.alertsWithIds([...this.open])) {
      if (a.resolvedAt === null) continue;
      this.open.delete(a.id);
      changes.push({ event: 'resolved', alert: a });
    }
    for (const a of this.repo.alertsAfter(this.lastId, this.model)) {
      this.lastId = a.id;
      changes.push({ event: 'fired', alert: a });
      // Fired and resolved between two reads: both are told, in that order.
      if (a.resolvedAt === null) this.open.add(a.id);
      else changes.push({ event: 'resolved', alert: a });
    }
    return changes;
  }
}
