#!/usr/bin/env node
// Raw TCP throughput over 127.0.0.1, one process: a plain net.Socket, our
// TcpMultiaddrConnection (@ts-libp2p/tcp) and the official @libp2p/tcp raw
// connection, measured interleaved in the same run.
//
//   npx tsc -b packages/tcp && node benchmarks/transports/tcp.mjs [MiB] [rounds]
import net from 'node:net'
import { multiaddr } from '@multiformats/multiaddr'
import { tcp as officialTcp } from '@libp2p/tcp'
import { defaultLogger as officialLogger } from '@libp2p/logger'
import { TcpTransport } from '../../packages/tcp/dist/src/index.js'
import { defaultLogger } from '../../packages/utils/dist/src/index.js'
import { CHUNK, compare, measured, rawUpgrader } from './common.mjs'

const total = Number(process.argv[2] ?? 256) * 1024 * 1024
const rounds = Number(process.argv[3] ?? 5)

async function plainSocket (total) {
  const chunk = Buffer.alloc(CHUNK, 7)
  let done
  const finished = new Promise(resolve => { done = resolve })
  const server = net.createServer({ noDelay: true }, (socket) => {
    let n = 0
    socket.on('data', (b) => {
      n += b.byteLength
      if (n >= total) done()
    })
  })
  await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
  const client = net.connect({ port: server.address().port, host: '127.0.0.1', noDelay: true })
  await new Promise(resolve => client.once('connect', resolve))
  const start = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  for (let sent = 0; sent < total; sent += CHUNK) {
    if (!client.write(chunk)) {
      await new Promise(resolve => client.once('drain', resolve))
    }
  }
  await finished
  const result = measured(start, cpu, total)
  client.destroy()
  await new Promise(resolve => server.close(resolve))
  return result
}

async function viaTransport (transport, logger, total, connect, events = false) {
  let inbound
  const got = new Promise(resolve => { inbound = resolve })
  const listener = transport.createListener({ upgrader: rawUpgrader(inbound) })
  await listener.listen(multiaddr('/ip4/127.0.0.1/tcp/0'))
  const addr = listener.getAddrs()[0]
  const out = await connect(addr)
  const inb = await got
  const { transferMessageStream } = await import('./common.mjs')
  const rate = await transferMessageStream(out, inb, total, { events })
  out.abort(new Error('done'))
  await listener.close()
  return rate
}

const ours = new TcpTransport({ logger: defaultLogger() })
const official = officialTcp()({ logger: officialLogger() })

await compare({
  'net.Socket': plainSocket,
  '@ts-libp2p/tcp': (t) => viaTransport(ours, null, t, (addr) => ours.connect(addr, { signal: AbortSignal.timeout(10_000) })),
  '@libp2p/tcp (official)': (t) => viaTransport(official, null, t, (addr) => official.dial(addr, { upgrader: rawUpgrader(() => {}), signal: AbortSignal.timeout(10_000) })),
  '@ts-libp2p/tcp, events': (t) => viaTransport(ours, null, t, (addr) => ours.connect(addr, { signal: AbortSignal.timeout(10_000) }), true),
  '@libp2p/tcp (official), events': (t) => viaTransport(official, null, t, (addr) => official.dial(addr, { upgrader: rawUpgrader(() => {}), signal: AbortSignal.timeout(10_000) }), true)
}, { rounds, total, baseline: 'net.Socket' })
