/**
 * TLS benchmark: ours (@ts-libp2p/tls) vs the official @libp2p/tls, in the
 * same process and run, on the same raw connections.
 *
 *   npx tsc -b packages/tls first, then
 *   node --import ./scripts/polyfill-with-resolvers.mjs benchmarks/tls/bench.mjs [--mib 64] [--runs 3] [--handshakes 100] [--memory]
 *
 * - throughput: one direction, `--mib` MiB in 64 KiB writes, from the first
 *   send until the reader has every byte; MiB/s, median of `--runs`.
 * - handshakes/s: sequential handshakes (Ed25519 host keys) over fresh raw
 *   connections, each secured both ways, then aborted.
 * Raw connections: two loopback TCP sockets wrapped by the official
 * @libp2p/tcp socket wrapper (what js-libp2p runs an encrypter on), or with
 * `--memory` our in-memory pair. Contenders: ours with the default
 * certificate reuse, ours with a fresh certificate per handshake
 * (`certificateReuse: 0`, what the official one always does), official.
 */
import { randomBytes } from 'node:crypto'
import { createServer, connect } from 'node:net'
import { generateKeyPair as officialGenerateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger as officialLogger } from '@libp2p/logger'
import { tls as officialTLS } from '@libp2p/tls'
import { generateKeyPair } from '@ts-libp2p/crypto'
import { multiaddrConnectionPair as ourPair } from '@ts-libp2p/test-utils'
import { tls } from '@ts-libp2p/tls'
import { defaultLogger } from '@ts-libp2p/utils'
import { sendAndCount } from '../lib/message-transfer.mjs'

const args = process.argv.slice(2)
const opt = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : Number(args[i + 1])
}
const MIB = opt('mib', 64)
const RUNS = opt('runs', 3)
const HANDSHAKES = opt('handshakes', 100)
const MEMORY = args.includes('--memory')
const CHUNK = 64 * 1024

const { toMultiaddrConnection } = await import(new URL('../../node_modules/@libp2p/tcp/dist/src/socket-to-conn.js', import.meta.url).href)
const server = createServer()
const accepted = []
const waiting = []
server.on('connection', (socket) => {
  const next = waiting.shift()
  if (next != null) next(socket)
  else accepted.push(socket)
})
await new Promise(resolve => server.listen(0, '127.0.0.1', resolve))
const log = officialLogger().forComponent('bench')

async function tcpPair () {
  const client = connect(server.address().port, '127.0.0.1')
  client.setNoDelay(true)
  await new Promise(resolve => client.once('connect', resolve))
  const socket = accepted.shift() ?? await new Promise(resolve => waiting.push(resolve))
  socket.setNoDelay(true)
  return [
    toMultiaddrConnection({ socket: client, direction: 'outbound', log: log.newScope('out'), remoteAddr: undefined }),
    toMultiaddrConnection({ socket, direction: 'inbound', log: log.newScope('in'), remoteAddr: undefined })
  ]
}

const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]
const noMuxers = { getStreamMuxers: () => new Map() }

async function contenders () {
  const a = await generateKeyPair('Ed25519')
  const b = await generateKeyPair('Ed25519')
  const oa = await officialGenerateKeyPair('Ed25519')
  const ob = await officialGenerateKeyPair('Ed25519')
  const ours = (init) => [
    tls(init)({ privateKey: a, logger: defaultLogger(), upgrader: noMuxers }),
    tls(init)({ privateKey: b, logger: defaultLogger(), upgrader: noMuxers })
  ]
  return {
    ours: ours({}),
    'ours (fresh cert)': ours({ certificateReuse: 0 }),
    official: [
      officialTLS()({ privateKey: oa, logger: officialLogger(), upgrader: noMuxers }),
      officialTLS()({ privateKey: ob, logger: officialLogger(), upgrader: noMuxers })
    ]
  }
}

async function securePair ([dialer, listener]) {
  const [x, y] = MEMORY ? ourPair({ maxInFlightBytes: 256 * 1024 }) : await tcpPair()
  const [out, inb] = await Promise.all([dialer.secureOutbound(x), listener.secureInbound(y)])
  return [out.connection, inb.connection, x, y]
}

async function throughput (pair, mib) {
  const [sender, receiver, x, y] = await securePair(pair)
  const { ms } = await sendAndCount(sender, receiver, mib * 1024 * 1024, randomBytes(CHUNK))
  x.abort(new Error('benchmark over'))
  y.abort(new Error('benchmark over'))
  return mib / (ms / 1000)
}

async function handshakes (pair, count) {
  const start = performance.now()
  for (let i = 0; i < count; i++) {
    const [, , x, y] = await securePair(pair)
    x.abort(new Error('done'))
    y.abort(new Error('done'))
  }
  return count / ((performance.now() - start) / 1000)
}

const all = await contenders()
const results = {}
for (const name of Object.keys(all)) {
  results[name] = { mibs: [], hs: [] }
}
// warm up every contender once, then interleave the runs so drift hits all alike
for (const pair of Object.values(all)) {
  await throughput(pair, 4)
  await handshakes(pair, 10)
}
for (let run = 0; run < RUNS; run++) {
  for (const [name, pair] of Object.entries(all)) {
    results[name].mibs.push(await throughput(pair, MIB))
    results[name].hs.push(await handshakes(pair, HANDSHAKES))
  }
}

const official = results.official
console.log(`tls benchmark: ${MIB} MiB one way in 64 KiB writes, ${HANDSHAKES} sequential handshakes (Ed25519 hosts), median of ${RUNS} runs, ${MEMORY ? 'ts-libp2p in-memory pair' : 'tcp loopback'}, node ${process.version}`)
for (const [name, r] of Object.entries(results)) {
  const mibs = median(r.mibs)
  const hs = median(r.hs)
  console.log(`${name.padEnd(18)} ${mibs.toFixed(0).padStart(6)} MiB/s (${(mibs / median(official.mibs)).toFixed(2)}x official)  ${hs.toFixed(0).padStart(5)} handshakes/s (${(hs / median(official.hs)).toFixed(2)}x official)`)
}
server.close()
process.exit(0)
