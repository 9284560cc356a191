// `npm run bench -- images [--sets digits,colours] [--epochs E] [--colour-pictures N] [--backends wasm,cpu]`:
// the CNN ("small" preset) trained by Cairn (train-images.ts, the code a user's run goes through,
// on each TensorFlow.js backend in its own process) and by PyTorch (Debian's python3-torch, 2
// threads) on the same pictures and the same split, in the same run, on two sets: scikit-learn's
// 8×8 digits rendered to 32×32 grey PNG folders, and generated 64×64 colour shapes (seeded; nine
// classes, red/orange/blue × square/circle/triangle, so both colour and shape are needed to tell
// them apart; 2,043 pictures unless --colour-pictures says).
// The net: 3 blocks of conv 3×3 (no bias) → batch norm (momentum 0.1 in PyTorch's terms, eps
// 1e-3) → ReLU → max pool 2, global average pooling, dropout 0.2, a softmax layer; Adam 1e-3,
// batch 32, no augmentation, 85% of each class trains and 15% tests. The first epoch is a warm-up;
// the rest are timed. Prints training samples per second of each and the ratio, and test
// accuracy of each. Target (issue 12): wasm at least 0.5x of PyTorch, accuracy within 2 points.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { ensurePython, PYTHON } from './python.js';
import { IMAGE_PREDICTIONS_FILE, ImagePredictions } from '../shared/api.js';
import {
  makeColourShapeFolder,
  type ColourShapeClass,
} from '../test/unit/electron/core/datasets/images/picture-folders.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dataDir = path.join(root, 'bench', '.data');
const SEED = 42;
const BATCH = 32;
const LEARNING_RATE = 1e-3;
const FRACTIONS = { train: 0.85, validation: 0, test: 0.15 };

function arg(name: string): string | undefined {
  const i = process.argv.indexOf(`--${name}`);
  return i > 0 ? process.argv[i + 1] : undefined;
}

/** A set of pictures both sides train on: its class folders, the side the CNN sees, and its colour mode. */
interface PictureSet {
  name: string;
  dir: string;
  imageSize: number;
  /** PIL's mode PyTorch reads the pictures in: Cairn decides grey or colour from the pictures themselves. */
  mode: 'L' | 'RGB';
  describe: string;
}

/**
 * Three colours by three shapes. Red and orange are 45 apart in green while each channel varies by
 * ±30, so their shades overlap a little: neither side can reach 100%, and the accuracies compare.
 */
const COLOURS: readonly { name: string; rgb: [number, number, number] }[] = [
  { name: 'red', rgb: [200, 60, 50] },
  { name: 'orange', rgb: [210, 105, 45] },
  { name: 'blue', rgb: [50, 70, 200] },
];
const COLOUR_CLASSES: readonly ColourShapeClass[] = (['square', 'circle', 'triangle'] as const).flatMap((shape) =>
  COLOURS.map((c) => ({ name: `${c.name}-${shape}`, shape, rgb: c.rgb })),
);

/** The sets by name; `colourPictures` is the colour set's size (rounded up to whole classes). */
function pictureSets(colourPictures: number): Record<string, PictureSet> {
  const perClass = Math.ceil(colourPictures / COLOUR_CLASSES.length);
  return {
    digits: {
      name: 'digits',
      dir: path.join(dataDir, 'digits-32'),
      imageSize: 32,
      mode: 'L',
      describe: 'digits rendered to 32x32 grey PNG',
    },
    colours: {
      name: 'colours',
      dir: path.join(dataDir, `colour-shapes-64-${perClass}`),
      imageSize: 64,
      mode: 'RGB',
      describe: `${perClass * COLOUR_CLASSES.length} generated 64x64 colour shapes in ${COLOUR_CLASSES.length} classes`,
    },
  };
}

interface EngineResult {
  samplesPerSec: number;
  accuracy: number;
  trainRows: number;
  detail: string;
}

/** The digits as <label>/<n>.png, 32×32 grey (8×8 scaled up bilinearly from 0..16 to 0..255). */
function renderDigits(digitsDir: string): void {
  if (existsSync(path.join(digitsDir, '9'))) return;
  const script = `
import os, sys
import numpy as np
from PIL import Image
from sklearn.datasets import load_digits
d = load_digits()
out = sys.argv[1]
for i, (img, label) in enumerate(zip(d.images, d.target)):
    folder = os.path.join(out, str(label))
    os.makedirs(folder, exist_ok=True)
    pixels = (img * (255 / 16)).clip(0, 255).astype(np.uint8)
    Image.fromarray(pixels, 'L').resize((32, 32), Image.BILINEAR).save(os.path.join(folder, f'{i:04d}.png'))
`;
  const r = spawnSync(PYTHON, ['-c', script, digitsDir], { stdio: 'inherit' });
  if (r.status !== 0) throw new Error('could not render the digits');
}

