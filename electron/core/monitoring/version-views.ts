// What monitoring needs to know about a model version, loaded once per version and kept: its card
// (task, classes, the input fields it reads, the training-data profile) and the training
// distribution its live inputs are compared with (from the training rows, else the card; for a
// picture model, from its dataset version's pictures: picture-drift.ts).
import path from 'node:path';
import type { DuckDBConnection } from '@duckdb/node-api';
import type { InputField, ModelCardView } from '../../../shared/api.js';
import type { DatasetsRepo } from '../db/datasets-repo.js';
import type { RegistryVersion } from '../db/registry-repo.js';
import type { ModelRegistry } from '../registry/registry.js';
import { cardAndPreprocess, readStoredFiles } from '../registry/stored-files.js';
import { PICTURE_DRIFT_FIELDS, pictureReference } from './picture-drift.js';
import { referenceFromProfile, referenceFromRows, type DriftReference } from './drift-report.js';
import { readRunRows, splitParamsOf } from './training-rows.js';

export interface VersionView {
  version: RegistryVersion;
  card: ModelCardView;
  /** What drift compares: the card's inputs, or for a picture model its pictures' figures and predicted class. */
  fields: InputField[];
  /** Whether the logged inputs are pictures' summaries (picture-drift.ts). */
  pictures: boolean;
  /** Null when neither the training rows nor a profile are at hand (e.g. a bundle without one). */
  reference: DriftReference | null;
}

export interface VersionViewDeps {
  registry: ModelRegistry;
  datasets: DatasetsRepo;
  home: string;
  /** A DuckDB connection of the caller's own, closed after use. */
  connect: () => Promise<DuckDBConnection>;
}

/** Versions kept at once: a few models with a few versions each. */
const KEPT = 32;

/** Loads and keeps VersionViews by version id and artifact hash. */
export class VersionViews {
  private readonly cache = new Map<string, Promise<VersionView>>();

  constructor(private readonly deps: VersionViewDeps) {}

  /** The view of a stored version (loaded on first use). */
  get(v: RegistryVersion): Promise<VersionView> {
    const key = `${v.id}:${v.sha256}`;
    let view = this.cache.get(key);
    if (!view) {
      view = this.load(v);
      this.cache.set(key, view);
      view.catch(() => this.cache.delete(key));
      if (this.cache.size > KEPT) this.cache.delete(this.cache.keys().next().value as string);
    }
    return view;
  }

  private async load(v: RegistryVersion): Promise<VersionView> {
    const card = await this.deps.registry.card({ name: v.name, version: v.version });
    if (card.image) {
      const reference = await this.pictureReference(v).catch(() => null);
      return { version: v, card, fields: PICTURE_DRIFT_FIELDS, pictures: true, reference };
    }
    return { version: v, card, fields: card.inputs, pictures: false, reference: await this.reference(v, card) };
  }

  /**
   * A picture model's reference: the pictures of the dataset version its run trained on (all of
   * them: the run's split of pictures is not made again here), null when they are not at hand.
   */
  private async pictureReference(v: RegistryVersion): Promise<DriftReference | null> {
    const stored = v.run ? this.deps.datasets.version(v.run.datasetVersionId) : undefined;
    if (!stored?.images) return null;
    const dir = this.deps.registry.dirOf(v);
    const { preprocess } = cardAndPreprocess(dir, await readStoredFiles(dir, v.sha256));
    if (!preprocess.image) return null;
    const conn = await this.deps.connect();
    try {
      const index = path.join(this.deps.home, stored.dataFile);
      return await pictureReference(conn, index, path.dirname(index), preprocess.image);
    } finally {
      conn.closeSync();
    }
  }

  /** The training split's rows when the run and its dataset version are at hand; else the card's profile. */
  private async reference(v: RegistryVersion, card: ModelCardView): Promise<DriftReference | null> {
    const split = v.run ? splitParamsOf(v.run) : null;
    const stored = v.run ? this.deps.datasets.version(v.run.datasetVersionId) : undefined;
    if (split && stored) {
      const conn = await this.deps.connect();
      try {
        const { data, splits } = await readRunRows(
          conn,
          path.join(this.deps.home, stored.dataFile),
          this.deps.datasets.profile(stored.id),
          card.inputs.map((f) => f.name),
          split,
        );
        return referenceFromRows(card.inputs, data, splits.train);
      } catch {
        // A dataset file that can no longer be read as the run read it: the card still describes it.
      } finally {
        conn.closeSync();
      }
    }
    return card.trainingData ? referenceFromProfile(card.inputs, card.trainingData) : null;
  }
}
