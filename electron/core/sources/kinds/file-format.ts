// Which data format a downloaded body is, from its content type, its name's extension and its first
// bytes. A web page, an image or any body that is not CSV, Parquet or JSON is refused here with a
// message that says what it was, before the import tries to read it as a table.
import { CairnError } from '../../errors.js';
import type { FetchedFile } from '../source-kind.js';

export type DataFormat = FetchedFile['format'];

const BY_EXTENSION: Record<string, DataFormat> = {
  csv: 'csv',
  tsv: 'csv',
  txt: 'csv',
  parquet: 'parquet',
  json: 'json',
  ndjson: 'json',
  jsonl: 'json',
};

const BY_TYPE: Record<string, DataFormat> = {
  'text/csv': 'csv',
  'application/csv': 'csv',
  'text/tab-separated-values': 'csv',
  'application/vnd.apache.parquet': 'parquet',
  'application/x-parquet': 'parquet',
  'application/parquet': 'parquet',
  'application/json': 'json',
  'application/x-ndjson': 'json',
  'application/ndjson': 'json',
  'application/jsonl': 'json',
};

/** Types that say nothing about the data: the extension (or the first bytes) decides. */
const NEUTRAL = new Set(['', 'application/octet-stream', 'binary/octet-stream', 'text/plain']);

/** The format a name's extension says, if any (`data.csv`, `part-0001.parquet`, a URL's path). */
export function formatOfName(name: string): DataFormat | undefined {
  const ext = /\.([a-z0-9]+)$/i.exec(name.replace(/[?#].*$/, ''))?.[1]?.toLowerCase();
  return ext ? BY_EXTENSION[ext] : undefined;
}

/** The format a body announces; refused ('format') when its type is not a data file's. */
export function formatOf(contentType: string | null | undefined, name: string): DataFormat | undefined {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const byType = BY_TYPE[type];
  if (byType) return byType;
  if (!NEUTRAL.has(type))
    throw new CairnError(
      'import_failed',
      `${name} is ${type}, not a CSV, Parquet or JSON file: give the URL of the data file itself`,
      { reason: 'format' },
    );
  return formatOfName(name);
}

/**
 * The format the first bytes confirm (Parquet starts with PAR1; a body starting with `<` is a web
 * page or XML). `announced` is what the type or name said, if anything.
 */
export function checkFirstBytes(head: Buffer, announced: DataFormat | undefined, name: string): DataFormat {
  const parquet = head.subarray(0, 4).toString('latin1') === 'PAR1';
  if (announced === 'parquet' && !parquet)
    throw new CairnError('import_failed', `${name} is not a Parquet file (it does not start with PAR1)`, {
      reason: 'format',
    });
  if (parquet) return 'parquet';
  const text = head
    .toString('utf8')
    .replace(/^\uFEFF/, '')
    .trimStart();
  if (/^<(!doctype|html|\?xml|head|body|svg)/i.test(text))
    throw new CairnError('import_failed', `${name} is a web page or XML, not a CSV, Parquet or JSON file`, {
      reason: 'format',
    });
  if (head.includes(0))
    throw new CairnError('import_failed', `${name} is a binary file, not a CSV, Parquet or JSON file`, {
      reason: 'format',
    });
  return announced ?? (/^[[{]/.test(text) ? 'json' : 'csv');
}
