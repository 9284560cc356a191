// Pictures as the input of a picture model (one whose manifest has `image`): JSON instances
// `{"image": {"b64": "<base64>"}}` (TF Serving's convention) or one raw picture body, each turned
// into the model's row by pixelsForModel's steps (model-input.ts), so the endpoint sees a picture
// exactly as training did. The format is read from the content (openImage), never from the
// Content-Type, and the pixel count from the header before any pixel is decoded. Decoding runs on
// sharp's threads, a bounded number of pictures at once (DecodeSlots), before the micro-batch: the
// rows then go through the same batcher and model call as a table's. What the request log keeps of
// a picture is its summary (picture-stats.ts), never the picture.
import { inputLength, normalisePixels, type ImageInput } from '../datasets/images/image-input.js';
import { Problems, type InstanceError } from './validator.js';

/** What a picture instance looks like, as error messages show it. */
export const PICTURE_INSTANCE = '{"image": {"b64": "<base64 of the picture>"}}';

/** The Content-Types a raw picture body may be sent with (the content decides the format). */
export const PICTURE_BODY_TYPES = ['image/png', 'image/jpeg', 'image/webp'] as const;

/** Standard or URL-safe base64, padded or not. */
const BASE64 = /^(?:[A-Za-z0-9+/_-]{4})*(?:[A-Za-z0-9+/_-]{2,3}={0,2})?$/;

/** The pictures of JSON instances, or what is wrong with them (every instance checked). */
export function picturesOfInstances(
  instances: readonly unknown[],
): { pictures: Buffer[] } | { errors: InstanceError[]; total: number } {
  const pictures: Buffer[] = [];
  let problems: Problems | undefined;
  const problem = (i: number, field: string, message: string) => (problems ??= new Problems()).add(i, field, message);
  for (let i = 0; i < instances.length; i++) {
    const record = instances[i];
    if (typeof record !== 'object' || record === null || Array.isArray(record)) {
      problem(i, '', `is not an object: a picture model takes ${PICTURE_INSTANCE}`);
      continue;
    }
    const keys = Object.keys(record);
    for (const k of keys)
      if (k !== 'image') problem(i, k, `is not an input of this model: a picture model takes ${PICTURE_INSTANCE}`);
    // Own properties only: "__proto__" in JSON is data.
    if (!Object.hasOwn(record, 'image')) {
      problem(i, 'image', `is missing: a picture model takes ${PICTURE_INSTANCE}`);
      continue;
    }
    const image = (record as { image: unknown }).image;
    const b64 =
      typeof image === 'object' && image !== null && !Array.isArray(image) && Object.keys(image).join() === 'b64'
        ? (image as { b64: unknown }).b64
        : undefined;
    if (typeof b64 !== 'string') {
      problem(i, 'image', 'must be {"b64": "<base64 of the picture>"} and nothing else');
      continue;
    }
    if (b64.length === 0) {
      problem(i, 'image', 'is empty');
      continue;
    }
    if (!BASE64.test(b64)) {
      problem(i, 'image', 'is not valid base64');
      continue;
    }
    pictures.push(Buffer.from(b64, 'base64'));
  }
  return problems ? { errors: problems.errors, total: problems.total } : { pictures };
}

/** Pictures decoded at once at most; each holds its decoded pixels until scaled down. */
export class DecodeSlots {
  private free: number;
  private readonly waiting: (() => void)[] = [];

  constructor(slots: number) {
    this.free = Math.max(1, Math.floor(slots));
  }

  async run<T>(task: () => Promise<T>): Promise<T> {
    if (this.free > 0) this.free--;
    else await new Promise<void>((resolve) => this.waiting.push(resolve));
    try {
      return await task();
    } finally {
      // The slot passes straight to the next waiter, if any.
      const next = this.waiting.shift();
      if (next) next();
      else this.free++;
    }
  }
}

/** The model's rows of some pictures, and what the request log keeps of each (JSON, per instance). */
export interface PictureRows {
  x: Float32Array;
  logged: string[];
}

/** Why pictures were refused: a 413 for too many pixels, else a 400 naming the instance. */
export interface PictureRefusal {
  status: 400 | 413;
  code: 'invalid_input' | 'payload_too_large';
  message: string;
  errors: InstanceError[];
}

/**
 * Decodes pictures into the model's rows (row i is pixelsForModel(pictures[i], input)), at most
 * `slots` at once; the first unreadable picture refuses the request and the rest are not decoded.
 */
export async function pictureRows(
  pictures: readonly Buffer[],
  input: ImageInput,
  maxPixels: number,
  slots: DecodeSlots,
): Promise<PictureRows | PictureRefusal> {
  // Loaded with the first picture: a table model's endpoint never loads sharp (libvips and its threads).
  const { openImage, TooManyPixels, UnreadableImage } = await import('../datasets/images/decode-image.js');
  const { rawPixels } = await import('../datasets/images/model-input.js');
  const { summarisePicture } = await import('../datasets/images/picture-stats.js');
  const width = inputLength(input);
  const x = new Float32Array(pictures.length * width);
  const logged = new Array<string>(pictures.length);
  let refused: PictureRefusal | undefined;
  await Promise.all(
    pictures.map((bytes, i) =>
      slots.run(async () => {
        if (refused) return;
        try {
          // The header first: format and pixel count are checked before anything is decoded.
          const { info } = await openImage(bytes, maxPixels);
          const raw = await rawPixels(bytes, input, maxPixels);
          normalisePixels(raw, input, x, i * width);
          logged[i] = JSON.stringify({ image: summarisePicture(bytes, info, raw, input.channels) });
        } catch (err) {
          if (!(err instanceof UnreadableImage)) throw err;
          const where = pictures.length > 1 ? `instance ${i}: ` : '';
          refused ??=
            err instanceof TooManyPixels
              ? { status: 413, code: 'payload_too_large', message: `${where}${err.message}`, errors: [] }
              : {
                  status: 400,
                  code: 'invalid_input',
                  message: `${where}${err.message}`,
                  errors: [{ instance: i, field: 'image', message: err.message }],
                };
        }
      }),
    ),
  );
  return refused ?? { x, logged };
}
