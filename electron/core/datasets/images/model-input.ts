// A picture as a model's input: what training fits and stores with an image model, and the one
// function that turns a picture's bytes into the model's numbers. Training, evaluation, the
// endpoint and `cairn predict` all call pixelsForModel with the model's stored ImageInput, so a
// picture is seen the same way wherever it is scored (the image counterpart of the tabular
// preprocessing manifest).
import { z } from 'zod';
import { damaged, MAX_PIXELS, openImage } from './decode-image.js';

/**
 * Square side a model sees, channel count, and the per-channel mean and standard deviation of the
 * training pixels (on the 0..1 scale) that inputs are normalised with: (pixel / 255 - mean) / std.
 */
export const ImageInput = z
  .object({
    kind: z.literal('image'),
    size: z.number().int().min(8).max(512),
    channels: z.union([z.literal(1), z.literal(3)]),
    mean: z.array(z.number().finite()),
    std: z.array(z.number().finite().positive()),
  })
  .refine((i) => i.mean.length === i.channels && i.std.length === i.channels, {
    message: 'mean and std need one value per channel',
  });
export type ImageInput = z.infer<typeof ImageInput>;

/** The numbers one picture makes: size × size × channels, row-major HWC (tfjs's NHWC without N). */
export function inputLength(input: Pick<ImageInput, 'size' | 'channels'>): number {
  return input.size * input.size * input.channels;
}

/**
 * A picture's raw pixels as the model sees them before normalisation: upright, transparent areas
 * on white, CMYK and 16-bit converted to 8-bit sRGB (or grey), stretched to size × size (Keras'
 * image_dataset_from_directory default: the whole picture is kept, its aspect ratio is not).
 * Throws UnreadableImage for anything the import would skip.
 */
export async function rawPixels(
  bytes: Buffer,
  input: Pick<ImageInput, 'size' | 'channels'>,
  maxPixels = MAX_PIXELS,
): Promise<Buffer> {
  const { image } = await openImage(bytes, maxPixels);
  let pipeline = image.flatten({ background: '#ffffff' }).toColourspace(input.channels === 1 ? 'b-w' : 'srgb');
  pipeline = pipeline.resize(input.size, input.size, { fit: 'fill' });
  try {
    const { data, info } = await pipeline.raw({ depth: 'uchar' }).toBuffer({ resolveWithObject: true });
    if (info.channels !== input.channels || data.length !== inputLength(input)) {
      throw new Error(`decoded to ${info.channels} channels, ${data.length} bytes`);
    }
    return data;
  } catch (err) {
    throw damaged(err);
  }
}

/** Normalises raw 8-bit pixels (HWC) into `out` at `offset`: (p / 255 - mean[c]) / std[c]. */
export function normalisePixels(raw: Uint8Array, input: ImageInput, out: Float32Array, offset = 0): void {
  const c = input.channels;
  for (let i = 0; i < raw.length; i++) {
    const ch = i % c;
    out[offset + i] = (raw[i]! / 255 - input.mean[ch]!) / input.std[ch]!;
  }
}

/** One picture's bytes to the model's input numbers (size × size × channels, HWC). */
export async function pixelsForModel(bytes: Buffer, input: ImageInput, maxPixels = MAX_PIXELS): Promise<Float32Array> {
  const raw = await rawPixels(bytes, input, maxPixels);
  const out = new Float32Array(raw.length);
  normalisePixels(raw, input, out);
  return out;
}
