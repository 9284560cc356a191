// decodeImage: every format an image dataset takes, the colour modes it reports, and the reasons
// it gives for what it does not take. All pictures are made here, tiny.
import { encode as encodeBmp } from 'bmp-ts';
import sharp from 'sharp';
import { describe, expect, it } from 'vitest';
import { decodeImage, UnreadableImage } from '../../../../../../electron/core/datasets/images/decode-image.js';
import { square } from './picture-folders.js';

async function reason(bytes: Buffer, maxPixels?: number): Promise<string> {
  const err = await decodeImage(bytes, maxPixels).then(
    () => new Error('decoded'),
    (e: unknown) => e as Error,
  );
  expect(err).toBeInstanceOf(UnreadableImage);
  return err.message;
}

/** A 24-bit BMP of `w` × `h` pixels of one colour (bmp-ts takes ABGR bytes). */
function bmp(w: number, h: number, [r, g, b]: [number, number, number]): Buffer {
  const data = Buffer.alloc(w * h * 4);
  for (let i = 0; i < data.length; i += 4) data.set([255, b, g, r], i);
  return encodeBmp({ data, width: w, height: h, bitPP: 24 }).data;
}

describe('decodeImage', () => {
  it('reads PNG, JPEG, WebP, GIF, TIFF and BMP, sized by content, each with a small WebP thumbnail', async () => {
    const made = {
      png: await square([10, 20, 30], 'png', 6),
      jpeg: await square([10, 20, 30], 'jpeg', 6),
      webp: await square([10, 20, 30], 'webp', 6),
      gif: await square([10, 20, 30], 'gif', 6),
      tiff: await square([10, 20, 30], 'tiff', 6),
      bmp: bmp(6, 4, [10, 20, 30]),
    };
    for (const [format, bytes] of Object.entries(made)) {
      const d = await decodeImage(bytes);
      expect(d.format, format).toBe(format);
      expect([d.width, d.height], format).toEqual(format === 'bmp' ? [6, 4] : [6, 6]);
      expect(d.thumbnail.subarray(8, 12).toString('latin1'), format).toBe('WEBP');
    }
    // The BMP's pixels survive: its thumbnail holds the colour it was made of.
    const thumb = await decodeImage(made.bmp);
    const { data } = await sharp(thumb.thumbnail).raw().toBuffer({ resolveWithObject: true });
    expect([...data.subarray(0, 3)].map((v) => Math.round(v / 10))).toEqual([1, 2, 3]);
  });

  it('reports grey, alpha and CMYK colour modes, and takes 16-bit PNGs', async () => {
    const grey = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'grey' } })
      .toColourspace('b-w')
      .png()
      .toBuffer();
    const alpha = await sharp({
      create: { width: 4, height: 4, channels: 4, background: { r: 1, g: 2, b: 3, alpha: 0.5 } },
    })
      .png()
      .toBuffer();
    const cmyk = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } })
      .toColourspace('cmyk')
      .jpeg()
      .toBuffer();
    const deep = await sharp({ create: { width: 4, height: 4, channels: 3, background: 'red' } })
      .toColourspace('rgb16')
      .png()
      .toBuffer();
    expect((await decodeImage(grey)).colourMode).toBe('grey');
    expect((await decodeImage(alpha)).colourMode).toBe('rgba');
    expect((await decodeImage(cmyk)).colourMode).toBe('cmyk');
    expect(await decodeImage(deep)).toMatchObject({ format: 'png', colourMode: 'rgb', width: 4 });
  });

  it('takes the first frame of an animated GIF', async () => {
    const red = await square([250, 0, 0], 'png', 6);
    const blue = await square([0, 0, 250], 'png', 6);
    const animated = await sharp([red, blue], { join: { animated: true } })
      .gif()
      .toBuffer();
    expect((await sharp(animated).metadata()).pages).toBe(2);
    const d = await decodeImage(animated);
    expect(d).toMatchObject({ format: 'gif', width: 6, height: 6 });
    const { data } = await sharp(d.thumbnail).raw().toBuffer({ resolveWithObject: true });
    expect(data[0]).toBeGreaterThan(200);
    expect(data[2]).toBeLessThan(50);
  });

  it('gives a reason for what it does not read', async () => {
    const png = await square([1, 2, 3], 'png');
    const jpeg = await sharp({
      create: {
        width: 64,
        height: 64,
        channels: 3,
        background: 'grey',
        noise: { type: 'gaussian', mean: 128, sigma: 40 },
      },
    })
      .jpeg()
      .toBuffer();
    expect(await reason(Buffer.alloc(0))).toBe('the file is empty');
    expect(await reason(Buffer.from('not a picture, though named .jpg'))).toMatch(/not a picture Cairn reads/);
    expect(await reason(png.subarray(0, png.length - 20))).toMatch(/damaged/);
    expect(await reason(jpeg.subarray(0, Math.floor(jpeg.length * 0.6)))).toMatch(/damaged/);
    expect(await reason(Buffer.from('<svg xmlns="http://www.w3.org/2000/svg" width="4" height="4"/>'))).toBe(
      'SVG pictures are not taken',
    );
    expect(await reason(await square([1, 2, 3], 'png', 40), 1000)).toBe(
      '40 × 40 pixels is more than the 1,000 a picture may have',
    );
    expect(await reason(bmp(40, 40, [1, 2, 3]), 1000)).toBe('40 × 40 pixels is more than the 1,000 a picture may have');
  });
});
