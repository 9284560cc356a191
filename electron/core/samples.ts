// The sample datasets Cairn ships (resources/samples): what each one is, which column to predict,
// and where its CSV lies, from the repository (tests, the CLI, `npm start`) or from an installed
// app, where electron-builder copies them beside app.asar (extraResources), since DuckDB's native
// reader cannot open files inside an asar archive.
import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CairnError } from './errors.js';

export type SampleTask = 'classification' | 'regression';

export interface Sample {
  /** Stable id, also the dataset name an import gets by default. */
  id: string;
  name: string;
  /** The CSV's file name in the samples folder. */
  file: string;
  description: string;
  /** The column a first model should predict. */
  target: string;
  task: SampleTask;
  rows: number;
  columns: number;
  source: string;
  license: string;
}

/** Every shipped sample, in the order a list should show them. */
export const SAMPLES: readonly Sample[] = [
  {
    id: 'iris',
    name: 'Iris',
    file: 'iris.csv',
    description:
      "Fisher's iris flowers: four measurements of sepals and petals for 50 flowers of each of three species.",
    target: 'species',
    task: 'classification',
    rows: 150,
    columns: 5,
    source: 'R. A. Fisher (1936), UCI Machine Learning Repository, as bundled with scikit-learn',
    license: 'CC BY 4.0',
  },
  {
    id: 'penguins',
    name: 'Palmer penguins',
    file: 'penguins.csv',
    description:
      'Bill, flipper and body measurements, island and sex of 344 penguins of three species near Palmer Station, Antarctica; some values are missing.',
    target: 'species',
    task: 'classification',
    rows: 344,
    columns: 7,
    source:
      'K. Gorman and Palmer Station LTER, via the palmerpenguins package (A. Horst, A. Hill, K. Gorman), as shipped in vega-datasets',
    license: 'CC0 1.0',
  },
  {
    id: 'wine',
    name: 'Wine',
    file: 'wine.csv',
    description: 'Chemical analysis (13 measurements) of 178 Italian wines from three cultivars.',
    target: 'cultivar',
    task: 'classification',
    rows: 178,
    columns: 14,
    source: 'M. Forina et al., UCI Machine Learning Repository, as bundled with scikit-learn',
    license: 'CC BY 4.0',
  },
  {
    id: 'breast-cancer',
    name: 'Breast cancer (Wisconsin diagnostic)',
    file: 'breast-cancer.csv',
    description: '30 features of cell nuclei in 569 breast mass images, each diagnosed malignant or benign.',
    target: 'diagnosis',
    task: 'classification',
    rows: 569,
    columns: 31,
    source: 'W. Wolberg, W. Street, O. Mangasarian, UCI Machine Learning Repository, as bundled with scikit-learn',
    license: 'CC BY 4.0',
  },
  {
    id: 'diabetes',
    name: 'Diabetes progression',
    file: 'diabetes.csv',
    description:
      'Age, sex, body mass index, blood pressure and six blood serum measurements of 442 diabetes patients, and a measure of disease progression one year later.',
    target: 'progression',
    task: 'regression',
    rows: 442,
    columns: 11,
    source:
      'B. Efron, T. Hastie, I. Johnstone, R. Tibshirani (2004), "Least Angle Regression", as bundled with scikit-learn',
    license: 'BSD-3-Clause (as distributed with scikit-learn)',
  },
];

/** The samples folder inside the repository, found relative to this module as environment.ts finds package.json. */
function repoSamplesDir(): string {
  // From electron/core/ in the source tree and from out/main/ in a build, ../../ is the root.
  return path.join(fileURLToPath(new URL('../../', import.meta.url)), 'resources', 'samples');
}

/**
 * The folder holding the sample CSVs: `<resourcesPath>/samples` in an installed app (Electron sets
 * process.resourcesPath in main and utility processes), else the repository's resources/samples.
 */
export function samplesDir(resourcesPath = (process as { resourcesPath?: string }).resourcesPath): string {
  if (resourcesPath) {
    const installed = path.join(resourcesPath, 'samples');
    if (existsSync(installed)) return installed;
  }
  return repoSamplesDir();
}

/** The sample with this id; a not_found CairnError listing the ids there are otherwise. */
export function findSample(id: string): Sample {
  const sample = SAMPLES.find((s) => s.id === id);
  if (!sample) {
    throw new CairnError('not_found', `No sample dataset "${id}"; there are: ${SAMPLES.map((s) => s.id).join(', ')}`, {
      id,
      available: SAMPLES.map((s) => s.id),
    });
  }
  return sample;
}

/** Absolute path of a sample's CSV. */
export function samplePath(id: string, dir = samplesDir()): string {
  return path.join(dir, findSample(id).file);
}
