#!/usr/bin/env node
// Two-process measurements between a ts-libp2p node (ours) and/or an official js-libp2p 3 node, any mix, over
// tcp|ws + noise|tls + yamux|mplex on 127.0.0.1. The runner (benchmarks/run.mjs) starts a listener and then a
// dialer, each in its own process group; nothing here measures two nodes in one process.
//
//   node --expose-gc node-pair.mjs listener <ts|js> <transport> <security> <muxer>
//       prints `listenAddr=<multiaddr>` and `control=<port>`, serves until killed
//   node --expose-gc node-pair.mjs dialer <ts|js> <transport> <security> <muxer> <listenAddr> <controlPort> '<plan json>'
//       runs the plan, prints one JSON line
//
// The listener serves, with the same handler code for both implementations:
//   /perf/1.0.0        the perf protocol's wire format (libp2p/specs perf/perf.md): an 8-byte big-endian
//                      download size, the upload until the client closes its write side, then the download
//   /bench/echo/1.0.0  echoes every chunk, closes after the remote does
//   /bench/hold/1.0.0  holds the stream open (idle) until the remote closes it
// and a plain TCP control port (one JSON request per line) that reports its CPU time and memory, so the dialer
// can charge both sides' CPU to a measurement. Plans (`mode`):
//   transfer  { direction: 'upload'|'download', mib, runs, counts: [streams...] }  one connection, `count` concurrent
//             perf streams sharing `mib` MiB, timed from the first stream open to the last stream's end
//   conns     { iterations, warmup, protocol? }  sequential: dial (new connection) + echo stream + 1 byte + close
//             (protocol 'ping': a /ipfs/ping/1.0.0 stream + 32 bytes, against any interop peer; controlPort 0)
//   ping      { count, warmup, size }  round trips of `size` bytes on one echo stream of a warm connection
//   memory    { connections }  idle connections, then one idle stream on each; RSS and heap per item, both sides
import net from 'node:net'

const [role, impl, transportName, securityName, muxerName, ...rest] = process.argv.slice(2)

const PERF = '/perf/1.0.0'
const ECHO = '/bench/echo/1.0.0'
const HOLD = '/bench/hold/1.0.0'
const CHUNK = 64 * 1024
const MANY = 1 << 16
const TIMEOUT = 120_000

async function createNode (listen) {
  const limits = {
    maxConnections: 100_000,
    inboundConnectionThreshold: 100_000,
    maxIncomingPendingConnections: 10_000
  }
  const muxerInit = { maxInboundStreams: MANY, maxOutboundStreams: MANY }
  if (impl === 'ts') {
    const { createLibp2p } = await import('@ts-libp2p/libp2p')
    const transport = transportName === 'ws'
      ? (await import('@ts-libp2p/websockets')).webSockets()
      : (await import('@ts-libp2p/tcp')).tcp()
    const security = securityName === 'tls' ? (await import('@ts-libp2p/tls')).tls() : (await import('@ts-libp2p/noise')).noise()
    const muxer = muxerName === 'mplex' ? (await import('@ts-libp2p/mplex')).mplex(muxerInit) : (await import('@ts-libp2p/yamux')).yamux(muxerInit)
    // our resource manager (when the built node has one) limits connections per peer; js-libp2p has no
    // equivalent, and every connection here goes to one peer
    const none = { connsInbound: Infinity, connsOutbound: Infinity, conns: Infinity, streamsInbound: Infinity, streamsOutbound: Infinity, streams: Infinity, memory: Infinity }
    const resourceManager = { limits: { system: none, transient: none, peer: none, protocol: none, service: none } }
    // the ping service: rust-libp2p pings every new connection and, when the remote refuses /ipfs/ping/1.0.0, stops
    // answering that connection's inbound pings too (libp2p-ping 0.48 handler: State::Inactive returns Pending
    // before serving inbound streams), so a dialer without it stalls in the `conns` loop against the rust listener
    const { ping } = await import('@ts-libp2p/ping')
    return await createLibp2p({ addresses: { listen }, transports: [transport], connectionEncrypters: [security], streamMuxers: [muxer], connectionManager: limits, resourceManager, services: { ping: ping() } })
  }
  if (impl === 'js') {
    const { createLibp2p } = await import('libp2p')
    const transport = transportName === 'ws'
      ? (await import('@libp2p/websockets')).webSockets()
      : (await import('@libp2p/tcp')).tcp()
    const security = securityName === 'tls' ? (await import('@libp2p/tls')).tls() : (await import('@chainsafe/libp2p-noise')).noise()
    const muxer = muxerName === 'mplex'
      ? (await import('@libp2p/mplex')).mplex({ ...muxerInit, disconnectThreshold: Infinity, maxUnprocessedMessageQueueSize: 1 << 30 })
      : (await import('@chainsafe/libp2p-yamux')).yamux(muxerInit)
    // the ping service, as for ts (see above)
    const { ping } = await import('@libp2p/ping')
    return await createLibp2p({ addresses: { listen }, transports: [transport], connectionEncrypters: [security], streamMuxers: [muxer], connectionManager: limits, services: { ping: ping() } })
  }
  throw new Error(`unknown implementation ${impl}`)
}

