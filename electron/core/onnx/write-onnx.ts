// A stored model version written as an .onnx file: its saved files checked and loaded, the graph
// built (export-onnx.ts) and the bytes placed at the output the host's file policy allowed, whole
// or not at all (written beside it, fsynced, then moved into place).
import { randomUUID } from 'node:crypto';
import { rm, writeFile } from 'node:fs/promises';
import { fsyncFile } from '../durable-fs.js';
import { cairnVersion } from '../environment.js';
import { placeOutput, type WriteTarget } from '../file-access.js';
import { selectBackend } from '../training/backend.js';
import { exportOnnx, exportPartsFromFolder } from './export-onnx.js';

export async function writeOnnx(
  version: { name: string; version: number; dir: string; sha256: string },
  out: WriteTarget,
): Promise<{ name: string; version: number; path: string; bytes: number }> {
  // A network's weights load through TensorFlow.js; trees need no backend, but a network does.
  await selectBackend();
  const parts = await exportPartsFromFolder(version.dir, version.sha256);
  const bytes = exportOnnx({ name: `${version.name} v${version.version}`, producerVersion: cairnVersion(), ...parts });
  const partial = `${out.path}.${randomUUID()}.partial`;
  try {
    await writeFile(partial, bytes, { flag: 'wx' });
    await fsyncFile(partial);
    await placeOutput(partial, out);
  } finally {
    await rm(partial, { force: true });
  }
  return { name: version.name, version: version.version, path: out.path, bytes: bytes.byteLength };
}
