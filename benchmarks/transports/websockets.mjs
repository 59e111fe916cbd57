#!/usr/bin/env node
// Raw WebSocket throughput over 127.0.0.1, one process: plain `ws`, our
// WebSocketMultiaddrConnection (@ts-libp2p/websockets) and the official
// @libp2p/websockets raw connection, measured interleaved in the same run.
//
//   npx tsc -b packages/websockets && node_modules/node24/bin/node benchmarks/transports/websockets.mjs [MiB] [rounds]
// (Node 22+: the official @libp2p/websockets 10 dials with the global WebSocket)
import { multiaddr } from '@multiformats/multiaddr'
import { webSockets as officialWebSockets } from '@libp2p/websockets'
import { defaultLogger as officialLogger } from '@libp2p/logger'
import { WebSocket, WebSocketServer } from 'ws'
import { WebSocketsTransport } from '../../packages/websockets/dist/src/index.js'
import { defaultLogger } from '../../packages/utils/dist/src/index.js'
import { CHUNK, compare, measured, rawUpgrader, transferMessageStream } from './common.mjs'

const total = Number(process.argv[2] ?? 256) * 1024 * 1024
const rounds = Number(process.argv[3] ?? 5)
const HIGH_WATER = 256 * 1024

async function plainWs (total) {
  const chunk = Buffer.alloc(CHUNK, 7)
  let done
  const finished = new Promise(resolve => { done = resolve })
  const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false })
  await new Promise(resolve => wss.once('listening', resolve))
  wss.on('connection', (ws) => {
    let n = 0
    ws.on('message', (data) => {
      n += data.byteLength
      if (n >= total) done()
    })
  })
  const client = new WebSocket(`ws://127.0.0.1:${wss.address().port}`, { perMessageDeflate: false })
  await new Promise(resolve => client.once('open', resolve))
  const start = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  let wake
  for (let sent = 0; sent < total; sent += CHUNK) {
    client.send(chunk, { binary: true, compress: false }, () => {
      if (wake != null && client.bufferedAmount < HIGH_WATER) { const w = wake; wake = undefined; w() }
    })
    if (client.bufferedAmount >= HIGH_WATER) {
      await new Promise(resolve => { wake = resolve })
    }
  }
  await finished
  const result = measured(start, cpu, total)
  client.terminate()
  await new Promise(resolve => wss.close(resolve))
  return result
}

async function viaTransport (transport, total, connect, events = false) {
  let inbound
  const got = new Promise(resolve => { inbound = resolve })
  const listener = transport.createListener({ upgrader: rawUpgrader(inbound) })
  await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0/ws'))
  const out = await connect(listener.getAddrs()[0])
  const inb = await got
  const rate = await transferMessageStream(out, inb, total, { events })
  out.abort(new Error('done'))
  await listener.close()
  return rate
}

const ours = new WebSocketsTransport({ logger: defaultLogger() })
const official = officialWebSockets()({ logger: officialLogger(), events: new EventTarget() })

await compare({
  ws: plainWs,
  '@ts-libp2p/websockets': (t) => viaTransport(ours, t, (addr) => ours.connect(addr, { signal: AbortSignal.timeout(10_000) })),
  '@libp2p/websockets (official)': (t) => viaTransport(official, t, (addr) => official.dial(addr, { upgrader: rawUpgrader(() => {}), signal: AbortSignal.timeout(10_000) })),
  '@ts-libp2p/websockets, events': (t) => viaTransport(ours, t, (addr) => ours.connect(addr, { signal: AbortSignal.timeout(10_000) }), true),
  '@libp2p/websockets (official), events': (t) => viaTransport(official, t, (addr) => official.dial(addr, { upgrader: rawUpgrader(() => {}), signal: AbortSignal.timeout(10_000) }), true)
}, { rounds, total, baseline: 'ws' })
