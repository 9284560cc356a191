// `cairn sources add|list|refresh|rm`: data sources from the shell, exactly as issue 20 names them.
// A password is never typed at a prompt: it comes from the URL (moved to the 0600 secret store in
// the data folder, and the URL saved without it) or from an environment variable named with
// --password-env, read at each refresh. `refresh --json` prints {source, dataset, version, changed, rows}.
import { Option, type Command } from 'commander';
import { SOURCE_KINDS, type Source, type SourceRefreshResult } from '../../shared/api.js';
import { addListCommand, parseNumber, print, withService } from './common.js';
import { CliExit, warn } from './output.js';

interface AddOptions {
  kind: Source['kind'];
  url: string;
  query?: string;
  schedule?: string;
  passwordEnv?: string;
  dataset?: string;
  allowRedirects?: boolean;
  maxMb?: number;
  json?: boolean;
}

/** How a source's secret is shown: an environment variable by name, a stored one as ***. */
function secretShown(ref: string | null): string {
  if (ref === null) return '';
  return ref.startsWith('$') ? ref : '***';
}

/** The documented `cairn sources list --json` item: the contract's Source, its secret shown as *** or $NAME. */
function sourceJson(s: Source) {
  return { ...s, secretRef: s.secretRef === null ? null : secretShown(s.secretRef) };
}

function refreshJson(r: SourceRefreshResult) {
  return { source: r.source, dataset: r.dataset, version: r.version, changed: r.changed, rows: r.rows };
}

function refreshText(r: SourceRefreshResult): string {
  const what = r.changed ? `new version ${r.version}` : `unchanged (still version ${r.version})`;
  const notes = r.refresh.notes.map((n) => `\n  note: ${n}`).join('');
  return `${r.source} → dataset "${r.dataset}": ${what}, ${r.rows} rows in ${(r.refresh.seconds ?? 0).toFixed(1)} s${notes}`;
}

export function addSourcesCommands(program: Command): void {
  const sources = program
    .command('sources')
    .description('data sources: databases, URLs and S3 objects that refresh into datasets');

  sources
    .command('add <name>')
    .description('save a source (its first refresh makes the dataset <name>)')
    .addOption(new Option('--kind <kind>', 'what it reads').choices([...SOURCE_KINDS]).makeOptionMandatory())
    .requiredOption(
      '--url <url>',
      'postgres://user[:password]@host/db, mysql://..., a SQLite file, https://.../file.csv, or s3://[keyid[:secret]@]bucket/key?endpoint=...; a password in it is moved to the secret store (a 0600 file in the data folder) and the URL is saved without it',
    )
    .option('--query <sql>', 'the SQL to run (postgres, mysql, sqlite)')
    .option('--schedule <cron>', 'refresh on this cron schedule while the app or `cairn ui` runs, e.g. "0 6 * * *"')
    .option('--password-env <NAME>', 'read the password (or S3 secret key) from this environment variable at each use')
    .option('--dataset <name>', 'the dataset it feeds (default: the source name)')
    .option('--allow-redirects', 'url: follow a redirect to another host')
    .option('--max-mb <n>', 'url, s3: refuse files larger than this (default 5120)', parseNumber('int'))
    .option('--json', 'print the saved source as JSON')
    .action(async (name: string, o: AddOptions) => {
      await withService(program, 'cli', async (s) => {
        const saved = await s.invoke('sources.add', {
          name,
          kind: o.kind,
          url: o.url,
          ...(o.query !== undefined ? { query: o.query } : {}),
          ...(o.schedule !== undefined ? { schedule: o.schedule } : {}),
          ...(o.passwordEnv !== undefined ? { passwordEnv: o.passwordEnv } : {}),
          ...(o.dataset !== undefined ? { dataset: o.dataset } : {}),
          ...(o.allowRedirects ? { allowRedirects: true } : {}),
          ...(o.maxMb !== undefined ? { maxBytes: o.maxMb * 1024 ** 2 } : {}),
        });
        print(Boolean(o.json), sourceJson(saved), () => {
          const secret = saved.secretRef ? ` (password: ${secretShown(saved.secretRef)})` : '';
          return `Saved source "${saved.name}" (${saved.kind}) → dataset "${saved.dataset}"${secret}. Refresh it with \`cairn sources refresh ${saved.name}\`.`;
        });
      });
    });

  addListCommand(program, sources, {
    method: 'sources.list',
    description: 'list sources with their last refresh (passwords shown as ***)',
    empty: 'No sources yet. Add one with `cairn sources add <name> --kind url --url https://.../data.csv`.',
    headers: ['name', 'kind', 'url', 'password', 'dataset', 'schedule', 'last refresh'],
    row: (s: Source) => [
      s.name,
      s.kind,
      s.url,
      secretShown(s.secretRef),
      s.dataset,
      s.schedule ?? '',
      s.lastRefresh
        ? `${s.lastRefresh.startedAt} ${s.lastRefresh.status}${s.lastRefresh.version !== null ? ` v${s.lastRefresh.version}` : ''}`
        : '',
    ],
    json: (items) => items.map(sourceJson),
  });

  sources
    .command('refresh <name>')
    .description('read the source now: a new dataset version only when its content changed')
    .option('--json', 'print {"source","dataset","version","changed","rows"}')
    .action(async (name: string, o: { json?: boolean }) => {
      await withService(program, 'cli', async (s) => {
        const r = await s.invoke('sources.refresh', { name });
        print(Boolean(o.json), refreshJson(r), () => refreshText(r));
      });
    });

  sources
    .command('rm <name>')
    .description('forget a source and its stored password (the dataset it fed stays)')
    .action(async (name: string) => {
      await withService(program, 'cli', async (s) => {
        const { removed } = await s.invoke('sources.remove', { name });
        if (!removed) {
          warn(`No source named "${name}".\n`);
          throw new CliExit(1);
        }
        print(false, null, () => `Removed source "${name}"; its dataset stays.`);
      });
    });
}
