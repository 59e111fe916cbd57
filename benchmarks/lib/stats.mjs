// Summaries of repeated measurements: median and spread, and ratios of medians.

/** Linear-interpolated quantile of sorted values. */
function quantile (sorted, q) {
  if (sorted.length === 0) return NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos)
  const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

const round = (x, digits = 4) => Number.isFinite(x) ? Number(x.toPrecision(digits)) : null

/**
 * Median, min, max, quartiles and the relative spread ((max - min) / median) of samples.
 * @param {number[]} samples
 */
export function summarize (samples, unit = '') {
  const xs = samples.filter(Number.isFinite)
  const sorted = [...xs].sort((a, b) => a - b)
  const median = quantile(sorted, 0.5)
  return {
    unit,
    n: xs.length,
    median: round(median),
    min: round(sorted[0]),
    max: round(sorted.at(-1)),
    p25: round(quantile(sorted, 0.25)),
    p75: round(quantile(sorted, 0.75)),
    spread: round(xs.length > 1 && median !== 0 ? (sorted.at(-1) - sorted[0]) / median : 0, 3),
    samples: xs.map(x => round(x))
  }
}

/** ours / other of two summaries' medians (null if either is missing). */
export function ratio (ours, other) {
  if (ours?.median == null || other?.median == null || other.median === 0) return null
  return round(ours.median / other.median, 3)
}

/** Formats a summary as "median (min-max)". */
export function fmt (s, digits = 3) {
  if (s == null || s.median == null) return '-'
  const f = (x) => {
    if (x == null) return '?'
    const abs = Math.abs(x)
    if (abs >= 100) return x.toFixed(0)
    if (abs >= 10) return x.toFixed(1)
    return x.toPrecision(digits)
  }
  return s.n > 1 ? `${f(s.median)} (${f(s.min)}-${f(s.max)})` : f(s.median)
}

export const fmtRatio = (r) => r == null ? '-' : `${r.toFixed(2)}x`
