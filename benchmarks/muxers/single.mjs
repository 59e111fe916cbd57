// One muxer per process: a single yamux stream moving 256 MiB over a loopback TCP socketPair (both ends in
// this process), for A/B runs of one build against another, alternated in fresh processes.
//
//   node [--import ./scripts/polyfill-with-resolvers.mjs] benchmarks/muxers/single.mjs <ours|official|raw|path to a yamux dist/src/index.js> [runs] [--memory]
//
// Prints one JSON line per run after the first (warm-up): MiB/s, CPU seconds per GiB (process.cpuUsage, both
// ends) and the reader's iterator steps. Environment HWM=<bytes> sets our connectionHighWaterMark, MAX_FRAME=<bytes> our maxFramePayload,
// MIB=<n> the bytes moved per run (default 256). `raw` moves
// the same bytes over the connection pair itself, no muxer (the ceiling). `--memory` uses an in-memory
// multiaddrConnectionPair (4 MiB in flight, as bench.mjs) instead of the socket.
import { yamux as officialYamux } from '@chainsafe/libp2p-yamux'
import { multiaddrConnectionPair, socketPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'

const args = process.argv.slice(2).filter(arg => !arg.startsWith('--'))
const memory = process.argv.includes('--memory')
const which = args[0] ?? 'ours'
const runs = Number(args[1] ?? 4)
const BYTES = Number(process.env.MIB ?? 256) * 1024 * 1024
const CHUNK = 64 * 1024

async function connectionPair () {
  if (!memory) return await socketPair()
  const [outbound, inbound] = multiaddrConnectionPair({ maxInFlightBytes: 4 * 1024 * 1024 })
  return {
    outbound,
    inbound,
    async stop () {
      outbound.abort(new Error('done'))
      inbound.abort(new Error('done'))
    }
  }
}

/** No muxer: the connection pair's own ends, with the same reader and writer. */
function rawMuxer (conn) {
  return {
    createStream: async () => conn,
    addEventListener: (type, fn) => { queueMicrotask(() => { fn({ detail: conn }) }) },
    close: async () => {}
  }
}

let factory
if (which === 'raw') {
  factory = () => ({ createStreamMuxer: rawMuxer })
} else if (which === 'official') {
  factory = () => officialYamux()()
} else {
  const { yamux } = await import(which === 'ours' ? '../../packages/yamux/dist/src/index.js' : which)
  const init = {}
  if (process.env.HWM != null) init.connectionHighWaterMark = Number(process.env.HWM)
  if (process.env.MAX_FRAME != null) init.maxFramePayload = Number(process.env.MAX_FRAME)
  factory = () => yamux(init)({ logger: defaultLogger() })
}

for (let run = 0; run < runs; run++) {
  const pair = await connectionPair()
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
  if (which === 'raw') {
    // the connection's close() waits for the remote's close too: the reader's end is the finish line
    stream.close().catch(() => {})
  } else {
    await stream.close()
  }
  const n = await received
  const seconds = (performance.now() - start) / 1000
  const used = process.cpuUsage(cpu)
  if (n !== BYTES) throw new Error(`received ${n} of ${BYTES} bytes`)
  if (run > 0) {
    console.log(JSON.stringify({ muxer: which, transport: memory ? 'memory' : 'tcp', mibPerSecond: Math.round(BYTES / 1048576 / seconds), cpuSecondsPerGiB: +((used.user + used.system) / 1e6 * (1 << 30) / BYTES).toFixed(3), reads }))
  }
  await dialer.close({ signal: AbortSignal.timeout(2000) }).catch(() => {})
  await listener.close({ signal: AbortSignal.timeout(2000) }).catch(() => {})
  await pair.stop()
}
process.exit(0)
