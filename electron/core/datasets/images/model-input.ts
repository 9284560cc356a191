// A picture as a model's input: what training fits and stores with an image model, and the one
// function that turns a picture's bytes into the model's numbers. Training, evaluation, the
// endpoint and `cairn predict` all call pixelsForModel with the model's stored ImageInput, so a
// picture is seen the same way wherever it is scored (the image counterpart of the tabular
// preprocessing manifest).
import { damaged, MAX_PIXELS, openImage } from './decode-image.js';
import { inputLength, normalisePixels, type ImageInput } from './image-input.js';

export { ImageInput, inputLength, normalisePixels } from './image-input.js';

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

/** One picture's bytes to the model's input numbers (size × size × channels, HWC). */
export async function pixelsForModel(bytes: Buffer, input: ImageInput, maxPixels = MAX_PIXELS): Promise<Float32Array> {
  const raw = await rawPixels(bytes, input, maxPixels);
  const out = new Float32Array(raw.length);
  normalisePixels(raw, input, out);
  return out;
}
