// Small pictures made with sharp for the image tests: coloured squares in class folders, and
// squares against circles, and shapes told apart by colour and shape, for training.
import { mkdir, writeFile } from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import type { ImageImportInput } from '../../../../../../electron/core/datasets/images/import-images.js';
import { seededRandom } from '../../../../../../electron/core/training/seeded-random.js';

type Rgb = [number, number, number];

/** A solid square of `size` px in a format sharp writes. */
export function square(rgb: Rgb, format: 'png' | 'jpeg' | 'webp' | 'gif' | 'tiff', size = 8): Promise<Buffer> {
  const [r, g, b] = rgb;
  return sharp({ create: { width: size, height: size, channels: 3, background: { r, g, b } } })
    .toFormat(format)
    .toBuffer();
}

/**
 * Three classes of distinct squares (red 3 PNG + 1 GIF, green 3 JPEG + 1 TIFF, blue 3 WebP), one
 * corrupt file, and one picture in both red and green (a cross-class duplicate): 13 listed files,
 * 12 readable pictures, 11 distinct contents.
 */
export async function makePictureFolder(root: string): Promise<void> {
  const put = async (rel: string, bytes: Buffer) => {
    await mkdir(path.dirname(path.join(root, rel)), { recursive: true });
    await writeFile(path.join(root, rel), bytes);
  };
  for (let i = 0; i < 3; i++) {
    await put(`red/r${i}.png`, await square([200 + i, 0, 0], 'png'));
    await put(`green/g${i}.jpg`, await square([0, 200 + i * 20, 0], 'jpeg'));
    await put(`blue/b${i}.webp`, await square([0, 0, 200 + i * 20], 'webp'));
  }
  await put('red/r-anim.gif', await square([250, 10, 10], 'gif'));
  await put('green/g-scan.tiff', await square([10, 250, 10], 'tiff', 16));
  // The same bytes as red/r0.png, filed as green: a label error.
  await put('green/same-as-r0.png', await square([200, 0, 0], 'png'));
  await put('blue/broken.png', Buffer.from('\x89PNG\r\n\x1a\n this is not a picture'));
}

/** Five more distinct red pictures. */
export async function addFive(root: string): Promise<void> {
  for (let i = 0; i < 5; i++)
    await writeFile(path.join(root, 'red', `more${i}.png`), await square([100, i * 10, 0], 'png'));
}

/** An import job's input for `file`, with the default columns and nothing imported before. */
export function imagesInput(
  file: string,
  format: ImageImportInput['format'],
  dirs: { workDir: string; storeDir: string },
  limits: ImageImportInput['limits'] = {},
): ImageImportInput {
  return {
    kind: 'images',
    path: file,
    format,
    pathColumn: 'path',
    labelColumn: 'label',
    knownHashes: {},
    ...dirs,
    limits,
  };
}

export type Shape = 'square' | 'circle' | 'triangle';

/** An SVG of `size` px: one filled shape centred at (cx, cy) with half-width r on a background. */
function shapeSvg(
  shape: Shape,
  at: { cx: number; cy: number; r: number },
  fill: string,
  size: number,
  background = 'white',
): string {
  const { cx, cy, r } = at;
  const body =
    shape === 'square'
      ? `<rect x="${cx - r}" y="${cy - r}" width="${2 * r}" height="${2 * r}" fill="${fill}"/>`
      : shape === 'circle'
        ? `<circle cx="${cx}" cy="${cy}" r="${r}" fill="${fill}"/>`
        : `<polygon points="${cx},${cy - r} ${cx + r},${cy + r} ${cx - r},${cy + r}" fill="${fill}"/>`;
  return `<svg xmlns="http://www.w3.org/2000/svg" width="${size}" height="${size}"><rect width="${size}" height="${size}" fill="${background}"/>${body}</svg>`;
}

function pngOf(svg: string): Promise<Buffer> {
  return sharp(Buffer.from(svg)).png().toBuffer();
}

/** 16×16 pictures: a filled square or circle of varying size, place and colour on white. */
export async function makeShapeFolder(root: string, perClass: number): Promise<void> {
  const random = seededRandom(7);
  for (const shape of ['square', 'circle'] as const) {
    await mkdir(path.join(root, shape), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const r = 4 + Math.floor(random() * 3);
      const cx = r + 1 + Math.floor(random() * (14 - 2 * r));
      const cy = r + 1 + Math.floor(random() * (14 - 2 * r));
      const fill = `rgb(${Math.floor(random() * 150)},${Math.floor(random() * 150)},${Math.floor(random() * 150)})`;
      await writeFile(path.join(root, shape, `${i}.png`), await pngOf(shapeSvg(shape, { cx, cy, r }, fill, 16)));
    }
  }
}

/** A class of the colour-and-shape sets: its folder name, shape and base colour. */
export interface ColourShapeClass {
  name: string;
  shape: Shape;
  rgb: Rgb;
}

/**
 * Seeded PNG folders of `size` px pictures, `perClass` per class: each class's shape in a shade of
 * its colour (±30 per channel), of varying size and place, on a light grey background of varying
 * shade. Classes sharing a colour differ only by shape, and sharing a shape only by colour.
 */
export async function makeColourShapeFolder(
  root: string,
  options: { classes: readonly ColourShapeClass[]; perClass: number; size: number; seed: number },
): Promise<void> {
  const { classes, perClass, size, seed } = options;
  const random = seededRandom(seed);
  const jitter = (v: number) => Math.max(0, Math.min(255, Math.round(v + (random() - 0.5) * 60)));
  for (const c of classes) {
    await mkdir(path.join(root, c.name), { recursive: true });
    for (let i = 0; i < perClass; i++) {
      const r = Math.round(size * (0.2 + random() * 0.12));
      const cx = r + 1 + Math.floor(random() * (size - 2 * r - 2));
      const cy = r + 1 + Math.floor(random() * (size - 2 * r - 2));
      const fill = `rgb(${c.rgb.map(jitter).join(',')})`;
      const grey = 215 + Math.floor(random() * 40);
      const svg = shapeSvg(c.shape, { cx, cy, r }, fill, size, `rgb(${grey},${grey},${grey})`);
      await writeFile(path.join(root, c.name, `${String(i).padStart(4, '0')}.png`), await pngOf(svg));
    }
  }
}
