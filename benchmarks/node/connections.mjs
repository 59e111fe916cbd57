#!/usr/bin/env node
// Connection setup rate and idle connection memory: ours vs the official js-libp2p, same run, same machine.
//
//   node --expose-gc --import ./scripts/polyfill-with-resolvers.mjs benchmarks/node/connections.mjs [iterations] [rounds] [idle]
//
// For each implementation (ts = @ts-libp2p/*, js = the official libp2p 3 with @libp2p/tcp,
// @chainsafe/libp2p-noise and @chainsafe/libp2p-yamux) a listener runs in a child process and a dialer in this
// one, both of the same implementation, over tcp + noise + yamux on 127.0.0.1. One iteration: a new connection
// (dial + noise + yamux), one stream negotiating /bench/echo/1.0.0, a 1-byte echo, and closing the connection;
// iterations run one after the other. Then `idle` connections are opened and left idle, and the dialer's RSS and
// heap growth per connection is measured (after GC). Rounds alternate ts and js; medians are reported, with the
// ratio ts/js. The polyfill is only for the official code (Promise.withResolvers, Node >= 22).
import { spawn } from 'node:child_process'
import { fileURLToPath } from 'node:url'

const [role, impl] = process.argv.slice(2)
const PROTOCOL = '/bench/echo/1.0.0'

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
  return await createLibp2p({ addresses: { listen }, transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [yamux()], connectionManager: limits })
}

async function echoOnce (stream) {
  for await (const chunk of stream) {
    stream.send(chunk)
    break
  }
  await stream.close()
}

if (role === 'listener') {
  const node = await createNode(impl, ['/ip4/127.0.0.1/tcp/0'])
  await node.handle(PROTOCOL, (stream) => { echoOnce(stream).catch(() => stream.abort(new Error('echo failed'))) }, { maxInboundStreams: 10_000 })
  process.stdout.write(`listenAddr=${node.getMultiaddrs()[0]}\n`)
  process.once('SIGTERM', () => { node.stop().then(() => process.exit(0)) })
} else {
  const iterations = Number(process.argv[2] ?? 300)
  const rounds = Number(process.argv[3] ?? 3)
  const idle = Number(process.argv[4] ?? 200)
  const results = { ts: [], js: [] }

  async function startListener (which) {
    const child = spawn(process.execPath, [...process.execArgv, fileURLToPath(import.meta.url), 'listener', which], { stdio: ['ignore', 'pipe', 'inherit'] })
    const address = await new Promise((resolve, reject) => {
      let out = ''
      child.stdout.on('data', (d) => {
        out += d
        const m = /listenAddr=(\S+)/.exec(out)
        if (m != null) resolve(m[1])
      })
      child.once('exit', (code) => { reject(new Error(`listener exited with ${code}`)) })
    })
    return { child, address }
  }

  async function oneConnection (node, target) {
    const connection = await node.dial(target, { force: true, signal: AbortSignal.timeout(10_000) })
    const stream = await connection.newStream(PROTOCOL, { signal: AbortSignal.timeout(10_000) })
    stream.send(Uint8Array.of(42))
    for await (const chunk of stream) { if (chunk.byteLength > 0) break }
    await connection.close()
  }

  async function round (which) {
    const { multiaddr } = await import('@multiformats/multiaddr')
    const { child, address } = await startListener(which)
    const node = await createNode(which, [])
    const target = multiaddr(address)
    try {
      for (let i = 0; i < 20; i++) await oneConnection(node, target) // warm-up
      const start = performance.now()
      for (let i = 0; i < iterations; i++) await oneConnection(node, target)
      const perSecond = iterations / ((performance.now() - start) / 1000)
      global.gc?.(); global.gc?.()
      const before = process.memoryUsage()
      const idleConnections = []
      for (let i = 0; i < idle; i++) idleConnections.push(await node.dial(target, { force: true, signal: AbortSignal.timeout(10_000) }))
      await new Promise((resolve) => setTimeout(resolve, 500))
      const open = new Set(idleConnections.map(c => c.id)).size
      if (open !== idle || node.getConnections().length < idle) throw new Error(`${which}: expected ${idle} distinct idle connections, got ${open} (${node.getConnections().length} open)`)
      global.gc?.(); global.gc?.()
      const after = process.memoryUsage()
      const rssKiB = (after.rss - before.rss) / idle / 1024
      const heapKiB = (after.heapUsed - before.heapUsed) / idle / 1024
      await Promise.all(idleConnections.map(async (c) => { await c.close() }))
      return { perSecond, rssKiB, heapKiB }
    } finally {
      await node.stop()
      child.kill('SIGTERM')
      await new Promise((resolve) => child.once('exit', resolve))
    }
  }

  for (let r = 0; r < rounds; r++) {
    for (const which of ['ts', 'js']) {
      const result = await round(which)
      results[which].push(result)
      console.log(`round ${r + 1} ${which}: ${result.perSecond.toFixed(0)} connections/s, ${result.rssKiB.toFixed(1)} KiB RSS and ${result.heapKiB.toFixed(1)} KiB heap per idle connection (dialer)`)
    }
  }
  const median = (xs) => { const s = [...xs].sort((a, b) => a - b); return s[Math.floor(s.length / 2)] }
  const summary = {}
  for (const which of ['ts', 'js']) {
    summary[which] = {
      connectionsPerSecond: median(results[which].map(r => r.perSecond)),
      rssKiBPerIdleConnection: median(results[which].map(r => r.rssKiB)),
      heapKiBPerIdleConnection: median(results[which].map(r => r.heapKiB))
    }
  }
  console.log(`\nmedians of ${rounds} rounds, ${iterations} sequential connections each, ${idle} idle connections:`)
  console.log(JSON.stringify(summary, null, 2))
  console.log(`ratio ts/js: connections/s ${(summary.ts.connectionsPerSecond / summary.js.connectionsPerSecond).toFixed(2)}x, ` +
    `heap per idle connection ${(summary.ts.heapKiBPerIdleConnection / summary.js.heapKiBPerIdleConnection).toFixed(2)}x, ` +
    `RSS per idle connection ${(summary.ts.rssKiBPerIdleConnection / summary.js.rssKiBPerIdleConnection).toFixed(2)}x`)
}
