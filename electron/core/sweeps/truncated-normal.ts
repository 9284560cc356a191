// The standard normal's log CDF, log mass over an interval and inverse CDF, accurate far into the
// tails (TPE scores a candidate by a ratio of densities that can each be e^-500), and the truncated
// normal draws TPE's Parzen kernels make. Plain numbers: nothing here allocates.

const SQRT1_2 = Math.SQRT1_2;

/** log(erfc(z)) for z >= 0, from the Chebyshev fit in Numerical Recipes (erfcc: relative error below 1.2e-7 everywhere), kept in logs so it never underflows. */
function logErfcNonNegative(z: number): number {
  const t = 1 / (1 + 0.5 * z);
  const poly =
    -z * z -
    1.26551223 +
    t *
      (1.00002368 +
        t *
          (0.37409196 +
            t *
              (0.09678418 +
                t *
                  (-0.18628806 +
                    t * (0.27886807 + t * (-1.13520398 + t * (1.48851587 + t * (-0.82215223 + t * 0.17087277))))))));
  return Math.log(t) + poly;
}

/** log Φ(x), the standard normal's log CDF. */
export function logNdtr(x: number): number {
  if (x === -Infinity) return -Infinity;
  if (x === Infinity) return 0;
  // Φ(x) = erfc(-x/√2)/2; on the right half that is 1 - erfc(x/√2)/2, a log1p of a small number.
  if (x <= 0) return logErfcNonNegative(-x * SQRT1_2) - Math.LN2;
  return Math.log1p(-Math.exp(logErfcNonNegative(x * SQRT1_2)) / 2);
}

/** log(Φ(b) − Φ(a)) for a < b, without cancellation in either tail. */
export function logGaussMass(a: number, b: number): number {
  if (a >= 0) return logGaussMass(-b, -a);
  if (b <= 0) {
    const lb = logNdtr(b);
    return lb + Math.log1p(-Math.exp(logNdtr(a) - lb));
  }
  // a < 0 < b: the mass is 1 less both tails, each at most a half.
  return Math.log1p(-Math.exp(logNdtr(a)) - Math.exp(logNdtr(-b)));
}

// Acklam's rational approximation of the inverse normal CDF (relative error below 1.2e-9).
const A = [
  -3.969683028665376e1, 2.209460984245205e2, -2.759285104469687e2, 1.38357751867269e2, -3.066479806614716e1,
  2.506628277459239,
];
const B = [-5.447609879822406e1, 1.615858368580409e2, -1.556989798598866e2, 6.680131188771972e1, -1.328068155288572e1];
const C = [
  -7.784894002430293e-3, -3.223964580411365e-1, -2.400758277161838, -2.549732539343734, 4.374664141464968,
  2.938163982698783,
];
const D = [7.784695709041462e-3, 3.224671290700398e-1, 2.445134137142996, 3.754408661907416];
const P_LOW = 0.02425;

/** Φ⁻¹(p) for p in (0, 1). */
export function ndtri(p: number): number {
  if (p <= 0) return -Infinity;
  if (p >= 1) return Infinity;
  if (p < P_LOW || p > 1 - P_LOW) {
    const q = Math.sqrt(-2 * Math.log(p < P_LOW ? p : 1 - p));
    const x =
      (((((C[0]! * q + C[1]!) * q + C[2]!) * q + C[3]!) * q + C[4]!) * q + C[5]!) /
      ((((D[0]! * q + D[1]!) * q + D[2]!) * q + D[3]!) * q + 1);
    return p < P_LOW ? x : -x;
  }
  const q = p - 0.5;
  const r = q * q;
  return (
    ((((((A[0]! * r + A[1]!) * r + A[2]!) * r + A[3]!) * r + A[4]!) * r + A[5]!) * q) /
    (((((B[0]! * r + B[1]!) * r + B[2]!) * r + B[3]!) * r + B[4]!) * r + 1)
  );
}

/** A standard normal draw truncated to [a, b] by inverting the CDF at uniform `u`. */
export function truncatedStandardNormal(a: number, b: number, u: number): number {
  // Invert on the side where the interval's CDF values are small, so they keep their precision.
  if (a > 0) return -truncatedStandardNormal(-b, -a, 1 - u);
  const pa = Math.exp(logNdtr(a));
  const pb = Math.exp(logNdtr(b));
  return Math.min(b, Math.max(a, ndtri(pa + u * (pb - pa))));
}
