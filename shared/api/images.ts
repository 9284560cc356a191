// Image datasets: what an import of pictures reports, their profile, and pages of thumbnails.
import { z } from 'zod';
import { SkippedFile } from './datasets.js';

/** The formats an image dataset takes, decoded by sharp (libvips), BMP by bmp-ts. */
export const imageFormats = ['png', 'jpeg', 'webp', 'gif', 'tiff', 'bmp'] as const;
export const ImageFormat = z.enum(imageFormats);
export type ImageFormat = z.infer<typeof ImageFormat>;

export { IMAGE_LABEL_COLUMN } from './image-label.js';

/** How a picture's pixels are stored; CMYK is converted to RGB when it is used. */
export const ColourMode = z.enum(['grey', 'grey-alpha', 'rgb', 'rgba', 'cmyk']);
export type ColourMode = z.infer<typeof ColourMode>;

export const CountOf = z.object({ value: z.string(), count: z.number() });

/** One picture of a version as the gallery sees it. */
export const ImageItem = z.object({
  /** The content's sha256: the same picture has the same id in every version. */
  id: z.string(),
  label: z.string(),
  /** Where it was in what the user imported (folder-relative, or as the CSV named it). */
  file: z.string(),
  width: z.number(),
  height: z.number(),
  format: ImageFormat,
  colourMode: ColourMode,
  bytes: z.number(),
  /** Where the host serves its thumbnail (a same-origin URL path: app:// or the browser host). */
  thumbnailUrl: z.string(),
});
export type ImageItem = z.infer<typeof ImageItem>;

/** Pictures with the same content; in two or more classes it is a label error. */
export const DuplicateGroup = z.object({
  id: z.string(),
  labels: z.array(z.string()),
  files: z.array(z.object({ label: z.string(), file: z.string() })),
  crossClass: z.boolean(),
});
export type DuplicateGroup = z.infer<typeof DuplicateGroup>;

/** A bin of width over height; the widest is open (`hi` null: JSON has no infinity). */
export const AspectBin = z.object({ lo: z.number(), hi: z.number().nullable(), count: z.number() });
export type AspectBin = z.infer<typeof AspectBin>;

export const ImageProfile = z.object({
  versionId: z.string(),
  images: z.number(),
  classes: z.array(CountOf),
  width: z.object({ min: z.number(), median: z.number(), max: z.number() }),
  height: z.object({ min: z.number(), median: z.number(), max: z.number() }),
  /** The most common sizes as "W×H", most frequent first (at most 20). */
  sizes: z.array(CountOf),
  /** Width over height, in fixed bins from tall (below 0.5) to wide (2 and above). */
  aspectRatios: z.array(AspectBin),
  colourModes: z.array(CountOf),
  formats: z.array(CountOf),
  duplicates: z.object({
    /** Groups of two or more images with the same content, and how many of them span classes. */
    groups: z.number(),
    crossClassGroups: z.number(),
    /** Cross-class groups first; at most 100. */
    sample: z.array(DuplicateGroup),
  }),
  unreadable: z.object({ count: z.number(), files: z.array(SkippedFile) }),
});
export type ImageProfile = z.infer<typeof ImageProfile>;

