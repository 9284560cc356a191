// Builds zip files byte by byte for the bundle import tests, so they can hold what no honest zip
// writer (yazl included) will write: `..` and absolute names, symlink entries, sizes that lie,
// bombs. Generated at test time: no binary blobs in the repository.
import { createHash } from 'node:crypto';
import { crc32, deflateRawSync } from 'node:zlib';

export interface FixtureEntry {
  name: string;
  data: Buffer;
  /** Unix mode in the external attributes; a regular file by default. */
  mode?: number;
  /** Deflate (default) or store. */
  method?: 'deflate' | 'store';
  /** Overrides the uncompressed size the headers declare. */
  declaredSize?: number;
}

/** A zip holding `entries`, as written: names, modes and declared sizes are not checked. */
export function buildZip(entries: FixtureEntry[]): Buffer {
  const locals: Buffer[] = [];
  const centrals: Buffer[] = [];
  let offset = 0;
  for (const e of entries) {
    const name = Buffer.from(e.name, 'utf8');
    const method = e.method === 'store' ? 0 : 8;
    const body = method === 8 ? deflateRawSync(e.data) : e.data;
    const crc = crc32(e.data);
    const size = e.declaredSize ?? e.data.length;
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    local.writeUInt16LE(20, 4);
    local.writeUInt16LE(0x0800, 6); // UTF-8 names
    local.writeUInt16LE(method, 8);
    local.writeUInt16LE(0, 10);
    local.writeUInt16LE(0x21, 12); // 1980-01-01
    local.writeUInt32LE(crc, 14);
    local.writeUInt32LE(body.length, 18);
    local.writeUInt32LE(size, 22);
    local.writeUInt16LE(name.length, 26);
    local.writeUInt16LE(0, 28);
    const central = Buffer.alloc(46);
    central.writeUInt32LE(0x02014b50, 0);
    central.writeUInt16LE((3 << 8) | 20, 4); // made by Unix: external attributes hold the mode
    central.writeUInt16LE(20, 6);
    central.writeUInt16LE(0x0800, 8);
    central.writeUInt16LE(method, 10);
    central.writeUInt16LE(0, 12);
    central.writeUInt16LE(0x21, 14);
    central.writeUInt32LE(crc, 16);
    central.writeUInt32LE(body.length, 20);
    central.writeUInt32LE(size, 24);
    central.writeUInt16LE(name.length, 28);
    central.writeUInt32LE(((e.mode ?? 0o100644) << 16) >>> 0, 38);
    central.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    centrals.push(central, name);
    offset += local.length + name.length + body.length;
  }
  const cd = Buffer.concat(centrals);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(entries.length, 8);
  end.writeUInt16LE(entries.length, 10);
  end.writeUInt32LE(cd.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, cd, end]);
}

export function sha256(data: Buffer | string): string {
  return createHash('sha256').update(data).digest('hex');
}

/**
 * A bundle's files with bundle.json (and artifact.json) rewritten to match whatever `edit` did to
 * them, so one test can break exactly one thing and pass every other check.
 */
export function rehash(
  files: Map<string, Buffer>,
  edit: (files: Map<string, Buffer>) => void = () => undefined,
  options: { keepArtifactManifest?: boolean } = {},
): FixtureEntry[] {
  const out = new Map(files);
  edit(out);
  if (!options.keepArtifactManifest) rewriteArtifactManifest(out);
  const bundle = JSON.parse((out.get('bundle.json') as Buffer).toString('utf8')) as {
    files: Record<string, { size: number; sha256: string }>;
  };
  bundle.files = {};
  for (const [name, data] of out)
    if (name !== 'bundle.json') bundle.files[name] = { size: data.length, sha256: sha256(data) };
  out.set('bundle.json', Buffer.from(JSON.stringify(bundle, null, 2)));
  return [...out].map(([name, data]) => ({ name, data }));
}

function rewriteArtifactManifest(out: Map<string, Buffer>): void {
  const artifact = JSON.parse((out.get('artifact.json') as Buffer).toString('utf8')) as {
    format: string;
    files: Record<string, string>;
  };
  for (const name of Object.keys(artifact.files)) {
    const data = out.get(name);
    if (data) artifact.files[name] = sha256(data);
  }
  out.set('artifact.json', Buffer.from(JSON.stringify(artifact, null, 2)));
}
