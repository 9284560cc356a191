// Dataset source: a dataset of the data folder at a version (the latest when none), or a CSV /
// Parquet file imported as a dataset (identical content reuses its version). The cache key holds
// the version's content hash, so a new version or a changed file reruns everything downstream.
import { existsSync, statSync } from 'node:fs';
import path from 'node:path';
import type { NodeParams } from '../../../../shared/pipeline.js';
import type { KindRunner } from '../executor.js';
import type { ResolvedDataset } from '../host.js';
import { preview } from '../table.js';
import { paramError, withConnection, type RunEnv } from './common.js';

const FILE_EXTENSIONS = /\.(csv|tsv|txt|parquet|json|ndjson|jsonl)$/i;

/** Whether a source names a file rather than a dataset: a path separator or a data file's extension. */
export function looksLikePath(ref: string): boolean {
  return ref.includes('/') || ref.includes('\\') || FILE_EXTENSIONS.test(ref);
}

/**
 * With a source: checks it feeds the node's dataset and refreshes it (unless the node says to use
 * the latest version), so the dataset read below is what the source holds now.
 */
async function refreshNamedSource(env: RunEnv, p: NodeParams['dataset'], signal: AbortSignal): Promise<void> {
  const name = p.source?.trim();
  if (!name) return;
  const feeds = env.host.sourceDataset(name);
  if (feeds === undefined) throw paramError('source', `no source named "${name}" (add it first: cairn sources add)`);
  if (feeds.toLowerCase() !== p.dataset.trim().toLowerCase())
    throw paramError('source', `source "${name}" feeds dataset "${feeds}", not "${p.dataset.trim()}"`);
  if (p.refresh !== 'latest') await env.host.refreshSource(name, signal);
}

/** The dataset version a source node reads, importing its file when it names one. */
export async function resolveSource(
  env: RunEnv,
  p: NodeParams['dataset'],
  signal: AbortSignal = new AbortController().signal,
): Promise<ResolvedDataset> {
  await refreshNamedSource(env, p, signal);
  const ref = p.dataset.trim();
  if (looksLikePath(ref)) {
    let file: string;
    try {
      file = await env.host.sourceFile(ref, env.baseDir);
    } catch (err) {
      throw paramError('dataset', err instanceof Error ? err.message : String(err));
    }
    if (existsSync(file) && statSync(file).isFile())
      return env.host.importFile(file, path.basename(file).replace(/\.[^.]+$/, '') || 'dataset');
  }
  const found = env.host.findDataset(ref, p.version);
  if (found) return found;
  if (looksLikePath(ref))
    throw paramError('dataset', `no file at ${path.resolve(env.baseDir, ref)} and no dataset named "${ref}"`);
  if (p.version !== undefined && env.host.findDataset(ref))
    throw paramError('version', `dataset "${ref}" has no version ${p.version}`);
  throw paramError('dataset', `no dataset named "${ref}" (import it first, or give a file path)`);
}

export function datasetKind(env: RunEnv): KindRunner {
  return {
    // 2: a picture dataset's port says so.
    version: 2,
    async identity(node, signal) {
      const resolved = await resolveSource(env, node.params as unknown as NodeParams['dataset'], signal);
      return { key: resolved.contentHash, value: resolved };
    },
    async run(ctx) {
      const d = ctx.identity as ResolvedDataset;
      const table = await withConnection(env, ctx.signal, (conn) => preview(conn, d.file));
      return {
        output: {
          dataset: { name: d.name, version: d.version, versionId: d.versionId, contentHash: d.contentHash },
          table,
        },
        // Dataset versions are immutable files of the data folder: steps read them in place.
        ports: {
          data: { type: 'table', file: d.file, source: d.versionId, ...(d.pictures ? { pictures: true } : {}) },
        },
      };
    },
    async stillValid(result) {
      const data = result.ports.data;
      // A result cached before tables carried their source runs again (a preview) to name it.
      return data?.type === 'table' && data.source !== undefined && existsSync(data.file);
    },
  };
}