export const ImagesQuery = z.object({
  versionId: z.string(),
  /** Only this class; every class when absent. */
  label: z.string().optional(),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type ImagesQuery = z.input<typeof ImagesQuery>;

export const ImagesPage = z.object({ items: z.array(ImageItem), total: z.number(), offset: z.number() });
export type ImagesPage = z.infer<typeof ImagesPage>;

/**
 * One held-out picture as a picture model's run scored it: what its confusion matrix cells and the
 * most-confident-mistakes gallery open. A run of a picture model keeps one per test picture, in
 * IMAGE_PREDICTIONS_FILE in its model folder, as an ImagePredictions document.
 */
export const ImagePrediction = z.object({
  /** The picture's content sha256 (its id in the dataset and the image store). */
  id: z.string(),
  file: z.string(),
  label: z.string(),
  predicted: z.string(),
  /** The predicted class's probability. */
  confidence: z.number(),
  /** One per class, in `classes` order. */
  probabilities: z.array(z.number()),
});
export type ImagePrediction = z.infer<typeof ImagePrediction>;

export const ImagePredictions = z.object({
  classes: z.array(z.string()).min(2),
  items: z.array(ImagePrediction),
});
export type ImagePredictions = z.infer<typeof ImagePredictions>;

/** Where a picture model's run keeps its test pictures' predictions, inside its model folder. */
export const IMAGE_PREDICTIONS_FILE = 'image-predictions.json';

/** A page of a picture model's held-out predictions: one cell of its confusion matrix, its mistakes, or all. */
export const ImagePredictionsQuery = z.object({
  runId: z.string().min(1),
  /** Only pictures of this true class. */
  label: z.string().optional(),
  /** Only pictures predicted as this class. */
  predicted: z.string().optional(),
  /** Only pictures predicted wrong. */
  mistakesOnly: z.boolean().default(false),
  /** 'confidence': most confident first (among mistakes, the likeliest label errors); 'file': by file name. */
  sort: z.enum(['confidence', 'file']).default('file'),
  offset: z.number().int().min(0).default(0),
  limit: z.number().int().min(1).max(500).default(100),
});
export type ImagePredictionsQuery = z.input<typeof ImagePredictionsQuery>;

/** A held-out picture's prediction with where its thumbnail is served (its run's dataset's). */
export const ImagePredictionItem = ImagePrediction.extend({ thumbnailUrl: z.string() });
export type ImagePredictionItem = z.infer<typeof ImagePredictionItem>;

export const ImagePredictionsPage = z.object({
  classes: z.array(z.string()),
  items: z.array(ImagePredictionItem),
  total: z.number(),
  offset: z.number(),
});
export type ImagePredictionsPage = z.infer<typeof ImagePredictionsPage>;

/** Camera pictures that may wait to be saved at once, and be added in one call. */
export const MAX_STAGED_PICTURES = 2000;

/** The largest picture one call may stage: a camera frame is a few hundred KB; base64 keeps it under a call's 10 MiB. */
export const MAX_STAGED_BYTES = 6 * 1024 * 1024;

/** A name that could be a file's or a folder's: no slash, no control character, not "." or "..". */
const PlainName = z
  .string()
  .min(1)
  .max(200)
  .refine(
    (s) => s !== '.' && s !== '..' && ![...s].some((c) => c === '/' || c === '\\' || c < ' ' || c === '\u007f'),
    'a plain name: no slashes or control characters',
  );

/** One camera picture, sent to wait until its dataset's next version is saved. */
export const StagePictureRequest = z.object({
  /** The picture's bytes (PNG, JPEG or WebP as a canvas encodes them), base64. */
  data: z.base64().max(Math.ceil(MAX_STAGED_BYTES / 3) * 4),
  /** Its file name in the dataset ("capture-….jpg"). */
  name: PlainName,
});
export type StagePictureRequest = z.input<typeof StagePictureRequest>;

export const StagedPicture = z.object({ id: z.string(), width: z.number(), height: z.number(), format: ImageFormat });
export type StagedPicture = z.infer<typeof StagedPicture>;

/** A class name as a picture's label: what a class folder would be named. */
export const ClassLabel = z.string().trim().pipe(PlainName);

/** Staged pictures, each with its class, added to a version: the dataset's next version holds both. */
export const AddPicturesRequest = z.object({
  versionId: z.string().min(1),
  pictures: z
    .array(z.object({ staged: z.string().min(1), label: ClassLabel }))
    .min(1)
    .max(MAX_STAGED_PICTURES),
});
export type AddPicturesRequest = z.input<typeof AddPicturesRequest>;
