// What a picture model stores of how a picture becomes its input (ImageInput), and the pure
// arithmetic on it. Apart from model-input.ts, which decodes pictures with sharp, so that what
// only reads a model's manifest (every endpoint process, tables' included) does not load libvips
// and the threads it brings.
import { z } from 'zod';

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

/** Normalises raw 8-bit pixels (HWC) into `out` at `offset`: (p / 255 - mean[c]) / std[c]. */
export function normalisePixels(raw: Uint8Array, input: ImageInput, out: Float32Array, offset = 0): void {
  const c = input.channels;
  for (let i = 0; i < raw.length; i++) {
    const ch = i % c;
    out[offset + i] = (raw[i]! / 255 - input.mean[ch]!) / input.std[ch]!;
  }
}
