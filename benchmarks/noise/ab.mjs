/**
 * A/B of two builds of @ts-libp2p/noise in one process: the throughput of
 * bench.mjs (64 KiB writes over pair.mjs's in-memory pair), the two builds
 * and the raw node:crypto seal+open loop interleaved run by run, so machine
 * drift hits all three alike. Prints each run's MiB/s and the medians of the
 * ratios B/A and B/raw.
 *
 *   cp -r packages/noise/dist/src /somewhere/under/packages/noise/dist/base   (the old build)
 *   node benchmarks/noise/ab.mjs --a packages/noise/dist/base [--b packages/noise/dist/src] [--mib 256] [--runs 7] [--write 65536] [--tcp] [--scope-b]
 *
 * --scope-b: B's handshakes pass `peerMemoryScope` (a node's ResourceManager
 * peer scope, default limits), so B charges its buffers as inside a node;
 * with --a and --b the same build this measures the accounting alone.
 */
import { randomBytes } from 'node:crypto'
import { createServer, connect } from 'node:net'
import { defaultLogger as officialLogger } from '@libp2p/logger'
import { generateKeyPair } from '@ts-libp2p/crypto'
import { defaultLogger } from '@ts-libp2p/utils'
import { aeadCeiling } from '../lib/aead-ceiling.mjs'
import { sendAndCount } from '../lib/message-transfer.mjs'
import { benchPair } from './pair.mjs'

const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : args[i + 1]
}
const MIB = Number(opt('mib', 256))
const RUNS = Number(opt('runs', 7))
const WRITE = Number(opt('write', 64 * 1024))
const load = async (dir) => (await import(new URL(dir, `file://${process.cwd()}/`).href + '/index.js')).noise
const impls = { A: await load(opt('a')), B: await load(opt('b', 'packages/noise/dist/src')) }
const SCOPE_B = args.includes('--scope-b')
const { ResourceManager } = await import('@ts-libp2p/libp2p')
const resourceManager = new ResourceManager({ logger: defaultLogger() })
const noMuxers = { getStreamMuxers: () => new Map() }
const ka = await generateKeyPair('Ed25519')
const kb = await generateKeyPair('Ed25519')

// --tcp: two loopback sockets wrapped by the official @libp2p/tcp socket wrapper, as bench.mjs --tcp
const TCP = args.includes('--tcp')
const { toMultiaddrConnection } = await import(new URL('../../node_modules/@libp2p/tcp/dist/src/socket-to-conn.js', import.meta.url).href)
const server = createServer()
const accepted = []
server.on('connection', (socket) => { accepted.push(socket) })
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
async function tcpPair () {
  const client = connect(server.address().port, '127.0.0.1')
  client.setNoDelay(true)
  await new Promise(resolve => client.once('connect', resolve))
  while (accepted.length === 0) await new Promise(resolve => setImmediate(resolve))
  const socket = accepted.shift()
  socket.setNoDelay(true)
  const log = officialLogger().forComponent('ab')
  return [
    toMultiaddrConnection({ socket: client, direction: 'outbound', log, remoteAddr: undefined }),
    toMultiaddrConnection({ socket, direction: 'inbound', log, remoteAddr: undefined })
  ]
}

async function throughput (noise, mib) {
  const [x, y] = TCP ? await tcpPair() : benchPair()
  const dialer = noise()({ privateKey: ka, logger: defaultLogger(), upgrader: noMuxers })
  const listener = noise()({ privateKey: kb, logger: defaultLogger(), upgrader: noMuxers })
  const options = SCOPE_B && noise === impls.B ? { peerMemoryScope: (peer) => resourceManager.peerMemory(peer) } : {}
  const [out, inb] = await Promise.all([dialer.secureOutbound(x, options), listener.secureInbound(y, options)])
  const sender = out.connection
  const receiver = inb.connection
  const { ms, cpuSeconds } = await sendAndCount(sender, receiver, mib * 1024 * 1024, randomBytes(WRITE))
  x.abort(new Error('benchmark over'))
  cpuPerGiB.push(cpuSeconds / (mib / 1024))
  return mib / (ms / 1000)
}

let cpuPerGiB = []
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
await throughput(impls.A, 16)
await throughput(impls.B, 16)
const ratios = { ba: [], braw: [], araw: [], cpuBA: [] }
for (let run = 0; run < RUNS; run++) {
  // alternate the order so neither build always follows the raw loop
  const raw = aeadCeiling(MIB).mibs
  const [first, second] = run % 2 === 0 ? ['A', 'B'] : ['B', 'A']
  const r = {}
  const cpu = {}
  cpuPerGiB = []
  r[first] = await throughput(impls[first], MIB)
  r[second] = await throughput(impls[second], MIB)
  cpu[first] = cpuPerGiB[0]
  cpu[second] = cpuPerGiB[1]
  ratios.cpuBA.push(cpu.B / cpu.A)
  ratios.ba.push(r.B / r.A)
  ratios.braw.push(r.B / raw)
  ratios.araw.push(r.A / raw)
  console.log(`run ${run}: raw ${raw.toFixed(0)}  A ${r.A.toFixed(0)}  B ${r.B.toFixed(0)} MiB/s; CPU-s/GiB A ${cpu.A.toFixed(3)}  B ${cpu.B.toFixed(3)}`)
}
console.log(`medians: B/A ${median(ratios.ba).toFixed(3)} (CPU per GiB B/A ${median(ratios.cpuBA).toFixed(3)})  A/raw ${median(ratios.araw).toFixed(3)}  B/raw ${median(ratios.braw).toFixed(3)}`)
process.exit(0)
