// How the CLI talks to people: a progress bar on stderr, tables on stdout, errors as one
// paragraph (a stack only with --debug).
import type { ColumnProfile, JobProgress } from '../../shared/api.js';
import type { PipelineIssue } from '../../shared/pipeline.js';
import { CairnError } from '../core/errors.js';
import { issueWhere } from '../core/pipelines/issues.js';

/** What a bar shows: a fraction, a label and, for byte-counting work, bytes. */
export type BarProgress = Pick<JobProgress, 'fraction' | 'label'> & Partial<Pick<JobProgress, 'bytesDone' | 'bytesTotal'>>;

/** A one-line progress bar redrawn in place on a terminal; occasional plain lines otherwise. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): { update(p: BarProgress): void; done(): void } {
  let lastPlain = -1;
  return {
    update(p) {
      const pct = Math.floor(p.fraction * 100);
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(p.fraction * width);
        const bytes = p.bytesTotal ? ` ${formatBytes(p.bytesDone ?? 0)}/${formatBytes(p.bytesTotal)}` : '';
        stream.write(`\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${p.label}${bytes}\x1b[K`);
      } else if (pct >= lastPlain + 25) {
        lastPlain = pct - (pct % 25);
        stream.write(`${pct}% ${p.label}\n`);
      }
    },
    done() {
      if (stream.isTTY) stream.write('\r\x1b[K');
    },
  };
}

export function formatBytes(n: number): string {
  const units = ['B', 'KB', 'MB', 'GB', 'TB'];
  let i = 0;
  while (n >= 1024 && i < units.length - 1) {
    n /= 1024;
    i++;
  }
  return `${n.toFixed(i === 0 ? 0 : 1)} ${units[i]}`;
}

/** Left-aligned plain-text table. */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map(String))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells.map((r) => r.map((c, i) => c.padEnd(widths[i] ?? 0)).join('  ').trimEnd()).join('\n');
}

function fmt(v: unknown): string {
  if (v === undefined || v === null) return '';
  if (typeof v === 'number') return Number.isInteger(v) ? String(v) : v.toPrecision(4);
  return typeof v === 'string' ? v : JSON.stringify(v);
}

/** The schema-and-profile table `cairn datasets show` and `cairn import` print. */
export function profileTable(columns: ColumnProfile[]): string {
  return table(
    ['column', 'type', 'missing', 'distinct', 'min', 'max', 'mean', 'std'],
    columns.map((c) => [c.name, c.type, c.missing, `${c.distinctApprox ? '~' : ''}${c.distinct}`, fmt(c.min), fmt(c.max), fmt(c.mean), fmt(c.std)]),
  );
}

/** Ends a command with an exit code after it has said why (e.g. 2: a pipeline gate was not met). */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CliExit';
  }
}

/** Prints an error as one paragraph (then, for an invalid pipeline, each problem on a line) and returns the exit code. */
export function reportError(err: unknown, debug: boolean): number {
  const message = err instanceof Error ? err.message : String(err);
  process.stderr.write(`cairn: ${message.replace(/\s*\n\s*/g, ' ')}\n`);
  const issues = err instanceof CairnError && Array.isArray(err.details?.issues) ? (err.details.issues as PipelineIssue[]) : [];
  if (issues.length > 1) for (const issue of issues) process.stderr.write(`  ${issueWhere(issue) || 'pipeline'}: ${issue.message}\n`);
  if (err instanceof CairnError && err.code === 'bad_rows') {
    process.stderr.write('cairn: rerun with --skip-bad-rows to import the other rows.\n');
  }
  if (debug && err instanceof Error && err.stack) process.stderr.write(`${err.stack}\n`);
  return 1;
}
