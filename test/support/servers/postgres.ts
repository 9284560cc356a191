// A fresh PostgreSQL 15 for one test file: initdb into a temp folder, the server on a free loopback
// port with its socket in that folder, a superuser `cairn` with a password (scram-sha-256, so a
// wrong password is refused as a real deployment refuses it). Stopped and removed by `stop`.
// PostgreSQL refuses to run as root, which CI is: then both run as `nobody`, owning the folder.
import { execFile } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { chown, mkdtemp, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, startServer, type DatabaseServer } from './server-process.js';

const BIN = '/usr/lib/postgresql/15/bin';
const NOBODY = 65534;

export type PostgresServer = DatabaseServer;

export async function startPostgres(): Promise<PostgresServer> {
  const dir = await mkdtemp(path.join(os.tmpdir(), 'cairn-pg-'));
  const asNobody = process.getuid?.() === 0 ? { uid: NOBODY, gid: NOBODY } : {};
  const password = randomBytes(12).toString('hex');
  const user = 'cairn';
  try {
    const pwfile = path.join(dir, 'pw');
    await writeFile(pwfile, password);
    if ('uid' in asNobody) {
      await chown(dir, NOBODY, NOBODY);
      await chown(pwfile, NOBODY, NOBODY);
    }
    const data = path.join(dir, 'data');
    await promisify(execFile)(
      `${BIN}/initdb`,
      ['-D', data, '-U', user, `--pwfile=${pwfile}`, '--auth=scram-sha-256', '-E', 'UTF8', '--locale=C', '--no-sync'],
      { ...asNobody, env: { ...process.env, LC_ALL: 'C' } },
    );
    const port = await freePort();
    const server = await startServer(
      `${BIN}/postgres`,
      [
        '-D',
        data,
        '-p',
        String(port),
        '-k',
        dir,
        '-c',
        'listen_addresses=127.0.0.1',
        // A throwaway server: durability only costs the tests time.
        '-c',
        'fsync=off',
        '-c',
        'synchronous_commit=off',
        '-c',
        'full_page_writes=off',
      ],
      /database system is ready to accept connections/,
      { ...asNobody, timeoutMs: 30_000 },
    );
    const env = { ...process.env, PGPASSWORD: password };
    const sql = async (statements: string): Promise<string> => {
      const { stdout } = await promisify(execFile)(
        'psql',
        [
          '-h',
          '127.0.0.1',
          '-p',
          String(port),
          '-U',
          user,
          '-d',
          'postgres',
          '-v',
          'ON_ERROR_STOP=1',
          '-qAt',
          '-c',
          statements,
        ],
        { env, maxBuffer: 64 * 1024 * 1024 },
      );
      return stdout;
    };
    return {
      host: '127.0.0.1',
      port,
      user,
      password,
      database: 'postgres',
      url: `postgres://${user}@127.0.0.1:${port}/postgres`,
      sql,
      stop: async () => {
        // SIGINT: PostgreSQL's fast shutdown (disconnects clients, no waiting for them).
        await server.stop('SIGINT');
        await rm(dir, { recursive: true, force: true });
      },
    };
  } catch (err) {
    await rm(dir, { recursive: true, force: true });
    throw err;
  }
}
