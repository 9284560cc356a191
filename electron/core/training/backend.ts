// Chooses the TensorFlow.js backend (DESIGN.md, "Training backends"): tfjs-node where its native
// library loaded at install, else WebAssembly, else plain JavaScript; and says which and why.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from '../../../shared/api.js';

export interface BackendChoice {
  name: BackendName;
  tried: { name: string; ok: boolean; error?: string }[];
}

// A variable specifier keeps bundlers and the type checker from requiring the optional package.
const TFJS_NODE = '@tensorflow/tfjs-node';
const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let chosen: Promise<BackendChoice> | undefined;

async function tryBackend(name: BackendName): Promise<void> {
  if (name === 'tensorflow') await import(TFJS_NODE);
  const ok = await tf.setBackend(name);
  if (!ok) throw new Error(`tf.setBackend('${name}') returned false`);
  await tf.ready();
}

async function choose(preferred?: BackendName): Promise<BackendChoice> {
  const order = preferred ? [preferred, ...ORDER.filter((b) => b !== preferred)] : ORDER;
  // Production mode: no debug checks, and no "install tfjs-node" banner on stdout; which
  // backend runs, and why, is reported by Cairn itself (runs, doctor, the status bar).
  tf.env().set('PROD', true);
  const tried: BackendChoice['tried'] = [];
  for (const name of order) {
    try {
      await tryBackend(name);
      tried.push({ name, ok: true });
      return { name, tried };
    } catch (err) {
      tried.push({ name, ok: false, error: describeFailure(name, err) });
    }
  }
  throw new Error(`no TensorFlow.js backend could start: ${tried.map((t) => `${t.name}: ${t.error}`).join('; ')}`);
}

function describeFailure(name: BackendName, err: unknown): string {
  const code = (err as { code?: string } | undefined)?.code;
  if (name === 'tensorflow' && code === 'ERR_MODULE_NOT_FOUND') {
    return '@tensorflow/tfjs-node is not installed (its native library could not be downloaded at install time)';
  }
  return err instanceof Error ? (err.message.split('\n')[0] ?? err.message) : String(err);
}

/** The tfjs version in use. */
export function tfjsVersion(): string {
  return tf.version.tfjs;
}

/** The backend this process uses, chosen once; CAIRN_BACKEND names one to prefer. */
export function selectBackend(): Promise<BackendChoice> {
  const env = process.env.CAIRN_BACKEND as BackendName | undefined;
  chosen ??= choose(env && ORDER.includes(env) ? env : undefined);
  return chosen;
}
