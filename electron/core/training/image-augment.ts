// Augmentation: each training picture varied afresh every time it is drawn into a batch, on its
// raw 8-bit pixels (model-input.ts's rawPixels, HWC) before they are normalised, so the network
// learns what stays the same under small shifts, zooms, turns and lighting changes. Every draw
// comes from the random stream it is given (seeded by the run): the same seed varies the same
// pictures the same way.
import type { AUGMENT, ChoiceValue } from '../../../shared/training-settings.js';
import type { ImageInput } from '../datasets/images/model-input.js';

export type AugmentLevel = ChoiceValue<typeof AUGMENT>;

/** How far each variation may go at a level (shift as a share of the side, angles in degrees). */
interface Ranges {
  shift: number;
  zoom: number;
  degrees: number;
  brightness: number;
  contrast: number;
  /** Whether a picture may be mirrored left to right. */
  flip: boolean;
}

/**
 * Light: shifts and crops (zoom in) of up to an eighth, ±10% brightness and contrast; nothing
 * that could change what a picture means. Strong adds turns of up to 15°, bigger shifts and
 * lighting changes, and left-right mirroring, which suits photographs of things but would turn a
 * "b" into a "d": it is the strong level's alone for that reason.
 */
const RANGES: Record<Exclude<AugmentLevel, 'none'>, Ranges> = {
  light: { shift: 0.125, zoom: 0.1, degrees: 0, brightness: 0.1, contrast: 0.1, flip: false },
  strong: { shift: 0.15, zoom: 0.2, degrees: 15, brightness: 0.25, contrast: 0.25, flip: true },
};

/** A draw from [-1, 1). */
const signed = (random: () => number) => random() * 2 - 1;

/**
 * Writes a varied copy of `raw` (size × size × channels, HWC) into `out`; at level 'none' a plain
 * copy. Geometry is one inverse affine map (mirror, turn, zoom, shift about the centre) sampled
 * bilinearly with edge pixels repeated past the border; lighting is a contrast about the
 * picture's mean and a brightness offset, the same for every channel so colours keep their hue.
 */
export function augmentPicture(
  raw: Uint8Array,
  input: Pick<ImageInput, 'size' | 'channels'>,
  level: AugmentLevel,
  random: () => number,
  out: Uint8Array = new Uint8Array(raw.length),
): Uint8Array {
  if (level === 'none') {
    out.set(raw);
    return out;
  }
  const r = RANGES[level];
  const { size, channels } = input;
  const flip = r.flip && random() < 0.5;
  const angle = (signed(random) * r.degrees * Math.PI) / 180;
  const zoom = 1 + random() * r.zoom;
  const dx = signed(random) * r.shift * size;
  const dy = signed(random) * r.shift * size;
  const contrast = 1 + signed(random) * r.contrast;
  const brightness = signed(random) * r.brightness * 255;
  const cos = Math.cos(angle) / zoom;
  const sin = Math.sin(angle) / zoom;
  const centre = (size - 1) / 2;
  const clamp = (v: number) => (v < 0 ? 0 : v > size - 1 ? size - 1 : v);
  let mean = 0;
  for (const v of raw) mean += v;
  mean /= raw.length;
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      // Where output pixel (x, y) comes from in the source: the map above, inverted.
      const u = x - centre - dx;
      const v = y - centre - dy;
      let sx = cos * u + sin * v + centre;
      const sy = clamp(-sin * u + cos * v + centre);
      if (flip) sx = size - 1 - sx;
      sx = clamp(sx);
      const x0 = Math.floor(sx);
      const y0 = Math.floor(sy);
      const x1 = Math.min(x0 + 1, size - 1);
      const y1 = Math.min(y0 + 1, size - 1);
      const fx = sx - x0;
      const fy = sy - y0;
      for (let c = 0; c < channels; c++) {
        const at = (yy: number, xx: number) => raw[(yy * size + xx) * channels + c]!;
        const top = at(y0, x0) + (at(y0, x1) - at(y0, x0)) * fx;
        const bottom = at(y1, x0) + (at(y1, x1) - at(y1, x0)) * fx;
        const value = (top + (bottom - top) * fy - mean) * contrast + mean + brightness;
        out[(y * size + x) * channels + c] = value < 0 ? 0 : value > 255 ? 255 : Math.round(value);
      }
    }
  }
  return out;
}
