// One muxer per process: a single yamux stream moving 256 MiB over a loopback TCP socketPair (both ends in
// this process), for A/B runs of one build against another, alternated in fresh processes.
//
//   node [--import ./scripts/polyfill-with-resolvers.mjs] benchmarks/muxers/single.mjs <ours|official|path to a yamux dist/src/index.js> [runs]
//
// Prints one JSON line per run after the first (warm-up): MiB/s, CPU seconds per GiB (process.cpuUsage, both
// ends) and the reader's iterator steps. Environment HWM=<bytes> sets our connectionHighWaterMark.
import { yamux as officialYamux } from '@chainsafe/libp2p-yamux'
import { socketPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'

const which = process.argv[2] ?? 'ours'
const runs = Number(process.argv[3] ?? 4)
const BYTES = 256 * 1024 * 1024
const CHUNK = 64 * 1024

let factory
if (which === 'official') {
  factory = () => officialYamux()()
} else {
  const { yamux } = await import(which === 'ours' ? '../../packages/yamux/dist/src/index.js' : which)
  const init = process.env.HWM != null ? { connectionHighWaterMark: Number(process.env.HWM) } : {}
  factory = () => yamux(init)({ logger: defaultLogger() })
}

for (let run = 0; run < runs; run++) {
  const pair = await socketPair()
  const dialer = factory().createStreamMuxer(pair.outbound)
  const listener = factory().createStreamMuxer(pair.inbound)
  let reads = 0
  const received = new Promise((resolve, reject) => {
    listener.addEventListener('stream', (evt) => {
      void (async () => {
        let n = 0
        for await (const chunk of evt.detail) {
          n += chunk.byteLength
          reads++
        }
        resolve(n)
      })().catch(reject)
    })
  })
  const cpu = process.cpuUsage()
  const start = performance.now()
  const stream = await dialer.createStream()
  const chunk = new Uint8Array(CHUNK).fill(7)
  for (let sent = 0; sent < BYTES; sent += CHUNK) {
    if (!stream.send(chunk)) await stream.onDrain()
  }
  await stream.close()
  const n = await received
  const seconds = (performance.now() - start) / 1000
  const used = process.cpuUsage(cpu)
  if (n !== BYTES) throw new Error(`received ${n} of ${BYTES} bytes`)
  if (run > 0) {
    console.log(JSON.stringify({ muxer: which, mibPerSecond: Math.round(BYTES / 1048576 / seconds), cpuSecondsPerGiB: +((used.user + used.system) / 1e6 * (1 << 30) / BYTES).toFixed(3), reads }))
  }
  await dialer.close({ signal: AbortSignal.timeout(2000) }).catch(() => {})
  await listener.close({ signal: AbortSignal.timeout(2000) }).catch(() => {})
  await pair.stop()
}
process.exit(0)