const handleOpts = { maxInboundStreams: MANY, maxOutboundStreams: MANY }
const streamOpts = () => ({ maxOutboundStreams: MANY, signal: AbortSignal.timeout(TIMEOUT) })
const zeros = new Uint8Array(CHUNK)

/** Sends `bytes` zero bytes in writes of at most 64 KiB, waiting for drain when the stream says so. */
async function sendBytes (stream, bytes) {
  for (let left = bytes; left > 0; left -= CHUNK) {
    const n = Math.min(left, CHUNK)
    if (!stream.send(n === CHUNK ? zeros : zeros.subarray(0, n))) await stream.onDrain({ signal: AbortSignal.timeout(TIMEOUT) })
  }
}

function stats () {
  globalThis.gc?.()
  globalThis.gc?.()
  const cpu = process.cpuUsage()
  const mem = process.memoryUsage()
  return { cpuMicros: cpu.user + cpu.system, rss: mem.rss, heapUsed: mem.heapUsed, external: mem.external, arrayBuffers: mem.arrayBuffers }
}

// ----- listener -----

async function perfServe (stream) {
  const header = []
  let have = 0
  let requested = -1
  for await (const chunk of stream) {
    if (requested < 0) {
      header.push(chunk.subarray())
      have += chunk.byteLength
      if (have >= 8) {
        const all = new Uint8Array(have)
        let o = 0
        for (const h of header) { all.set(h, o); o += h.byteLength }
        requested = Number(new DataView(all.buffer).getBigUint64(0, false))
      }
    }
  }
  if (requested < 0) throw new Error('no perf header')
  await sendBytes(stream, requested)
  await stream.close()
}

async function echo (stream) {
  for await (const chunk of stream) {
    if (!stream.send(chunk)) await stream.onDrain({ signal: AbortSignal.timeout(TIMEOUT) })
  }
  await stream.close()
}

async function hold (stream) {
  for await (const _ of stream) {} // eslint-disable-line no-unused-vars
  await stream.close()
}

async function listener () {
  const listen = transportName === 'ws' ? '/ip4/127.0.0.1/tcp/0/ws' : '/ip4/127.0.0.1/tcp/0'
  const node = await createNode([listen])
  const serve = (fn) => (stream) => { fn(stream).catch((err) => stream.abort(err)) }
  // official handlers are (stream, connection) in v3; ours too
  await node.handle(PERF, serve(perfServe), handleOpts)
  await node.handle(ECHO, serve(echo), handleOpts)
  await node.handle(HOLD, serve(hold), handleOpts)
  const control = net.createServer((socket) => {
    let buf = ''
    socket.setEncoding('utf8')
    socket.on('data', (d) => {
      buf += d
      let i
      while ((i = buf.indexOf('\n')) >= 0) {
        buf = buf.slice(i + 1)
        socket.write(JSON.stringify({ ...stats(), connections: node.getConnections().length }) + '\n')
      }
    })
    socket.on('error', () => {})
  })
  await new Promise((resolve) => control.listen(0, '127.0.0.1', resolve))
  process.stdout.write(`listenAddr=${node.getMultiaddrs()[0]}\ncontrol=${control.address().port}\n`)
}

// ----- dialer -----

