// Where a single yamux stream's sender waits (ours): 256 MiB over a loopback TCP socketPair, 3 runs. Counts the
// connection writes, the window updates the sender receives (and the largest), the times the writer found the
// send window empty and how long until the next update, and its waits for drain in all.
//
//   node benchmarks/muxers/sender-waits.mjs [path to a yamux dist/src/index.js]
import { socketPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
const { yamux } = await import(process.argv[2] ?? '../../packages/yamux/dist/src/index.js')
const BYTES = 256 * 1024 * 1024, CHUNK = 64 * 1024
for (let run = 0; run < 3; run++) {
  const pair = await socketPair()
  let writes = 0, falses = 0
  const origSend = pair.outbound.send.bind(pair.outbound)
  pair.outbound.send = (d) => { writes++; const r = origSend(d); if (!r) falses++; return r }
  const dialer = yamux()({ logger: defaultLogger() }).createStreamMuxer(pair.outbound)
  const listener = yamux()({ logger: defaultLogger() }).createStreamMuxer(pair.inbound)
  const received = new Promise((resolve) => {
    listener.addEventListener('stream', (evt) => {
      void (async () => { let n = 0; for await (const c of evt.detail) { n += c.byteLength } resolve(n) })()
    })
  })
  const stream = await dialer.createStream()
  const proto = Object.getPrototypeOf(stream)
  let updates = 0, windowStallMs = 0, windowStalls = 0, stallStart = 0, drainWaitMs = 0, drainWaits = 0, maxUpdate = 0
  const origWU = proto.onWindowUpdate
  proto.onWindowUpdate = function (d) { if (this === stream) { updates++; maxUpdate = Math.max(maxUpdate, d); if (this.sendWindow === 0 && stallStart) { windowStallMs += performance.now() - stallStart; stallStart = 0 } } return origWU.call(this, d) }
  const chunk = new Uint8Array(CHUNK).fill(7)
  const t0 = performance.now()
  for (let sent = 0; sent < BYTES; sent += CHUNK) {
    if (!stream.send(chunk)) {
      if (stream.sendWindow === 0) { windowStalls++; stallStart = performance.now() }
      drainWaits++; const t = performance.now(); await stream.onDrain(); drainWaitMs += performance.now() - t
    }
  }
  await stream.close(); await received
  const total = performance.now() - t0
  console.log(JSON.stringify({ ms: Math.round(total), writes, falses, updates, maxUpdate, windowStalls, windowStallMs: Math.round(windowStallMs), drainWaits, drainWaitMs: Math.round(drainWaitMs), rtt: dialer.rtt }))
  await pair.stop()
}
process.exit(0)
