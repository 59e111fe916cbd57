// A stable entry point for other scripts (benchmarks/) that drive the interop peers one pair
// at a time, outside the matrix: build what is needed, then run one cell (e.g. a perf
// measurement between two implementations) and get its record. See interop/README.md,
// "Driving a pair from another script".
import { prepare } from './build.mjs'
import { runCell } from './cell.mjs'
import { IMPLS } from './impls.mjs'
import { DIMENSIONS } from './options.mjs'

/** The implementation names: ts, js, go, rust, python. */
export const IMPL_NAMES = IMPLS.map(i => i.name)

/**
 * Builds the named implementations where their build is out of date (cached as for the matrix).
 * @param {string[]} names
 * @param {{ build?: boolean, say?: (line: string) => void }} [options]
 * @returns {Promise<Record<string, { state: 'ready' | 'absent' | 'broken', reason: string, buildMillis?: number }>>}
 */
export async function preparePeers (names, { build = true, say = () => {} } = {}) {
  const unknown = names.filter(n => !IMPL_NAMES.includes(n))
  if (unknown.length > 0) throw new Error(`unknown implementation ${unknown.join(', ')} (one of ${IMPL_NAMES.join(', ')})`)
  return prepare(IMPLS.filter(i => names.includes(i.name)), { build, say })
}

/**
 * Runs one cell: a listener of `listener`, a dialer of `dialer`, both built beforehand
 * (preparePeers). Resolves to the cell record: `result` ('pass' | 'fail' | 'unsupported'),
 * `reason`, `error`, `durationMillis` and `metrics` (the dialer's JSON line).
 * @param {{ dialer: string, listener: string, scenario?: string, transport?: string, security?: string, muxer?: string,
 *   timeoutSeconds?: number, env?: Record<string, string> }} cell
 */
export function runPair ({ dialer, listener, scenario = 'ping', transport = 'tcp', security = 'noise', muxer = 'yamux', timeoutSeconds = 60, env = {} }) {
  for (const [dim, value] of Object.entries({ scenario, transport, security, muxer })) {
    if (!DIMENSIONS[dim].includes(value)) throw new Error(`unknown ${dim} ${value}`)
  }
  const impl = (name) => {
    const found = IMPLS.find(i => i.name === name)
    if (found == null) throw new Error(`unknown implementation ${name}`)
    return found
  }
  return runCell({ dialer, listener, transport, security, muxer, scenario }, {
    dialerImpl: impl(dialer),
    listenerImpl: impl(listener),
    timeoutSeconds,
    env
  })
}

/**
 * One perf measurement (/perf/1.0.0) from a `dialer` peer to a `listener` peer: the dialer
 * uploads uploadBytes, then downloads downloadBytes. The record's `metrics` is the dialer's
 * line: { type: 'final', connectMillis, uploadBytes, downloadBytes, uploadSeconds,
 * downloadSeconds, timeSeconds, uploadBytesPerSecond, downloadBytesPerSecond }.
 * @param {{ dialer: string, listener: string, uploadBytes: number, downloadBytes: number, transport?: string,
 *   security?: string, muxer?: string, timeoutSeconds?: number }} options
 */
export function runPerfPair ({ uploadBytes, downloadBytes, ...rest }) {
  for (const [name, n] of Object.entries({ uploadBytes, downloadBytes })) {
    if (!Number.isSafeInteger(n) || n < 0) throw new Error(`${name} must be a byte count, got ${n}`)
  }
  return runPair({
    ...rest,
    scenario: 'perf',
    env: { perf_upload_bytes: String(uploadBytes), perf_download_bytes: String(downloadBytes) }
  })
}
