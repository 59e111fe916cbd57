// A small SVG writer for the result charts: horizontal grouped bars with min-max whiskers, and line charts
// with a logarithmic x axis. Plain strings, no dependencies; the output is deterministic for given data.

const PALETTE = ['#2563eb', '#dc2626', '#16a34a', '#9333ea', '#ea580c', '#0891b2', '#4b5563', '#ca8a04']
const FONT = 'font-family="system-ui, -apple-system, Segoe UI, Helvetica, Arial, sans-serif"'

const esc = (s) => String(s).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;')
const num = (x) => Number.isFinite(x) ? Number(x.toFixed(1)) : 0

/** A "nice" upper bound and tick step for [0, max]. */
function niceScale (max, ticks = 5) {
  if (!(max > 0)) return { top: 1, step: 0.2 }
  const raw = max / ticks
  const mag = 10 ** Math.floor(Math.log10(raw))
  const step = [1, 2, 2.5, 5, 10].map(m => m * mag).find(s => s >= raw)
  return { top: Math.ceil(max / step) * step, step }
}

const label = (x) => {
  if (x === 0) return '0'
  const abs = Math.abs(x)
  if (abs >= 1e6) return `${+(x / 1e6).toFixed(1)}M`
  if (abs >= 1e4) return `${+(x / 1e3).toFixed(0)}k`
  if (abs >= 100) return x.toFixed(0)
  return String(+x.toPrecision(3))
}

/** Legend items laid out left to right from (x, y), wrapping at maxWidth; returns { svg, height }. */
function legend (series, x, y, maxWidth = 560) {
  let cx = x
  let cy = y
  const parts = []
  series.forEach((s, i) => {
    const w = 26 + String(s.name).length * 6.2
    if (cx > x && cx + w > x + maxWidth) { cx = x; cy += 16 }
    parts.push(`<rect x="${num(cx)}" y="${cy - 9}" width="10" height="10" fill="${PALETTE[i % PALETTE.length]}"/>` +
      `<text x="${num(cx + 14)}" y="${cy}" font-size="11" ${FONT}>${esc(s.name)}</text>`)
    cx += w
  })
  return { svg: parts.join(''), height: cy - y }
}

/**
 * Horizontal grouped bars: one row per category, one bar per series, whiskers from min to max.
 * A null value prints "n/a" (measured nowhere), an undefined one leaves the slot empty.
 * @param {{ title: string, unit: string, categories: string[], series: { name: string, values: ({ median: number, min?: number, max?: number } | null | undefined)[] }[], note?: string, refLine?: { value: number, label?: string } }} chart
 */
export function barChart ({ title, unit, categories, series, note, refLine }) {
  const barH = 12
  const gap = 10
  const labelW = Math.max(120, 12 + Math.max(...categories.map(c => String(c).length)) * 6.4)
  const plotW = 520
  const lg = legend(series, labelW, 42, 520)
  const top = 58 + lg.height
  const rowH = series.length * barH + gap
  const height = top + categories.length * rowH + 54
  const width = labelW + plotW + 90
  const max = Math.max(refLine?.value ?? 0, ...series.flatMap(s => s.values.map(v => v == null ? 0 : Math.max(v.median, v.max ?? 0))))
  const { top: vmax, step } = niceScale(max)
  const xOf = (v) => labelW + (v / vmax) * plotW
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold" ${FONT}>${esc(title)}</text>`,
    lg.svg]
  const plotBottom = top + categories.length * rowH
  for (let v = 0; v <= vmax + step / 2; v += step) {
    const x = num(xOf(v))
    out.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${plotBottom}" stroke="#e5e7eb"/>`,
      `<text x="${x}" y="${plotBottom + 14}" font-size="10" text-anchor="middle" ${FONT}>${label(v)}</text>`)
  }
  out.push(`<text x="${labelW + plotW / 2}" y="${plotBottom + 30}" font-size="11" text-anchor="middle" ${FONT}>${esc(unit)}</text>`)
  if (refLine != null) {
    const x = num(xOf(refLine.value))
    out.push(`<line x1="${x}" y1="${top - 4}" x2="${x}" y2="${plotBottom}" stroke="#111827" stroke-dasharray="4 3"/>`,
      `<text x="${x}" y="${top - 7}" font-size="10" text-anchor="middle" ${FONT}>${esc(refLine.label ?? label(refLine.value))}</text>`)
  }
  categories.forEach((cat, c) => {
    const y0 = top + c * rowH
    out.push(`<text x="${labelW - 6}" y="${num(y0 + (series.length * barH) / 2 + 4)}" font-size="11" text-anchor="end" ${FONT}>${esc(cat)}</text>`)
    series.forEach((s, i) => {
      const v = s.values[c]
      const y = y0 + i * barH
      if (v === undefined) return // no bar of this series in this row, and nothing to say
      if (v == null || !Number.isFinite(v.median)) {
        out.push(`<text x="${labelW + 4}" y="${y + barH - 3}" font-size="9" fill="#9ca3af" ${FONT}>n/a</text>`)
        return
      }
      const color = PALETTE[i % PALETTE.length]
      out.push(`<rect x="${labelW}" y="${y + 1}" width="${num(xOf(v.median) - labelW)}" height="${barH - 2}" fill="${color}" fill-opacity="0.85"><title>${esc(`${cat} ${s.name}: ${label(v.median)} ${unit}`)}</title></rect>`)
      if (v.min != null && v.max != null && v.max > v.min) {
        const yc = y + barH / 2
        out.push(`<line x1="${num(xOf(v.min))}" y1="${yc}" x2="${num(xOf(v.max))}" y2="${yc}" stroke="black" stroke-width="1"/>`,
          `<line x1="${num(xOf(v.min))}" y1="${yc - 3}" x2="${num(xOf(v.min))}" y2="${yc + 3}" stroke="black"/>`,
          `<line x1="${num(xOf(v.max))}" y1="${yc - 3}" x2="${num(xOf(v.max))}" y2="${yc + 3}" stroke="black"/>`)
      }
      out.push(`<text x="${num(xOf(v.max ?? v.median) + 4)}" y="${y + barH - 3}" font-size="9" ${FONT}>${label(v.median)}</text>`)
    })
  })
  if (note) out.push(`<text x="10" y="${height - 6}" font-size="10" fill="#6b7280" ${FONT}>${esc(note)}</text>`)
  out.push('</svg>')
  return out.join('\n') + '\n'
}

