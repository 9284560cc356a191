// The fleet connection app.db remembers (0018-fleet.sql): the queue's URL without its password,
// the environment variable that holds it if any, the store, and where work runs.
import type { ComputeTarget } from '../../../shared/api.js';
import type { Db } from './open.js';

export interface FleetSettings {
  queueUrl: string | null;
  passwordEnv: string | null;
  store: string | null;
  where: ComputeTarget;
}

export class FleetSettingsRepo {
  constructor(private readonly db: Db) {}

  get(): FleetSettings {
    const row = this.db
      .prepare('SELECT queue_url, password_env, store, run_where FROM fleet_settings WHERE id = 1')
      .get() as {
      queue_url: string | null;
      password_env: string | null;
      store: string | null;
      run_where: ComputeTarget;
    };
    return { queueUrl: row.queue_url, passwordEnv: row.password_env, store: row.store, where: row.run_where };
  }

  /** Saves the connection; `queueUrl` must already have its password taken out. */
  saveConnection(queueUrl: string | null, passwordEnv: string | null, store: string | null): void {
    this.db
      .prepare('UPDATE fleet_settings SET queue_url = ?, password_env = ?, store = ? WHERE id = 1')
      .run(queueUrl, passwordEnv, store);
  }

  setWhere(where: ComputeTarget): void {
    this.db.prepare('UPDATE fleet_settings SET run_where = ? WHERE id = 1').run(where);
  }
}
