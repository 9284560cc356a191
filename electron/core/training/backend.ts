// Chooses the TensorFlow.js backend (DESIGN.md, "Training backends"): tfjs-node where its native
// library loaded at install, else WebAssembly, else plain JavaScript; and says which and why.
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import type { BackendName } from '../../../shared/api.js';
import { registerWasmConvGradients } from './wasm-conv-gradients.js';

export interface BackendChoice {
  name: BackendName;
  tried: { name: string; ok: boolean; error?: string }[];
}

// A variable specifier keeps bundlers and the type checker from requiring the optional package.
const TFJS_NODE = '@tensorflow/tfjs-node';
const ORDER: BackendName[] = ['tensorflow', 'wasm', 'cpu'];

let chosen: Promise<BackendChoice> | undefined;

async function tryBackend(name: BackendName): Promise<void> {
  // eslint-disable-next-line cairn/layers -- the optional native package, named by a variable on purpose (above)
  if (name === 'tensorflow') await import(TFJS_NODE);
  if (name === 'wasm') {
    transposeBeforeWasmMatMul();
    registerWasmConvGradients();
  }
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

let wasmMatMulPatched = false;

/**
 * The wasm backend multiplies with XNNPACK only when neither operand is transposed; a transposed
 * one (as in every dense layer's gradients: xᵀ·dy and dy·Wᵀ) goes to a plain scalar loop, many
 * times slower. Re-registered here, its matrix products transpose such an operand first (a cheap
 * copy) and multiply with XNNPACK. Same products, summed in XNNPACK's order.
 */
function transposeBeforeWasmMatMul(): void {
  if (wasmMatMulPatched) return;
  wasmMatMulPatched = true;
  const transpose = tf.getKernel('Transpose', 'wasm');
  for (const name of ['BatchMatMul', '_FusedMatMul']) {
    const kernel = tf.getKernel(name, 'wasm');
    if (!kernel || !transpose) continue;
    tf.unregisterKernel(name, 'wasm');
    tf.registerKernel({
      ...kernel,
      kernelFunc: (args) => {
        const { inputs, backend, attrs } = args as {
          inputs: Record<string, tf.TensorInfo>;
          backend: { disposeData(dataId: unknown): void };
          attrs: { transposeA?: boolean; transposeB?: boolean };
        };
        if (!attrs.transposeA && !attrs.transposeB) return kernel.kernelFunc(args);
        const made: tf.TensorInfo[] = [];
        const swapLastTwo = (x: tf.TensorInfo) => {
          const perm = x.shape.map((_, i) => i);
          perm.splice(-2, 2, perm.length - 1, perm.length - 2);
          const t = transpose.kernelFunc({ ...args, inputs: { x }, attrs: { perm } }) as tf.TensorInfo;
          made.push(t);
          return t;
        };
        try {
          return kernel.kernelFunc({
            ...args,
            inputs: {
              ...inputs,
              a: attrs.transposeA ? swapLastTwo(inputs.a!) : inputs.a!,
              b: attrs.transposeB ? swapLastTwo(inputs.b!) : inputs.b!,
            },
            attrs: { ...attrs, transposeA: false, transposeB: false },
          });
        } finally {
          for (const t of made) backend.disposeData(t.dataId);
        }
      },
    });
  }
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
