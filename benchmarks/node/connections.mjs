#!/usr/bin/env node
// Connection setup rate and idle connection memory: ours vs the official js-libp2p, same run, same machine.
//
//   node --expose-gc --import ./scripts/polyfill-with-resolvers.mjs benchmarks/node/connections.mjs [iterations] [rounds] [idle] [--snapshot DIR] [--only ts|js] [--warmup N]
//
// For each implementation (ts = @ts-libp2p/*, js = the official libp2p 3 with @libp2p/tcp,
// @chainsafe/libp2p-noise and @chainsafe/libp2p-yamux) a listener runs in a child process and a dialer in this
// one, both of the same implementation, over tcp + noise + yamux on 127.0.0.1. Neither node has services (no
// identify, no ping): js-libp2p 3 runs none unless configured, and ours neither, so both do the same work per
// connection. Rounds alternate ts and js; medians are reported, with the ratio ts/js.
//
// - connections/s: one iteration = a new connection (dial + noise + yamux), one stream negotiating
//   /bench/echo/1.0.0, a 1-byte echo, and closing the connection; iterations run one after the other.
//   Also the CPU time of both processes per connection (the listener reports its own).
// - memory per idle connection: a fresh dialer node and a fresh listener process (nothing left from the loop),
//   warm-up connections opened and closed (--warmup, default 1000), then `idle` connections opened and left idle. Both sides are
//   sampled after repeated GC until the heap is stable, before and after; the connections are counted on both
//   sides at the second sample (they must all be open). Every dial's timeout is cleared once the dial is done
//   (an `AbortSignal.timeout` keeps everything that listens to it alive until it fires, which made earlier
//   figures depend on how long ago the previous connections were dialled). With --snapshot DIR the dialer also
//   and the listener write heap snapshots before and after (see heap-diff.mjs).
//
// The polyfill is only for the official code (Promise.withResolvers, Node >= 22).
import { spawn } from 'node:child_process'
import { createInterface } from 'node:readline'
import { fileURLToPath } from 'node:url'
import v8 from 'node:v8'

const args = process.argv.slice(2)
const snapshotIndex = args.indexOf('--snapshot')
const snapshotDir = snapshotIndex >= 0 ? args.splice(snapshotIndex, 2)[1] : undefined
const onlyIndex = args.indexOf('--only')
const only = onlyIndex >= 0 ? args.splice(onlyIndex, 2)[1] : undefined
const warmupIndex = args.indexOf('--warmup')
// connections opened and closed on fresh nodes before the memory phase's first sample: the first thousand or so
// handshakes of a process grow its native memory (allocator and crypto library state) and compile code, once per
// process; with 10 warm-up connections that growth was counted as memory per idle connection (see README)
const warmup = warmupIndex >= 0 ? Number(args.splice(warmupIndex, 2)[1]) : 1000
const [role, impl] = args
const PROTOCOL = '/bench/echo/1.0.0'
const TIMEOUT = 10_000

async function createNode (which, listen) {
  const limits = { inboundConnectionThreshold: 100_000, maxIncomingPendingConnections: 10_000, maxConnections: 100_000 }
  if (which === 'ts') {
    const { createLibp2p } = await import('@ts-libp2p/libp2p')
    const { tcp } = await import('@ts-libp2p/tcp')
    const { noise } = await import('@ts-libp2p/noise')
    const { yamux } = await import('@ts-libp2p/yamux')
    // the resource manager's default of 8 connections per peer would stop the idle-connection count
    const unlimited = { connsInbound: 1_000_000, connsOutbound: 1_000_000, conns: 1_000_000 }
    return await createLibp2p({ addresses: { listen }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()], connectionManager: limits, resourceManager: { limits: { system: unlimited, transient: unlimited, peer: unlimited } } })
  }
  const { createLibp2p } = await import('libp2p')
  const { tcp } = await import('@libp2p/tcp')
  const { noise } = await import('@chainsafe/libp2p-noise')
  const { yamux } = await import('@chainsafe/libp2p-yamux')
  // js-libp2p's connection monitor pings every connection every 10 s; our node has no such component, so it is
  // off here (BENCH_JS_MONITOR=on keeps the default)
  const connectionMonitor = { enabled: process.env.BENCH_JS_MONITOR === 'on' }
  return await createLibp2p({ addresses: { listen }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()], connectionManager: limits, connectionMonitor })
}