/** Writes a set's pictures once; later runs reuse them (bench/.data is not committed). */
async function preparePictures(set: PictureSet, colourPictures: number): Promise<void> {
  if (set.name === 'digits') return renderDigits(set.dir);
  if (existsSync(path.join(set.dir, COLOUR_CLASSES.at(-1)!.name))) return;
  const perClass = Math.ceil(colourPictures / COLOUR_CLASSES.length);
  // Written aside and renamed into place, so an interrupted run leaves no half set to reuse.
  const partial = `${set.dir}.partial`;
  rmSync(partial, { recursive: true, force: true });
  await makeColourShapeFolder(partial, { classes: COLOUR_CLASSES, perClass, size: 64, seed: SEED });
  renameSync(partial, set.dir);
}

/** In a child process: one backend, Cairn's import and image training job body. */
async function child(backend: string, set: PictureSet, epochs: number): Promise<void> {
  process.env.CAIRN_BACKEND = backend;
  const { importImages } = await import('../electron/core/datasets/images/import-images.js');
  const { runImageTraining } = await import('../electron/core/training/train-images.js');
  const work = mkdtempSync(path.join(os.tmpdir(), 'cairn-bench-images-'));
  try {
    const imported = await importImages(
      {
        kind: 'images',
        path: set.dir,
        format: 'folder',
        pathColumn: 'path',
        labelColumn: 'label',
        knownHashes: {},
        storeDir: path.join(work, 'store'),
        workDir: path.join(work, 'import'),
      },
      () => undefined,
    );
    if (imported.kind !== 'createdImages') throw new Error(`the ${set.name} pictures did not import`);
    const at: number[] = [];
    const out = await runImageTraining(
      {
        kind: 'images',
        indexFile: imported.dataFile,
        datasetDir: imported.storeDir,
        model: { kind: 'cnn', preset: 'small', imageSize: set.imageSize, augment: 'none' },
        train: { epochs, batchSize: BATCH, learningRate: LEARNING_RATE, seed: SEED },
        fractions: FRACTIONS,
        workDir: path.join(work, 'train'),
      },
      () => at.push(performance.now()),
    );
    const split = out.params.split as { rows: { train: number } };
    const trainRows = split.rows.train;
    const seconds = (at.at(-1)! - at[0]!) / 1000;
    const test = out.metrics.test as { accuracy: number };
    const result: EngineResult & { testFiles: string[] } = {
      samplesPerSec: (trainRows * (epochs - 1)) / seconds,
      accuracy: test.accuracy,
      trainRows,
      detail: `${out.backend}, ${epochs - 1} timed epochs in ${seconds.toFixed(1)} s`,
      testFiles: ImagePredictions.parse(
        JSON.parse(readFileSync(path.join(out.artifactDir, IMAGE_PREDICTIONS_FILE), 'utf8')),
      ).items.map((p) => p.file),
    };
    console.log(JSON.stringify(result));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

function cairn(
  backend: string,
  set: PictureSet,
  epochs: number,
  colourPictures: number,
): (EngineResult & { testFiles: string[] }) | { failed: string } {
  const self = fileURLToPath(import.meta.url);
  const args = ['--child', backend, '--set', set.name, '--epochs', String(epochs)];
  const r = spawnSync(
    process.execPath,
    [...process.execArgv, self, ...args, '--colour-pictures', String(colourPictures)],
    { stdio: ['ignore', 'pipe', 'inherit'], cwd: root, maxBuffer: 64 << 20 },
  );
  if (r.status !== 0) return { failed: `exited with ${r.status}` };
  return JSON.parse(r.stdout.toString().trim().split('\n').pop()!) as EngineResult & { testFiles: string[] };
}

/**
 * PyTorch on the same net, pictures and split (the test files Cairn's run scored), normalised per
 * channel with the training pictures' mean and standard deviation as Cairn's fitNormalisation does.
 */
function pytorch(set: PictureSet, epochs: number, testFiles: string[]): EngineResult {
  const script = `
import json, os, sys, time
import numpy as np, torch, torch.nn as nn
from PIL import Image
root, epochs, test_list, mode = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
torch.set_num_threads(2); torch.manual_seed(${SEED}); rng = np.random.default_rng(${SEED})
test = set(json.load(open(test_list)))
labels = sorted(os.listdir(root))
files = [(f'{l}/{f}', i) for i, l in enumerate(labels) for f in sorted(os.listdir(os.path.join(root, l)))]
def load(items):
    x = np.stack([np.asarray(Image.open(os.path.join(root, f)).convert(mode), dtype=np.float32) / 255 for f, _ in items])
    return (x[:, None] if x.ndim == 3 else x.transpose(0, 3, 1, 2)), np.array([c for _, c in items])
xtr, ytr = load([f for f in files if f[0] not in test]); xte, yte = load([f for f in files if f[0] in test])
mean, std = xtr.mean((0, 2, 3), keepdims=True), xtr.std((0, 2, 3), keepdims=True)
xtr, xte = torch.tensor((xtr - mean) / std), torch.tensor((xte - mean) / std)
ytr, yte = torch.tensor(ytr), torch.tensor(yte)
def block(i, o): return [nn.Conv2d(i, o, 3, padding=1, bias=False), nn.BatchNorm2d(o, eps=1e-3, momentum=0.1), nn.ReLU(), nn.MaxPool2d(2)]
net = nn.Sequential(*block(xtr.shape[1], 16), *block(16, 32), *block(32, 64), nn.AdaptiveAvgPool2d(1), nn.Flatten(), nn.Dropout(0.2), nn.Linear(64, len(labels)))
opt = torch.optim.Adam(net.parameters(), lr=${LEARNING_RATE}); loss_fn = nn.CrossEntropyLoss()
marks = []
for epoch in range(epochs):
    net.train(); order = torch.tensor(rng.permutation(len(ytr)))
    for s in range(0, len(order), ${BATCH}):
        idx = order[s:s + ${BATCH}]
        opt.zero_grad(); loss = loss_fn(net(xtr[idx]), ytr[idx]); loss.backward(); opt.step()
    marks.append(time.perf_counter())
net.eval()
with torch.no_grad(): acc = (net(xte).argmax(1) == yte).float().mean().item()
secs = marks[-1] - marks[0]
print(json.dumps({'samplesPerSec': len(ytr) * (epochs - 1) / secs, 'accuracy': acc, 'trainRows': len(ytr),
  'detail': f'torch {torch.__version__}, 2 threads, {epochs - 1} timed epochs in {secs:.1f} s'}))
`;
  const list = path.join(os.tmpdir(), `cairn-bench-test-files-${process.pid}.json`);
  writeFileSync(list, JSON.stringify(testFiles));
  try {
    const r = spawnSync(PYTHON, ['-c', script, set.dir, String(epochs), list, set.mode], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    if (r.status !== 0) throw new Error(`PyTorch exited with ${r.status}`);
    return JSON.parse(r.stdout.toString().trim().split('\n').pop()!) as EngineResult;
  } finally {
    rmSync(list, { force: true });
  }
}

async function main(): Promise<void> {
  const epochs = Number(arg('epochs') ?? 4);
  if (!Number.isInteger(epochs) || epochs < 2) throw new Error('--epochs wants a whole number of at least 2');
  const colourPictures = Number(arg('colour-pictures') ?? 2043);
  if (!Number.isInteger(colourPictures) || colourPictures < COLOUR_CLASSES.length * 10)
    throw new Error(`--colour-pictures wants a whole number of at least ${COLOUR_CLASSES.length * 10}`);
  const sets = pictureSets(colourPictures);
  const setOf = (name: string): PictureSet => {
    const set = sets[name];
    if (!set) throw new Error(`unknown set ${name}: choose from ${Object.keys(sets).join(', ')}`);
    return set;
  };
  const childBackend = arg('child');
  if (childBackend) return child(childBackend, setOf(arg('set') ?? 'digits'), epochs);
  ensurePython('torch, PIL, sklearn', 'python3-torch python3-pil python3-sklearn');
  const backends = (arg('backends') ?? 'wasm').split(',');
  const pad = (s: string) => s.padEnd(10);
  for (const set of (arg('sets') ?? 'digits,colours').split(',').map(setOf)) {
    await preparePictures(set, colourPictures);
    console.log(`\n${set.describe}, ${epochs} epochs (the first untimed), batch ${BATCH}, Adam ${LEARNING_RATE}`);
    let torch: EngineResult | undefined;
    for (const backend of backends) {
      const ours = cairn(backend, set, epochs, colourPictures);
      if ('failed' in ours) {
        console.log(`${pad(backend)} failed: ${ours.failed}`);
        continue;
      }
      // The same split for PyTorch: the test pictures Cairn's (seeded, stratified) split chose.
      torch ??= pytorch(set, epochs, ours.testFiles);
      console.log(
        `${pad(backend)} ${ours.samplesPerSec.toFixed(1)} samples/s, test accuracy ${(ours.accuracy * 100).toFixed(1)}% (${ours.detail})`,
      );
      console.log(
        `${pad('pytorch')} ${torch.samplesPerSec.toFixed(1)} samples/s, test accuracy ${(torch.accuracy * 100).toFixed(1)}% (${torch.detail})`,
      );
      console.log(
        `${pad('ratio')} ${(ours.samplesPerSec / torch.samplesPerSec).toFixed(2)}x PyTorch's speed; accuracy ${((ours.accuracy - torch.accuracy) * 100).toFixed(1)} points`,
      );
    }
  }
}

await main();