/**
 * Lines over a logarithmic x axis (e.g. concurrent streams), one per series, with min-max whiskers.
 * @param {{ title: string, xLabel: string, yLabel: string, series: { name: string, points: { x: number, median: number, min?: number, max?: number }[] }[], note?: string }} chart
 */
export function lineChart ({ title, xLabel, yLabel, series, note }) {
  const width = 780
  const height = 400
  const left = 70
  const right = 40
  const top = 56
  const bottom = 60
  const plotW = width - left - right
  const plotH = height - top - bottom
  const xs = series.flatMap(s => s.points.map(p => p.x)).filter(x => x > 0)
  const xmin = Math.min(...xs)
  const xmax = Math.max(...xs)
  const lx = (x) => xmax === xmin ? left + plotW / 2 : left + (Math.log10(x) - Math.log10(xmin)) / (Math.log10(xmax) - Math.log10(xmin)) * plotW
  const ymaxRaw = Math.max(0, ...series.flatMap(s => s.points.map(p => Math.max(p.median, p.max ?? 0))))
  const { top: ymax, step } = niceScale(ymaxRaw)
  const ly = (y) => top + plotH - (y / ymax) * plotH
  const out = [`<svg xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" viewBox="0 0 ${width} ${height}">`,
    `<rect width="100%" height="100%" fill="white"/>`,
    `<text x="10" y="20" font-size="14" font-weight="bold" ${FONT}>${esc(title)}</text>`,
    legend(series, left, 42, plotW).svg]
  for (let v = 0; v <= ymax + step / 2; v += step) {
    const y = num(ly(v))
    out.push(`<line x1="${left}" y1="${y}" x2="${left + plotW}" y2="${y}" stroke="#e5e7eb"/>`,
      `<text x="${left - 6}" y="${y + 3}" font-size="10" text-anchor="end" ${FONT}>${label(v)}</text>`)
  }
  for (const x of [...new Set(xs)].sort((a, b) => a - b)) {
    out.push(`<line x1="${num(lx(x))}" y1="${top}" x2="${num(lx(x))}" y2="${top + plotH}" stroke="#f3f4f6"/>`,
      `<text x="${num(lx(x))}" y="${top + plotH + 14}" font-size="10" text-anchor="middle" ${FONT}>${label(x)}</text>`)
  }
  out.push(`<text x="${left + plotW / 2}" y="${top + plotH + 32}" font-size="11" text-anchor="middle" ${FONT}>${esc(xLabel)}</text>`,
    `<text x="14" y="${top + plotH / 2}" font-size="11" text-anchor="middle" transform="rotate(-90 14 ${top + plotH / 2})" ${FONT}>${esc(yLabel)}</text>`)
  series.forEach((s, i) => {
    const color = PALETTE[i % PALETTE.length]
    const pts = s.points.filter(p => p.x > 0 && Number.isFinite(p.median)).sort((a, b) => a.x - b.x)
    if (pts.length === 0) return
    out.push(`<polyline fill="none" stroke="${color}" stroke-width="2" points="${pts.map(p => `${num(lx(p.x))},${num(ly(p.median))}`).join(' ')}"/>`)
    for (const p of pts) {
      out.push(`<circle cx="${num(lx(p.x))}" cy="${num(ly(p.median))}" r="3" fill="${color}"><title>${esc(`${s.name} @ ${p.x}: ${label(p.median)}`)}</title></circle>`)
      if (p.min != null && p.max != null && p.max > p.min) {
        out.push(`<line x1="${num(lx(p.x))}" y1="${num(ly(p.min))}" x2="${num(lx(p.x))}" y2="${num(ly(p.max))}" stroke="${color}" stroke-width="1"/>`)
      }
    }
  })
  if (note) out.push(`<text x="10" y="${height - 6}" font-size="10" fill="#6b7280" ${FONT}>${esc(note)}</text>`)
  out.push('</svg>')
  return out.join('\n') + '\n'
}
