// Plain data with no zod, so the CLI's commands use it without loading the contract.

/** The column of an image dataset's index that holds each picture's label: a picture model's target. */
export const IMAGE_LABEL_COLUMN = 'label';
