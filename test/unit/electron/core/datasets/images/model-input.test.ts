// pixelsForModel: the one way a picture becomes a model's numbers, for training and the endpoint
// alike. Pictures are made here, tiny.
import sharp, { type Sharp } from 'sharp';
import { describe, expect, it } from 'vitest';
import { UnreadableImage } from '../../../../../../electron/core/datasets/images/decode-image.js';
import {
  ImageInput,
  inputLength,
  pixelsForModel,
  rawPixels,
} from '../../../../../../electron/core/datasets/images/model-input.js';

const rgb: ImageInput = { kind: 'image', size: 8, channels: 3, mean: [0.5, 0.5, 0.5], std: [0.25, 0.25, 0.25] };

function solid(width: number, height: number, channels: 3 | 4, pixel: number[]): Sharp {
  const data = Buffer.alloc(width * height * channels);
  for (let i = 0; i < data.length; i += channels) data.set(pixel, i);
  return sharp(data, { raw: { width, height, channels } });
}

describe('pixelsForModel', () => {
  it('stretches any size to size × size and normalises each channel', async () => {
    const png = await solid(10, 3, 3, [255, 0, 128]).png().toBuffer();
    const x = await pixelsForModel(png, rgb);
    expect(x.length).toBe(inputLength(rgb));
    expect(Array.from(x.subarray(0, 3)).map((v) => Number(v.toFixed(3)))).toEqual([
      2,
      -2,
      Number(((128 / 255 - 0.5) / 0.25).toFixed(3)),
    ]);
  });

  it('puts transparent pixels on white and reads 16-bit and grey pictures as 8-bit RGB', async () => {
    const clear = await solid(2, 2, 4, [0, 0, 0, 0]).png().toBuffer();
    expect(Array.from(await rawPixels(clear, rgb))).toEqual(new Array(192).fill(255));
    const deep = await solid(2, 2, 3, [255, 255, 255]).toColourspace('rgb16').png().toBuffer();
    expect(Array.from(await rawPixels(deep, rgb))).toEqual(new Array(192).fill(255));
    const grey = await solid(2, 2, 3, [40, 40, 40]).greyscale().png().toBuffer();
    expect(Array.from(await rawPixels(grey, rgb))).toEqual(new Array(192).fill(40));
  });

  it('makes one channel for a grey model', async () => {
    const png = await solid(3, 3, 3, [90, 90, 90]).png().toBuffer();
    expect(Array.from(await rawPixels(png, { size: 5, channels: 1 }))).toEqual(new Array(25).fill(90));
  });

  it('refuses what the import refuses, before decoding a bomb', async () => {
    await expect(pixelsForModel(Buffer.from('not a picture'), rgb)).rejects.toBeInstanceOf(UnreadableImage);
    const big = await solid(100, 100, 3, [0, 0, 0]).png().toBuffer();
    await expect(pixelsForModel(big, rgb, 50 * 50)).rejects.toThrow(/more than the 2,500/);
  });

  it('checks a stored input: one mean and std per channel, positive std', () => {
    expect(ImageInput.safeParse({ ...rgb, mean: [0.5] }).success).toBe(false);
    expect(ImageInput.safeParse({ ...rgb, std: [0, 1, 1] }).success).toBe(false);
    expect(ImageInput.safeParse(rgb).success).toBe(true);
  });
});
