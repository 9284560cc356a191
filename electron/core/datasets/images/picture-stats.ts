// What monitoring keeps of a picture instead of the picture: its content hash, its size and shape,
// and how bright and how contrasted it is. The endpoint logs these for every picture it scores and
// monitoring computes the same figures over a model's training pictures, so drift compares like
// with like: brightness and contrast are measured on the raw pixels the model sees (rawPixels of
// model-input.ts, at the model's size and channels), width, height and aspect on the picture as sent.
import { createHash } from 'node:crypto';

/** A picture as the request log keeps it (JSON under the instance's `image` key). */
export interface PictureSummary {
  sha256: string;
  /** Upright size in pixels, from the header. */
  width: number;
  height: number;
  /** width / height. */
  aspect: number;
  /** Mean luminance of the model's view of the picture, 0 (black) to 1 (white). */
  brightness: number;
  /** Standard deviation of that luminance (RMS contrast), 0 to 0.5. */
  contrast: number;
}

/** The summary's numeric figures, as drift compares them (in this order). */
export const PICTURE_FIGURES = ['width', 'height', 'aspect', 'brightness', 'contrast'] as const;
export type PictureFigure = (typeof PICTURE_FIGURES)[number];

/**
 * Mean and standard deviation of luminance over raw 8-bit pixels (HWC, 1 or 3 channels), on the
 * 0..1 scale. Colour is weighted as Rec. 601 luma (0.299 R + 0.587 G + 0.114 B), the weights
 * libvips and PIL use to turn colour into grey, so a grey model and a colour one agree.
 */
export function luminance(raw: Uint8Array, channels: 1 | 3): { brightness: number; contrast: number } {
  const n = raw.length / channels;
  let sum = 0;
  let squares = 0;
  for (let i = 0; i < raw.length; i += channels) {
    const y = channels === 1 ? raw[i]! : 0.299 * raw[i]! + 0.587 * raw[i + 1]! + 0.114 * raw[i + 2]!;
    sum += y;
    squares += y * y;
  }
  const mean = sum / n;
  const variance = Math.max(0, squares / n - mean * mean);
  return { brightness: mean / 255, contrast: Math.sqrt(variance) / 255 };
}

/** A picture's summary from its bytes, its header size and the model's raw pixels of it. */
export function summarisePicture(
  bytes: Uint8Array,
  size: { width: number; height: number },
  raw: Uint8Array,
  channels: 1 | 3,
): PictureSummary {
  return {
    sha256: createHash('sha256').update(bytes).digest('hex'),
    width: size.width,
    height: size.height,
    aspect: size.width / size.height,
    ...luminance(raw, channels),
  };
}
