// Image datasets: what an import of pictures reports, their profile, and pages of thumbnails.
import { z } from 'zod';
import { HistogramBin, SkippedFile } from './datasets.js';

/** The formats an image dataset takes, decoded by sharp (libvips), BMP by bmp-ts. */
export const imageFormats = ['png', 'jpeg', 'webp', 'gif', 'tiff', 'bmp'] as const;
export const ImageFormat = z.enum(imageFormats);
export type ImageFormat = z.infer<typeof ImageFormat>;

/** The column of an image dataset's index that holds each picture's label: a picture model's target. */
export const IMAGE_LABEL_COLUMN = 'label';

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

export const ImageProfile = z.object({
  versionId: z.string(),
  images: z.number(),
  classes: z.array(CountOf),
  width: z.object({ min: z.number(), median: z.number(), max: z.number() }),
  height: z.object({ min: z.number(), median: z.number(), max: z.number() }),
  /** The most common sizes as "W×H", most frequent first (at most 20). */
  sizes: z.array(CountOf),
  /** Width over height, in fixed bins from tall (below 0.5) to wide (2 and above). */
  aspectRatios: z.array(HistogramBin),
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
