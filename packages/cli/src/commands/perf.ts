import { CLIENT_FLAGS, CLIENT_FLAGS_HELP, startClient } from '../client.js'
import { deadline, intFlag } from '../command.js'
import { DEFAULT_COMMAND_TIMEOUT, DEFAULT_PERF_BYTES, MAX_PERF_BYTES, PROGRESS_INTERVAL } from '../constants.js'
import { UsageError } from '../errors.js'
import { formatBitRate, formatBytes, parseBytes } from '../output.js'
import { parseTarget } from '../target.js'
import type { Command } from '../command.js'
import type { PerfPhase } from '@ts-libp2p/perf'

function sizeFlag (values: Record<string, any>, name: string): number {
  const raw = values[name]
  if (raw == null) return DEFAULT_PERF_BYTES
  const n = parseBytes(String(raw))
  if (Number.isNaN(n) || n < 0 || n > MAX_PERF_BYTES) throw new UsageError(`--${name} must be a size from 0 to 4GiB (e.g. 512KiB, 10MiB), not "${raw}"`)
  return n
}

/** `ts-libp2p perf <multiaddr>`: upload and download throughput to a peer over /perf/1.0.0. */
export const perfCommand: Command = {
  name: 'perf',
  summary: 'Measure upload and download throughput to a peer with the perf protocol (/perf/1.0.0)',
  usage: ['perf [options] <multiaddr>'],
  description: 'The peer must serve perf (`ts-libp2p node --services identify,ping,perf`). Progress is shown while the\n' +
    'transfer runs (a redrawn line on a terminal, a line per 250 ms otherwise), then the throughput each way.',
  options: { ...CLIENT_FLAGS, 'upload-bytes': { type: 'string', short: 'u' }, 'download-bytes': { type: 'string', short: 'd' } },
  optionsHelp: [
    '-u, --upload-bytes N     bytes to send (default 10MiB; suffixes KiB, MiB, GiB)',
    '-d, --download-bytes N   bytes to ask back (default 10MiB)',
    ...CLIENT_FLAGS_HELP
  ],
  async run ({ output, values, positionals, signal }) {
    if (positionals.length !== 1) throw new UsageError('perf: give exactly one multiaddr')
    const target = parseTarget(positionals[0])
    const uploadBytes = sizeFlag(values, 'upload-bytes')
    const downloadBytes = sizeFlag(values, 'download-bytes')
    const timeout = intFlag(values, 'timeout', DEFAULT_COMMAND_TIMEOUT, 1, 2 ** 31 - 1)
    const node = await startClient(values, ['identify', 'perf'])
    let last = 0
    let drawn = false
    const onProgress = (phase: PerfPhase, bytes: number): void => {
      const now = performance.now()
      const total = phase === 'upload' ? uploadBytes : downloadBytes
      if (now - last < PROGRESS_INTERVAL && bytes < total) return
      last = now
      const percent = total > 0 ? Math.floor(bytes * 100 / total) : 100
      if (output.json) {
        output.result(undefined, { event: 'progress', phase, bytes, total })
      } else if (output.isTTY) {
        output.io.stdout.write(`\r\x1b[K${phase} ${formatBytes(bytes)} / ${formatBytes(total)} (${percent}%)`)
        drawn = true
      } else {
        output.say(`${phase} ${formatBytes(bytes)} / ${formatBytes(total)} (${percent}%)`)
      }
    }
    const { signal: done, clear } = deadline(signal, timeout)
    try {
      const result = await node.services.perf!.measure(target as any, { uploadBytes, downloadBytes, onProgress, signal: done })
      if (drawn) { output.io.stdout.write('\r\x1b[K'); drawn = false }
      output.result([
        `upload   ${formatBytes(result.uploadBytes)} in ${result.uploadMs.toFixed(1)} ms: ${formatBitRate(result.uploadBytesPerSecond)}`,
        `download ${formatBytes(result.downloadBytes)} in ${result.downloadMs.toFixed(1)} ms: ${formatBitRate(result.downloadBytesPerSecond)}`,
        `total    ${result.totalMs.toFixed(1)} ms`
      ].join('\n'), { event: 'result', ...result })
    } finally {
      clear()
      if (drawn) output.io.stdout.write('\n')
      await node.stop()
    }
  }
}
