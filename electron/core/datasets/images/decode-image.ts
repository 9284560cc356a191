// One picture's bytes to what an image dataset records of it (format, size, colour mode) and its
// thumbnail. sharp (libvips) decodes PNG, JPEG, WebP, GIF (the first frame) and TIFF; its prebuilt
// libvips has no BMP loader, so BMP is decoded by bmp-ts into raw pixels that sharp then takes.
// The content decides the format, never the file name, and only the formats above are taken:
// libvips also reads SVG, HEIF and others that a dataset of photos has no need to open.
// A picture is bounded by its pixel count before any pixel is decoded (a decompression bomb is a
// few KB that would decode to gigabytes).
import { decode as decodeBmp } from 'bmp-ts';
import sharp, { type Metadata, type Sharp } from 'sharp';
import type { ColourMode, ImageFormat } from '../../../../shared/api.js';
import { imageFormats } from '../../../../shared/api.js';

/** Pixels a picture may have (width × height): 50 megapixels, beyond any photo a camera takes today. */
export const MAX_PIXELS = 50_000_000;

/** A thumbnail's longest side, in pixels: the gallery shows them at 64 to 128 px. */
export const THUMBNAIL_SIZE = 128;

export interface ImageInfo {
  format: ImageFormat;
  width: number;
  height: number;
  channels: number;
  colourMode: ColourMode;
}

export interface DecodedImage extends ImageInfo {
  /** A WebP of at most THUMBNAIL_SIZE px on its longer side, upright. */
  thumbnail: Buffer;
}

/** A picture that cannot be taken, with the reason a user reads in the import's skipped list. */
export class UnreadableImage extends Error {}

/** A picture whose header gives more pixels than allowed: refused before decoding (the endpoint answers 413). */
export class TooManyPixels extends UnreadableImage {}

/**
 * A picture whose header reads but whose pixels do not decode. libvips keeps one error message for
 * the whole process, so when several pictures fail at once one's message can be lost (sharp then
 * says "Unknown error"): decoded again alone, it gives its own.
 */
export class DamagedImage extends UnreadableImage {}

const TAKEN = new Set<string>(imageFormats);

/** Reads a picture, checks it decodes in full, and makes its thumbnail. Throws UnreadableImage. */
export async function decodeImage(bytes: Buffer, maxPixels = MAX_PIXELS): Promise<DecodedImage> {
  const opened = await openImage(bytes, maxPixels);
  const thumbnail = await thumbnailOf(opened.image);
  return { ...opened.info, thumbnail };
}

/** A picture's header facts and its upright pixels, not yet decoded (sharp decodes on output). */
export interface OpenedImage {
  info: ImageInfo;
  /** Upright (EXIF orientation applied), bounded by the pixel cap; fails on damage when output. */
  image: Sharp;
}

/**
 * Checks a picture's format and size from its header and opens it for decoding: the one way in for
 * the import, for training and for the endpoint, so all three take and refuse the same files.
 * Throws UnreadableImage.
 */
export async function openImage(bytes: Buffer, maxPixels = MAX_PIXELS): Promise<OpenedImage> {
  if (bytes.length === 0) throw new UnreadableImage('the file is empty');
  if (isBmp(bytes)) return openBmp(bytes, maxPixels);
  let meta: Metadata;
  try {
    // The header only: no pixel is decoded here, so the size is read before any limit applies.
    meta = await sharp(bytes, { limitInputPixels: false }).metadata();
  } catch {
    throw new UnreadableImage('not a picture Cairn reads (PNG, JPEG, WebP, GIF, BMP or TIFF)');
  }
  if (!TAKEN.has(meta.format)) throw new UnreadableImage(`${meta.format.toUpperCase()} pictures are not taken`);
  const format = meta.format as ImageFormat;
  // The header's size, checked before decoding; sharp's limitInputPixels checks it again.
  assertPixels(meta.width, meta.height, maxPixels);
  // A photo's EXIF orientation says which way is up: sizes and thumbnails are of the upright picture.
  const width = meta.autoOrient.width;
  const height = meta.autoOrient.height;
  return {
    info: { format, width, height, channels: meta.channels, colourMode: colourModeOf(meta) },
    image: sharp(bytes, { limitInputPixels: maxPixels, failOn: 'error' }).rotate(),
  };
}

function colourModeOf(meta: Metadata): ColourMode {
  if (meta.space === 'cmyk') return 'cmyk';
  if (meta.channels <= 2) return meta.hasAlpha ? 'grey-alpha' : 'grey';
  return meta.hasAlpha ? 'rgba' : 'rgb';
}

function assertPixels(width: number, height: number, maxPixels: number): void {
  if (width * height > maxPixels) {
    throw new TooManyPixels(
      `${width.toLocaleString('en-US')} × ${height.toLocaleString('en-US')} pixels is more than the ${maxPixels.toLocaleString('en-US')} a picture may have`,
    );
  }
}

async function thumbnailOf(image: Sharp): Promise<Buffer> {
  try {
    return await image
      .resize(THUMBNAIL_SIZE, THUMBNAIL_SIZE, { fit: 'inside', withoutEnlargement: true })
      .webp({ quality: 80 })
      .toBuffer();
  } catch (err) {
    throw damaged(err);
  }
}

/** Why decoding failed, as the import's skipped list and the endpoint's 400 say it. */
export function damaged(err: unknown): UnreadableImage {
  return err instanceof UnreadableImage ? err : new DamagedImage(`the picture is damaged (${firstLine(err)})`);
}

function firstLine(err: unknown): string {
  const text = err instanceof Error ? err.message : String(err);
  return (text.split('\n')[0] ?? text).replace(/^VipsJpeg: |^[a-z]+load(_buffer)?: /i, '').trim();
}

function isBmp(bytes: Buffer): boolean {
  return bytes.length >= 26 && bytes[0] === 0x42 && bytes[1] === 0x4d;
}

/**
 * A BMP's size is in its info header (width and height as signed 32-bit at bytes 18 and 22; a
 * negative height means top-down rows): checked here because bmp-ts allocates the full RGBA
 * buffer as soon as it parses the header.
 */
function openBmp(bytes: Buffer, maxPixels: number): OpenedImage {
  const width = bytes.readInt32LE(18);
  const height = Math.abs(bytes.readInt32LE(22));
  if (width <= 0 || height === 0) throw new UnreadableImage('the BMP header gives no size');
  assertPixels(width, height, maxPixels);
  let rgba: Buffer;
  try {
    rgba = decodeBmp(bytes, { toRGBA: true }).data;
  } catch (err) {
    throw new UnreadableImage(`the BMP is damaged or of a kind not read (${firstLine(err)})`);
  }
  if (rgba.length !== width * height * 4) throw new UnreadableImage('the BMP is damaged');
  // bmp-ts fills the alpha byte inconsistently across bit depths: BMPs are taken as RGB.
  const image = sharp(rgba, { raw: { width, height, channels: 4 } }).removeAlpha();
  return { info: { format: 'bmp', width, height, channels: 3, colourMode: 'rgb' }, image };
}