/** Runs `fn` with a signal that times out after `ms`, and clears the timer afterwards (nothing stays referenced). */
async function withTimeout (ms, fn) {
  const controller = new AbortController()
  const timer = setTimeout(() => { controller.abort(new Error('timed out')) }, ms)
  try {
    return await fn(controller.signal)
  } finally {
    clearTimeout(timer)
  }
}

const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

let youngGenerationWarm = false

/**
 * V8 grows the young generation (to 2 x 16 MiB semispaces) when allocation is fast, and the process's RSS grows as
 * those pages are first touched: once per process, at a moment that differs between implementations and between
 * the dialer (which ran the rate loop before) and a fresh listener. Allocating 256 MiB of short-lived garbage once
 * before the first sample grows and touches it all, so RSS deltas afterwards are old space and native memory.
 */
function warmYoungGeneration () {
  if (youngGenerationWarm) return
  youngGenerationWarm = true
  let sink = 0
  for (let i = 0; i < 256 * 1024; i++) sink += new Array(128).fill(i).length
  if (sink === 0) throw new Error('unreachable')
}

/** GC until heapUsed moves by less than 16 KiB between two collections 100 ms apart, then samples memory. */
async function settledMemory () {
  warmYoungGeneration()
  let last = Infinity
  for (let i = 0; i < 20; i++) {
    globalThis.gc(); globalThis.gc()
    const heap = process.memoryUsage().heapUsed
    if (Math.abs(heap - last) < 16 * 1024) break
    last = heap
    await sleep(100)
  }
  const m = process.memoryUsage()
  const cpu = process.cpuUsage()
  const newSpace = v8.getHeapSpaceStatistics().find(s => s.space_name === 'new_space')?.space_size ?? 0
  return { heapUsed: m.heapUsed, heapTotal: m.heapTotal, newSpace, rss: m.rss, external: m.external, arrayBuffers: m.arrayBuffers, cpuMicros: cpu.user + cpu.system }
}

async function echoOnce (stream) {
  for await (const chunk of stream) {
    stream.send(chunk)
    break
  }
  await stream.close()
}

if (globalThis.gc == null) {
  console.error('run with --expose-gc')
  process.exit(2)
}

