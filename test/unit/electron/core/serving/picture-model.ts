// A tiny real picture model for the serving, monitoring and CLI tests: the CNN trainer's seeded,
// untrained network (a flat row of size × size × channels numbers reshaped into a picture), saved
// by saveArtifacts with a manifest carrying `image`, as the registry saves a trained one.
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import { crc32, deflateSync } from 'node:zlib';
import * as tf from '@tensorflow/tfjs';
import sharp from 'sharp';
import type { ImageInput } from '../../../../../electron/core/datasets/images/model-input.js';
import type { CairnService } from '../../../../../electron/core/service.js';
import { saveArtifacts } from '../../../../../electron/core/training/artifacts.js';
import { buildCnn } from '../../../../../electron/core/training/cnn-model.js';
import type { PreprocessManifest } from '../../../../../electron/core/training/manifest.js';
import type { ServedModel } from '../../../../../electron/core/serving/protocol.js';

export const PICTURE_CLASSES = ['cat', 'dog', 'fish'];

export const PICTURE_INPUT: ImageInput = {
  kind: 'image',
  size: 16,
  channels: 3,
  mean: [0.5, 0.45, 0.4],
  std: [0.25, 0.25, 0.3],
};

/** The seeded, untrained network the CNN trainer builds (the small preset) for these pictures and classes. */
export function pictureNetwork(input: ImageInput = PICTURE_INPUT, classes = PICTURE_CLASSES): tf.Sequential {
  return buildCnn({ preset: 'small' }, input, classes.length, 1);
}

export function pictureManifest(input: ImageInput = PICTURE_INPUT, classes = PICTURE_CLASSES): PreprocessManifest {
  return {
    format: 'cairn-preprocess/1',
    features: [],
    featureNames: [],
    dropped: [],
    target: { task: 'classification', column: 'label', classes },
    fittedRows: 30,
    image: input,
  };
}

/**
 * Saves the picture model as a version of `name` in a data folder's registry, as an imported
 * version is recorded (a run of the CNN trainer would record it the same way).
 */
export async function registerPictureModel(service: CairnService, name = 'pets'): Promise<ServedModel> {
  const version = service.registry.nextVersion(name);
  const relative = service.registry.folderFor(name, version);
  const saved = await savePictureModel(path.join(service.home, relative), name);
  service.registry.repo.addImported(
    {
      id: randomUUID(),
      modelId: randomUUID(),
      name,
      version,
      dir: relative,
      sha256: saved.sha256,
      notes: '',
      tags: [],
    },
    new Date().toISOString(),
  );
  return { ...saved, version };
}

/** Saves the picture model into `dir` and returns it as an endpoint serves it (name "pets", version 1). */
export async function savePictureModel(dir: string, name = 'pets'): Promise<ServedModel> {
  const network = pictureNetwork();
  const saved = await saveArtifacts(dir, { network }, pictureManifest(), {
    format: 'cairn-model-card/1',
    task: 'classification',
    target: 'label',
    classes: PICTURE_CLASSES,
    features: [],
    metrics: {},
    modelKind: 'cnn',
    backend: tf.getBackend(),
    tfjsVersion: tf.version.tfjs,
    createdAt: new Date(0).toISOString(),
  });
  network.dispose();
  return { name, version: 1, dir: saved.dir, sha256: saved.sha256, aliases: [], isDefault: true };
}

/** A w × h PNG (or another format) of a diagonal colour gradient shifted by `seed`. */
export async function gradientPicture(
  w: number,
  h: number,
  seed = 0,
  format: 'png' | 'jpeg' | 'webp' = 'png',
): Promise<Buffer> {
  const raw = Buffer.alloc(w * h * 3);
  for (let y = 0; y < h; y++)
    for (let x = 0; x < w; x++) {
      const i = (y * w + x) * 3;
      raw[i] = (x * 7 + seed * 31) % 256;
      raw[i + 1] = (y * 5 + seed * 17) % 256;
      raw[i + 2] = ((x + y) * 3 + seed * 11) % 256;
    }
  return sharp(raw, { raw: { width: w, height: h, channels: 3 } })
    .toFormat(format)
    .toBuffer();
}

function pngChunk(type: string, data: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(data.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(Buffer.concat([head.subarray(4), data])), 0);
  return Buffer.concat([head, data, crc]);
}

/**
 * A decompression bomb's head: a PNG whose header says side × side RGB pixels (50,000² by default,
 * 7.5 GB decoded) in a few KB, its IDAT a deflated run of zero rows. Any decoder that trusted it
 * would allocate the whole picture before finding the data short.
 */
export function pngBomb(side = 50_000): Buffer {
  const ihdr = Buffer.alloc(13);
  ihdr.writeUInt32BE(side, 0);
  ihdr.writeUInt32BE(side, 4);
  ihdr[8] = 8; // bit depth
  ihdr[9] = 2; // RGB
  const rows = deflateSync(Buffer.alloc(4 * (1 + side * 3)));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', ihdr),
    pngChunk('IDAT', rows),
    pngChunk('IEND', Buffer.alloc(0)),
  ]);
}