/** Asks the listener for its CPU time and memory (after GC). */
function remoteStatsClient (port) {
  // port 0: a listener without a control port (an interop peer); the runner measures its CPU itself
  if (port === 0) return { get: async () => ({ cpuMicros: NaN }), close: () => {} }
  const socket = net.connect(port, '127.0.0.1')
  socket.setEncoding('utf8')
  let buf = ''
  const waiting = []
  socket.on('data', (d) => {
    buf += d
    let i
    while ((i = buf.indexOf('\n')) >= 0) {
      const line = buf.slice(0, i)
      buf = buf.slice(i + 1)
      waiting.shift()?.(JSON.parse(line))
    }
  })
  return {
    get: () => new Promise((resolve) => { waiting.push(resolve); socket.write('stats\n') }),
    close: () => socket.destroy()
  }
}

/** One perf exchange on a new stream of `connection`; resolves with the bytes downloaded. */
async function perfOnce (connection, upload, download) {
  const stream = await connection.newStream(PERF, streamOpts())
  const header = new Uint8Array(8)
  new DataView(header.buffer).setBigUint64(0, BigInt(download), false)
  if (!stream.send(header)) await stream.onDrain({ signal: AbortSignal.timeout(TIMEOUT) })
  await sendBytes(stream, upload)
  await stream.close()
  let got = 0
  for await (const chunk of stream) got += chunk.byteLength
  if (got !== download) throw new Error(`downloaded ${got} of ${download} bytes`)
}

async function transfer (node, target, remote, plan) {
  const connection = await node.dial(target, { signal: AbortSignal.timeout(TIMEOUT) })
  await perfOnce(connection, CHUNK, CHUNK) // warm-up: stream machinery, ciphers
  const out = {}
  for (const count of plan.counts) out[count] = []
  for (let r = 0; r < plan.runs; r++) {
    for (const count of plan.counts) {
      const total = plan.mib * 1024 * 1024
      const per = Math.floor(total / count)
      const [up, down] = plan.direction === 'download' ? [0, per] : [per, 0]
      const before = await remote.get()
      const cpu = process.cpuUsage()
      const start = performance.now()
      await Promise.all(Array.from({ length: count }, () => perfOnce(connection, up, down)))
      const secs = (performance.now() - start) / 1000
      const used = process.cpuUsage(cpu)
      const after = await remote.get()
      const mib = per * count / 1024 / 1024
      const dialerCpu = (used.user + used.system) / 1e6
      const listenerCpu = (after.cpuMicros - before.cpuMicros) / 1e6
      out[count].push({ mibPerSecond: mib / secs, cpuMsPerMiB: (dialerCpu + listenerCpu) * 1000 / mib, dialerCpuMsPerMiB: dialerCpu * 1000 / mib, listenerCpuMsPerMiB: listenerCpu * 1000 / mib })
    }
  }
  await connection.close()
  return out
}

async function connsLoop (node, target, remote, plan) {
  // `protocol: 'ping'`: 32 bytes over /ipfs/ping/1.0.0, which every interop peer serves; else 1 byte of echo
  const [protocol, size] = plan.protocol === 'ping' ? ['/ipfs/ping/1.0.0', 32] : [ECHO, 1]
  const payload = new Uint8Array(size).fill(42)
  const one = async () => {
    const start = performance.now()
    const connection = await node.dial(target, { force: true, signal: AbortSignal.timeout(TIMEOUT) })
    const stream = await connection.newStream(protocol, streamOpts())
    stream.send(payload)
    let got = 0
    for await (const chunk of stream) {
      got += chunk.byteLength
      if (got >= size) break
    }
    const ttfb = performance.now() - start
    await connection.close()
    return ttfb
  }
  for (let i = 0; i < plan.warmup; i++) await one()
  const before = await remote.get()
  const cpu = process.cpuUsage()
  const ttfb = []
  const start = performance.now()
  for (let i = 0; i < plan.iterations; i++) ttfb.push(await one())
  const secs = (performance.now() - start) / 1000
  const used = process.cpuUsage(cpu)
  const after = await remote.get()
  return {
    connectionsPerSecond: plan.iterations / secs,
    ttfbMs: ttfb,
    dialerCpuMsPerConnection: (used.user + used.system) / 1000 / plan.iterations,
    listenerCpuMsPerConnection: (after.cpuMicros - before.cpuMicros) / 1000 / plan.iterations
  }
}