if (role === 'listener') {
  const node = await createNode(impl, ['/ip4/127.0.0.1/tcp/0'])
  await node.handle(PROTOCOL, (stream) => { echoOnce(stream).catch(() => stream.abort(new Error('echo failed'))) }, { maxInboundStreams: 10_000 })
  // one request per stdin line: answers with its connection count and memory (after GC) or CPU time
  createInterface({ input: process.stdin }).on('line', (line) => {
    if (line.startsWith('snapshot ')) {
      v8.writeHeapSnapshot(line.slice('snapshot '.length))
      process.stdout.write('stats={}\n')
      return
    }
    const reply = line === 'cpu'
      ? Promise.resolve({ cpuMicros: process.cpuUsage().user + process.cpuUsage().system })
      : settledMemory()
    reply.then((stats) => { process.stdout.write(`stats=${JSON.stringify({ ...stats, connections: node.getConnections().length })}\n`) })
  })
  process.stdout.write(`listenAddr=${node.getMultiaddrs()[0]}\n`)
  process.once('SIGTERM', () => { node.stop().then(() => process.exit(0)) })
} else {
  const iterations = Number(args[0] ?? 300)
  const rounds = Number(args[1] ?? 3)
  const idle = Number(args[2] ?? 1000)
  const results = { ts: [], js: [] }
  const { multiaddr } = await import('@multiformats/multiaddr')

  async function startListener (which) {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'listener', which], { stdio: ['pipe', 'pipe', 'inherit'] })
    const waiting = []
    let resolveAddress
    const address = new Promise((resolve, reject) => {
      resolveAddress = resolve
      child.once('exit', (code) => { reject(new Error(`listener exited with ${code}`)) })
    })
    createInterface({ input: child.stdout }).on('line', (line) => {
      if (line.startsWith('listenAddr=')) resolveAddress(line.slice('listenAddr='.length))
      else if (line.startsWith('stats=')) waiting.shift()?.(JSON.parse(line.slice('stats='.length)))
    })
    const ask = (what) => new Promise((resolve) => { waiting.push(resolve); child.stdin.write(`${what}\n`) })
    return { child, address: await address, stats: () => ask('memory'), cpu: () => ask('cpu'), snapshot: (path) => ask(`snapshot ${path}`) }
  }

  async function stopAll (node, child) {
    await node.stop()
    child.kill('SIGTERM')
    await new Promise((resolve) => child.once('exit', resolve))
  }

  async function oneConnection (node, target) {
    await withTimeout(TIMEOUT, async (signal) => {
      const connection = await node.dial(target, { force: true, signal })
      const stream = await connection.newStream(PROTOCOL, { signal })
      // the read takes no signal: abort the stream when time is up, so a lost echo fails the run instead of hanging it
      const onAbort = () => { stream.abort(new Error(`no echo within ${TIMEOUT} ms (stream ${stream.id} of connection ${connection.id}, status ${stream.status})`)) }
      signal.addEventListener('abort', onAbort, { once: true })
      try {
        stream.send(Uint8Array.of(42))
        for await (const chunk of stream) { if (chunk.byteLength > 0) break }
      } finally {
        signal.removeEventListener('abort', onAbort)
      }
      await connection.close()
    })
  }

  async function rate (which) {
    const listener = await startListener(which)
    const node = await createNode(which, [])
    const target = multiaddr(listener.address)
    try {
      for (let i = 0; i < 20; i++) await oneConnection(node, target) // warm-up
      const remoteBefore = await listener.cpu()
      const cpuBefore = process.cpuUsage()
      const start = performance.now()
      for (let i = 0; i < iterations; i++) await oneConnection(node, target)
      const perSecond = iterations / ((performance.now() - start) / 1000)
      const cpu = process.cpuUsage(cpuBefore)
      const remoteAfter = await listener.cpu()
      const dialerCpuMs = (cpu.user + cpu.system) / 1000 / iterations
      const listenerCpuMs = (remoteAfter.cpuMicros - remoteBefore.cpuMicros) / 1000 / iterations
      return { perSecond, dialerCpuMs, listenerCpuMs }
    } finally {
      await stopAll(node, listener.child)
    }
  }

  async function memory (which, round) {
    const listener = await startListener(which)
    const node = await createNode(which, [])
    const target = multiaddr(listener.address)
    try {
      for (let i = 0; i < warmup; i++) await oneConnection(node, target) // warm-up: code paths compiled, caches filled
      await sleep(200)
      const [before, remoteBefore] = await Promise.all([settledMemory(), listener.stats()])
      if (snapshotDir != null) {
        v8.writeHeapSnapshot(`${snapshotDir}/${which}-${round}-before.heapsnapshot`)
        await listener.snapshot(`${snapshotDir}/${which}-${round}-listener-before.heapsnapshot`)
      }
      const idleConnections = []
      for (let i = 0; i < idle; i++) idleConnections.push(await withTimeout(TIMEOUT, (signal) => node.dial(target, { force: true, signal })))
      await sleep(1000)
      const [after, remoteAfter] = await Promise.all([settledMemory(), listener.stats()])
      if (snapshotDir != null) {
        v8.writeHeapSnapshot(`${snapshotDir}/${which}-${round}-after.heapsnapshot`)
        await listener.snapshot(`${snapshotDir}/${which}-${round}-listener-after.heapsnapshot`)
      }
      const distinct = new Set(idleConnections.map(c => c.id)).size
      const open = idleConnections.filter(c => c.status === 'open').length
      const dialerCount = node.getConnections().length
      if (distinct !== idle || open !== idle || dialerCount !== idle || remoteAfter.connections !== idle) {
        throw new Error(`${which}: expected ${idle} open idle connections on both sides, got ${distinct} distinct, ${open} open, dialer counts ${dialerCount}, listener counts ${remoteAfter.connections}`)
      }
      const per = (a, b) => (a - b) / idle / 1024
      return {
        dialerHeapKiB: per(after.heapUsed, before.heapUsed),
        // the young generation's growth is not per connection (see warmYoungGeneration): taken out if it still grew
        dialerRssKiB: per(after.rss - after.newSpace, before.rss - before.newSpace),
        dialerBuffersKiB: per(after.arrayBuffers, before.arrayBuffers),
        // V8's committed heap (old-space pages incl. their free space, new space taken out) and memory outside the
        // JS heap (RSS growth minus that): where RSS per connection goes beyond the live objects
        dialerHeapTotalKiB: per(after.heapTotal - after.newSpace, before.heapTotal - before.newSpace),
        dialerOutsideHeapKiB: per(after.rss - after.heapTotal, before.rss - before.heapTotal),

        listenerHeapKiB: per(remoteAfter.heapUsed, remoteBefore.heapUsed),
        listenerRssKiB: per(remoteAfter.rss - remoteAfter.newSpace, remoteBefore.rss - remoteBefore.newSpace),
        listenerBuffersKiB: per(remoteAfter.arrayBuffers, remoteBefore.arrayBuffers),
        listenerHeapTotalKiB: per(remoteAfter.heapTotal - remoteAfter.newSpace, remoteBefore.heapTotal - remoteBefore.newSpace),
        listenerOutsideHeapKiB: per(remoteAfter.rss - remoteAfter.heapTotal, remoteBefore.rss - remoteBefore.heapTotal),

        counted: { dialer: dialerCount, listener: remoteAfter.connections }
      }
    } finally {
      await stopAll(node, listener.child)
    }
  }

  const fmt = (o) => Object.entries(o).map(([k, v]) => `${k} ${typeof v === 'number' ? v.toFixed(v < 10 ? 2 : 1) : JSON.stringify(v)}`).join(', ')
  for (let r = 0; r < rounds; r++) {
    for (const which of ['ts', 'js']) {
      if (only != null && which !== only) continue
      const result = { ...(iterations > 0 ? await rate(which) : {}), ...(idle > 0 ? await memory(which, r + 1) : {}) }
      results[which].push(result)
      console.log(`round ${r + 1} ${which}: ${fmt(result)}`)
    }
  }
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
  const summary = {}
  if (only != null) process.exit(0)
  for (const which of ['ts', 'js']) {
    summary[which] = {}
    for (const key of Object.keys(results[which][0])) {
      if (key !== 'counted') summary[which][key] = median(results[which].map(r => r[key]))
    }
  }
  console.log(`\nmedians of ${rounds} rounds, ${iterations} sequential connections each, ${idle} idle connections:`)
  console.log(JSON.stringify(summary, null, 2))
  const ratio = (key) => (summary.ts[key] / summary.js[key]).toFixed(2)
  const parts = []
  if (iterations > 0) parts.push(`connections/s ${ratio('perSecond')}x`, `CPU ms per connection dialer ${ratio('dialerCpuMs')}x, listener ${ratio('listenerCpuMs')}x`)
  if (idle > 0) parts.push(`idle connection heap dialer ${ratio('dialerHeapKiB')}x, listener ${ratio('listenerHeapKiB')}x`, `RSS dialer ${ratio('dialerRssKiB')}x, listener ${ratio('listenerRssKiB')}x`)
  console.log(`ratio ts/js: ${parts.join('; ')}`)
}
