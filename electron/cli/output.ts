// How the CLI talks to people: a progress bar on stderr, tables on stdout, errors as one
// paragraph (a stack only with --debug). Every human-readable byte leaves through say() or
// warn() (or a table), which escape control characters: a dataset or model name is anyone's
// text, and an escape sequence in it would retitle or rewrite the user's terminal. --json output
// is data and stays exact (JSON.stringify escapes C0 controls itself).
import type { ColumnProfile, JobProgress } from '../../shared/api.js';
import type { PipelineIssue } from '../../shared/pipeline.js';
import { CairnError } from '../core/errors.js';
import { issueWhere } from '../core/pipelines/issues.js';

const NAMED_ESCAPES: Record<string, string> = {
  '\x07': '\\a',
  '\b': '\\b',
  '\t': '\\t',
  '\n': '\\n',
  '\v': '\\v',
  '\f': '\\f',
  '\r': '\\r',
  '\x1b': '\\e',
};

// C0 controls, DEL, C1 controls (U+0080-U+009F: a terminal may read U+009B as CSI), and the
// invisible direction marks and overrides that reorder what follows them (U+202E, "Trojan
// Source"): U+061C, U+200E-U+200F, U+202A-U+202E, U+2066-U+2069.
// eslint-disable-next-line no-control-regex -- matching control characters is the point
const CONTROLS = /[\u0000-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;
// eslint-disable-next-line no-control-regex -- as above
const CONTROLS_BUT_NEWLINE = /[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/g;

/**
 * Text safe to print to a terminal: control characters shown as escapes, as ls and git do
 * (\e, \a, \x7f, \u202e). keepNewlines leaves line breaks of multi-line text (the CLI's own).
 */
export function escapeControls(text: string, keepNewlines = false): string {
  return text.replace(keepNewlines ? CONTROLS_BUT_NEWLINE : CONTROLS, (c) => {
    const code = c.charCodeAt(0);
    return (
      NAMED_ESCAPES[c] ??
      (code < 0x100 ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`)
    );
  });
}

/** Writes human-readable text to stdout, control characters escaped. */
export function say(text: string): void {
  process.stdout.write(escapeControls(text, true));
}

/** Writes machine-readable output (JSON) to stdout exactly as given. */
export function sayData(text: string): void {
  process.stdout.write(text);
}

/** Writes human-readable text to stderr, control characters escaped. */
export function warn(text: string): void {
  process.stderr.write(escapeControls(text, true));
}

/** What a bar shows: a fraction, a label and, for byte-counting work, bytes. */
export type BarProgress = Pick<JobProgress, 'fraction' | 'label'> &
  Partial<Pick<JobProgress, 'bytesDone' | 'bytesTotal'>>;

/** A one-line progress bar redrawn in place on a terminal; occasional plain lines otherwise. */
export function progressBar(stream: NodeJS.WriteStream = process.stderr): {
  update(p: BarProgress): void;
  done(): void;
} {
  let lastPlain = -1;
  return {
    update(p) {
      const pct = Math.floor(p.fraction * 100);
      // The label can hold a file or dataset name; the bar's own \r and erase sequences are ours.
      const label = escapeControls(p.label);
      if (stream.isTTY) {
        const width = 30;
        const filled = Math.round(p.fraction * width);
        const bytes = p.bytesTotal ? ` ${formatBytes(p.bytesDone ?? 0)}/${formatBytes(p.bytesTotal)}` : '';
        stream.write(
          `\r[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${String(pct).padStart(3)}% ${label}${bytes}\x1b[K`,
        );
      } else if (pct >= lastPlain + 25) {
        lastPlain = pct - (pct % 25);
        stream.write(`${pct}% ${label}\n`);
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

/** Left-aligned plain-text table; every cell escaped (a line break in a name stays in its cell). */
export function table(headers: string[], rows: (string | number)[][]): string {
  const cells = [headers, ...rows.map((r) => r.map((c) => escapeControls(String(c))))];
  const widths = headers.map((_, i) => Math.max(...cells.map((r) => (r[i] ?? '').length)));
  return cells
    .map((r) =>
      r
        .map((c, i) => c.padEnd(widths[i] ?? 0))
        .join('  ')
        .trimEnd(),
    )
    .join('\n');
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
    columns.map((c) => [
      c.name,
      c.type,
      c.missing,
      `${c.distinctApprox ? '~' : ''}${c.distinct}`,
      fmt(c.min),
      fmt(c.max),
      fmt(c.mean),
      fmt(c.std),
    ]),
  );
}

/** Ends a command with an exit code after it has said why (e.g. 2: a pipeline gate was not met). */
export class CliExit extends Error {
  constructor(readonly code: number) {
    super(`exit ${code}`);
    this.name = 'CliExit';
  }
}

/**
 * For an error at a column of text the user gave (a runs query: details {query, column, length}),
 * that text with a caret under the place, as compilers show it; undefined for other errors.
 */
function textPosition(details: Record<string, unknown> | undefined): string | undefined {
  const { query, column, length } = details ?? {};
  if (typeof query !== 'string' || typeof column !== 'number' || typeof length !== 'number') return undefined;
  // The caret is placed under the escaped text, as printed, so a control character shown as \x1b still lines up.
  const before = escapeControls(query.slice(0, column - 1)).length;
  const under = Math.max(1, escapeControls(query.slice(column - 1, column - 1 + length)).length);
  return `  ${escapeControls(query)}\n  ${' '.repeat(before)}${'^'.repeat(under)}\n`;
}

/** Prints an error as one paragraph (then, for an invalid pipeline, each problem on a line) and returns the exit code. */
export function reportError(err: unknown, debug: boolean): number {
  const message = err instanceof Error ? err.message : String(err);
  warn(`cairn: ${escapeControls(message.replace(/\s*\n\s*/g, ' '))}\n`);
  const issues =
    err instanceof CairnError && Array.isArray(err.details?.issues) ? (err.details.issues as PipelineIssue[]) : [];
  if (issues.length > 1)
    for (const issue of issues) warn(`  ${escapeControls(`${issueWhere(issue) || 'pipeline'}: ${issue.message}`)}\n`);
  const at = err instanceof CairnError ? textPosition(err.details) : undefined;
  if (at) warn(at);
  if (err instanceof CairnError && err.code === 'bad_rows') {
    warn('cairn: rerun with --skip-bad-rows to import the other rows.\n');
  }
  if (debug && err instanceof Error && err.stack) warn(`${err.stack}\n`);
  return 1;
}
