// inspectFile: format by signature and extension, CSV dialect, encodings, and clear refusals.
import { writeFile } from 'node:fs/promises';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { inspectFile, splitCsvLine } from '../../../../../electron/core/datasets/file-check.js';
import { CairnError } from '../../../../../electron/core/errors.js';
import { FIXTURES, tempDir } from '../helpers.js';

let dir: string;
let cleanup: () => Promise<void>;
beforeAll(async () => ({ dir, cleanup } = await tempDir()));
afterAll(async () => cleanup());

async function file(name: string, content: string | Buffer): Promise<string> {
  const p = path.join(dir, name);
  await writeFile(p, content);
  return p;
}

async function refusal(p: string): Promise<CairnError> {
  const err: unknown = await inspectFile(p).then(
    () => undefined,
    (e: unknown) => e,
  );
  expect(err).toBeInstanceOf(CairnError);
  return err as CairnError;
}

const corpus = (name: string) => path.join(FIXTURES, 'bad-input', name);

describe('inspectFile: format', () => {
  it('reads .csv, .tsv and .txt as CSV, .json/.ndjson/.jsonl as JSON', async () => {
    expect((await inspectFile(await file('a.csv', 'x,y\n1,2\n'))).format).toBe('csv');
    expect((await inspectFile(await file('a.txt', 'x,y\n1,2\n'))).format).toBe('csv');
    expect((await inspectFile(await file('a.json', '[{"x":1}]'))).format).toBe('json');
    expect((await inspectFile(await file('a.ndjson', '{"x":1}\n'))).format).toBe('json');
    expect((await inspectFile(await file('a.jsonl', '{"x":1}\n'))).format).toBe('json');
  });

  it('guesses JSON from content when the extension says nothing', async () => {
    expect((await inspectFile(await file('noext', '  {"x":1}\n'))).format).toBe('json');
    expect((await inspectFile(await file('noext2', 'x,y\n1,2\n'))).format).toBe('csv');
  });

  it('recognises Parquet by its signature, whatever the name, and says so', async () => {
    const info = await inspectFile(await file('really.csv', Buffer.concat([Buffer.from('PAR1'), Buffer.alloc(16, 1)])));
    expect(info.format).toBe('parquet');
    expect(info.warnings[0]).toContain('is a Parquet file despite its .csv name');
    expect(info.csv).toBeUndefined();
  });

  it('refuses a .parquet file without the signature', async () => {
    expect((await refusal(corpus('not-parquet.parquet'))).message).toBe(
      'not-parquet.parquet is not a Parquet file (it lacks the PAR1 signature)',
    );
  });

  it.each([
    ['image-renamed.csv', 'a PNG image'],
    ['x.csv', 'a ZIP archive', Buffer.from([0x50, 0x4b, 0x03, 0x04, 0, 0])],
    ['y.csv', 'gzip-compressed', Buffer.from([0x1f, 0x8b, 8, 0])],
    ['z.csv', 'a PDF document', Buffer.from('%PDF-1.7\n')],
  ] as const)('refuses %s as %s', async (name, what, content?: Buffer) => {
    const p = content ? await file(name, content) : corpus(name);
    const err = await refusal(p);
    expect(err.code).toBe('import_failed');
    expect(err.message).toContain(name);
    expect(err.message).toContain(what);
  });

  it('refuses random bytes as binary, an empty file as empty, a folder, and a missing file', async () => {
    const bytes = Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 7919 + 13) % 256));
    expect((await refusal(await file('noise.csv', bytes))).message).toContain('noise.csv looks like binary data');
    expect((await refusal(corpus('empty.csv'))).message).toContain('empty.csv is empty');
    expect((await refusal(dir)).code).toBe('invalid_argument');
    const missing = await refusal(path.join(dir, 'gone.csv'));
    expect(missing.code).toBe('not_found');
    expect(missing.message).toContain('gone.csv');
  });

  it('records the file identity so a later change can be noticed', async () => {
    const info = await inspectFile(await file('id.csv', 'x\n1\n'));
    expect(info.identity).toMatchObject({ size: 4 });
    expect(info.identity?.ino).toBeGreaterThan(0);
  });
});