async function pingLoop (node, target, plan) {
  const connection = await node.dial(target, { signal: AbortSignal.timeout(TIMEOUT) })
  const stream = await connection.newStream(ECHO, streamOpts())
  const payload = new Uint8Array(plan.size).fill(1)
  const iterator = stream[Symbol.asyncIterator]()
  const rtts = []
  for (let i = 0; i < plan.warmup + plan.count; i++) {
    const start = performance.now()
    stream.send(payload)
    let got = 0
    while (got < plan.size) {
      const { value, done } = await iterator.next()
      if (done) throw new Error('echo stream ended')
      got += value.byteLength
    }
    if (i >= plan.warmup) rtts.push(performance.now() - start)
  }
  await stream.close()
  await connection.close()
  return { rttMs: rtts }
}

async function memory (node, target, remote, plan) {
  const d0 = stats()
  const l0 = await remote.get()
  const connections = []
  for (let i = 0; i < plan.connections; i++) connections.push(await node.dial(target, { force: true, signal: AbortSignal.timeout(TIMEOUT) }))
  if (new Set(connections.map(c => c.id)).size !== plan.connections) throw new Error('connections are not distinct')
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const d1 = stats()
  const l1 = await remote.get()
  if (l1.connections < plan.connections) throw new Error(`the listener has ${l1.connections} connections, not ${plan.connections}`)
  const streams = []
  for (let i = 0; i < connections.length; i += 50) {
    streams.push(...await Promise.all(connections.slice(i, i + 50).map(async (c) => {
      const s = await c.newStream(HOLD, streamOpts())
      s.send(Uint8Array.of(1)) // the stream exists on the listener once data or the SYN arrives
      return s
    })))
  }
  await new Promise((resolve) => setTimeout(resolve, 1000))
  const d2 = stats()
  const l2 = await remote.get()
  const per = (a, b, key, n) => (b[key] - a[key]) / n / 1024
  const out = {
    connections: plan.connections,
    dialer: {
      rssKiBPerConnection: per(d0, d1, 'rss', plan.connections),
      heapKiBPerConnection: per(d0, d1, 'heapUsed', plan.connections),
      rssKiBPerStream: per(d1, d2, 'rss', plan.connections),
      heapKiBPerStream: per(d1, d2, 'heapUsed', plan.connections),
      rssMiBIdleNode: d0.rss / 1024 / 1024
    },
    listener: {
      rssKiBPerConnection: per(l0, l1, 'rss', plan.connections),
      heapKiBPerConnection: per(l0, l1, 'heapUsed', plan.connections),
      rssKiBPerStream: per(l1, l2, 'rss', plan.connections),
      heapKiBPerStream: per(l1, l2, 'heapUsed', plan.connections),
      rssMiBIdleNode: l0.rss / 1024 / 1024
    }
  }
  await Promise.all(connections.map(c => c.close().catch(() => {})))
  return out
}

async function dialer () {
  const [listenAddr, controlPort, planJson] = rest
  const plan = JSON.parse(planJson)
  const { multiaddr } = await import('@multiformats/multiaddr')
  const node = await createNode([])
  const target = multiaddr(listenAddr)
  const remote = remoteStatsClient(Number(controlPort))
  try {
    let result
    if (plan.mode === 'transfer') result = await transfer(node, target, remote, plan)
    else if (plan.mode === 'conns') result = await connsLoop(node, target, remote, plan)
    else if (plan.mode === 'ping') result = await pingLoop(node, target, plan)
    else if (plan.mode === 'memory') result = await memory(node, target, remote, plan)
    else throw new Error(`unknown mode ${plan.mode}`)
    process.stdout.write(JSON.stringify({ mode: plan.mode, result }) + '\n')
  } finally {
    remote.close()
    await node.stop()
  }
}

if (role === 'listener') {
  listener().catch((err) => { process.stderr.write(`listener: ${err.stack}\n`); process.exit(1) })
} else if (role === 'dialer') {
  dialer().then(() => process.exit(0), (err) => { process.stderr.write(`dialer: ${err.stack}\n`); process.exit(1) })
} else {
  process.stderr.write('usage: node-pair.mjs listener|dialer <ts|js> <tcp|ws> <noise|tls> <yamux|mplex> [listenAddr controlPort plan]\n')
  process.exit(2)
}
