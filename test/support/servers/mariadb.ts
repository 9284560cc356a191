// A fresh MariaDB for one test file: mariadb-install-db into a temp folder, mariadbd on a free
// loopback port with its socket in that folder, and a user `cairn` with a password who may do
// anything on the database `cairn`. Stopped and removed by `stop`. mariadbd runs as root (CI's
// user) only when told to, hence --user=root.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, startServer, type DatabaseServer } from './server-process.js';

export type MariaDbServer = DatabaseServer;

export async function startMariaDb(): Promise<MariaDbServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-mariadb-'));
  const data = path.join(dir, 'data');
  const socket = path.join(dir, 'mysqld.sock');
  const user = 'cairn';
  const password = randomBytes(12).toString('hex');
  const common = ['--no-defaults', `--datadir=${data}`, '--user=root'];
  try {
    await promisify(execFile)('mariadb-install-db', [
      ...common,
      '--auth-root-authentication-method=socket',
      '--skip-test-db',
      '--skip-name-resolve',
    ]);
    const port = await freePort();
    const server = await startServer(
      'mariadbd',
      [
        ...common,
        `--socket=${socket}`,
        `--pid-file=${path.join(dir, 'mysqld.pid')}`,
        '--skip-networking=0',
        `--port=${port}`,
        '--bind-address=127.0.0.1',
        '--skip-name-resolve',
        '--skip-log-bin',
        // A throwaway server: small, and durability only costs the tests time.
        '--innodb-buffer-pool-size=32M',
        '--innodb-log-file-size=16M',
        '--innodb-flush-log-at-trx-commit=0',
        '--innodb-doublewrite=0',
      ],
      /ready for connections/,
      { timeoutMs: 60_000 },
    );
    const sql = async (statements: string): Promise<string> => {
      const { stdout } = await promisify(execFile)(
        'mariadb',
        ['--no-defaults', `--socket=${socket}`, '-uroot', '--batch', '--skip-column-names', '-e', statements],
        { maxBuffer: 64 * 1024 * 1024 },
      );
      return stdout;
    };
    await sql(
      `CREATE DATABASE cairn; CREATE USER '${user}'@'%' IDENTIFIED BY '${password}'; ` +
        `GRANT ALL ON cairn.* TO '${user}'@'%';`,
    ).catch(async (err: unknown) => {
      await server.stop('SIGTERM');
      throw err;
    });
    return {
      host: '127.0.0.1',
      port,
      user,
      password,
      database: 'cairn',
      url: `mysql://${user}@127.0.0.1:${port}/cairn`,
      sql: (statements) => sql(`USE cairn; ${statements}`),
      stop: async () => {
        // SIGTERM: mariadbd's normal shutdown.
        await server.stop('SIGTERM');
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