describe('inspectFile: CSV dialect', () => {
  it('finds the delimiter: comma, semicolon, tab, pipe', async () => {
    const cases = [
      ['c.csv', 'a,b,c\n1,2,3\n', ','],
      ['s.csv', 'a;b;c\n1;2;3\n', ';'],
      ['t.csv', 'a\tb\tc\n1\t2\t3\n', '\t'],
      ['p.csv', 'a|b|c\n1|2|3\n', '|'],
      // A .tsv is tab-separated even if its header has commas in it.
      ['commas.tsv', 'a,x\tb\n1\t2\n', '\t'],
    ] as const;
    for (const [name, content, delimiter] of cases) {
      const info = await inspectFile(await file(name, content));
      expect(info.csv?.delimiter, name).toBe(delimiter);
    }
  });

  it('ignores delimiters inside quoted header names', async () => {
    const info = await inspectFile(await file('q.csv', '"a;1","b;2",c\n1,2,3\n'));
    expect(info.csv?.delimiter).toBe(',');
    expect(info.csv?.header).toEqual(['a;1', 'b;2', 'c']);
  });

  it('detects decimal commas only with a ; delimiter', async () => {
    const semi = await inspectFile(corpus('semicolon-decimal-comma.csv'));
    expect(semi.csv).toMatchObject({
      delimiter: ';',
      decimalComma: true,
      encoding: 'utf-8',
      header: ['id', 'price', 'label'],
    });
    const comma = await inspectFile(await file('dc.csv', 'a,b\n"1,5",2\n'));
    expect(comma.csv?.decimalComma).toBe(false);
    const plain = await inspectFile(await file('nodc.csv', 'a;b\n1.5;2\n'));
    expect(plain.csv?.decimalComma).toBe(false);
  });

  it('strips a UTF-8 BOM from the header', async () => {
    const info = await inspectFile(corpus('utf8-bom.csv'));
    expect(info.csv).toMatchObject({ encoding: 'utf-8', header: ['id', 'name'] });
  });

  it('reads UTF-16 LE with a BOM, and without one from its NUL pattern', async () => {
    const bom = await inspectFile(corpus('utf16le-bom.csv'));
    expect(bom.csv).toMatchObject({ encoding: 'utf-16', delimiter: ',', header: ['id', 'name'] });
    const bare = await inspectFile(await file('nobom.csv', Buffer.from('x;y\n1;2\n3;4\n', 'utf16le')));
    expect(bare.csv).toMatchObject({ encoding: 'utf-16', delimiter: ';', header: ['x', 'y'] });
  });

  it('refuses UTF-16 BE, and JSON that is not UTF-8', async () => {
    expect((await refusal(corpus('utf16be-bom.csv'))).message).toContain('UTF-16 big-endian');
    const json16 = await file(
      'w.json',
      Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('[{"x":1}]', 'utf16le')]),
    );
    expect((await refusal(json16)).message).toContain('JSON must be UTF-8');
  });

  it('handles CR-only and CRLF line ends when reading the header', async () => {
    expect((await inspectFile(corpus('cr.csv'))).csv?.header).toEqual(['id', 'value']);
    expect((await inspectFile(corpus('crlf.csv'))).csv?.header).toEqual(['id', 'value']);
  });

  it('keeps duplicate and empty header names as written', async () => {
    expect((await inspectFile(corpus('duplicate-empty-headers.csv'))).csv?.header).toEqual(['a', 'a', '', 'b', '']);
  });
});

describe('splitCsvLine', () => {
  it('honours quotes and doubled quotes', () => {
    expect(splitCsvLine('a,"b,c","d""e",', ',')).toEqual(['a', 'b,c', 'd"e', '']);
    expect(splitCsvLine('', ',')).toEqual(['']);
  });
});
