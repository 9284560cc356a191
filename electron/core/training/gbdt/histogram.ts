// Per-bin sums of gradient, hessian and row count over a node's rows, the only pass over the data
// a split search needs. A histogram is one Float64Array of 3 values per bin, features laid end to
// end (HistogramLayout.offset), so a node's histograms are one allocation that is reused from a
// pool. Children cost one build: the smaller child is built and the larger is the parent's
// histogram minus it (the subtraction trick of LightGBM and sklearn).

/** Values per bin: gradient sum, hessian sum, row count. */
export const HIST_STRIDE = 3;

export interface HistogramLayout {
  /** First bin of each feature (its missing bin is offset + nBins). */
  offset: Int32Array;
  /** Bins over all features, missing bins included. */
  totalBins: number;
}

export function histogramLayout(nBins: Uint16Array): HistogramLayout {
  const offset = new Int32Array(nBins.length);
  let total = 0;
  for (let f = 0; f < nBins.length; f++) {
    offset[f] = total;
    total += nBins[f]! + 1;
  }
  return { offset, totalBins: total };
}

/**
 * Histograms of `features` over rows[start, end) into `hist` (the other features' bins are left as
 * they are). `bins` is feature-major over n rows. `og`/`oh` are scratch (at least end - start):
 * the node's gradients are gathered once in row order so the per-feature loops read them in
 * sequence and only the bin lookups jump.
 */
export function buildHistograms(
  hist: Float64Array,
  layout: HistogramLayout,
  bins: Uint8Array,
  n: number,
  rows: Uint32Array,
  start: number,
  end: number,
  grad: Float32Array,
  hess: Float32Array,
  features: Int32Array,
  og: Float32Array,
  oh: Float32Array,
): void {
  const m = end - start;
  for (let i = 0; i < m; i++) {
    const r = rows[start + i]!;
    og[i] = grad[r]!;
    oh[i] = hess[r]!;
  }
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const first = layout.offset[f]! * HIST_STRIDE;
    const last = binEnd(layout, f) * HIST_STRIDE;
    hist.fill(0, first, last);
    const col = f * n;
    for (let i = 0; i < m; i++) {
      const k = first + bins[col + rows[start + i]!]! * HIST_STRIDE;
      hist[k]! += og[i]!;
      hist[k + 1]! += oh[i]!;
      hist[k + 2]!++;
    }
  }
}

function binEnd(layout: HistogramLayout, f: number): number {
  return f + 1 < layout.offset.length ? layout.offset[f + 1]! : layout.totalBins;
}

/** larger = parent - smaller over the bins of `features`, in place in `parent` (which becomes the larger child's). */
export function subtractHistograms(
  parent: Float64Array,
  smaller: Float64Array,
  layout: HistogramLayout,
  features: Int32Array,
): void {
  for (let j = 0; j < features.length; j++) {
    const f = features[j]!;
    const last = binEnd(layout, f) * HIST_STRIDE;
    for (let k = layout.offset[f]! * HIST_STRIDE; k < last; k++) parent[k]! -= smaller[k]!;
  }
}
