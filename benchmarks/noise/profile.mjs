/**
 * One contender's throughput alone, for profiling and A/B runs in fresh
 * processes (bench.mjs compares the contenders in one run):
 *
 *   node --cpu-prof benchmarks/noise/profile.mjs [--mib 512] [--write 65536] [--ours node|portable] [--official] [--raw] [--impl dir]
 *
 * Same workload as bench.mjs's throughput (64 KiB writes over pair.mjs's
 * in-memory pair); prints MiB/s and CPU seconds per GiB of this process,
 * and the raw node:crypto seal+open loop measured the same way.
 */
import { randomBytes } from 'node:crypto'
import { noise as officialNoise } from '@chainsafe/libp2p-noise'
import { generateKeyPair as officialGenerateKeyPair } from '@libp2p/crypto/keys'
import { defaultLogger as officialLogger } from '@libp2p/logger'
import { peerIdFromPrivateKey as officialPeerId } from '@libp2p/peer-id'
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
const MIB = Number(opt('mib', 512))
const WRITE = Number(opt('write', 64 * 1024))
// --impl <dir>: another build of packages/noise (its dist/src, e.g. a copy of the previous build) for A/B runs
const { noise } = await import(opt('impl', null) != null ? new URL(opt('impl'), `file://${process.cwd()}/`).href + '/index.js' : '@ts-libp2p/noise')
const noMuxers = { getStreamMuxers: () => new Map() }

async function pair () {
  if (args.includes('--official')) {
    const a = await officialGenerateKeyPair('Ed25519')
    const b = await officialGenerateKeyPair('Ed25519')
    return [
      officialNoise()({ privateKey: a, peerId: officialPeerId(a), logger: officialLogger(), upgrader: noMuxers }),
      officialNoise()({ privateKey: b, peerId: officialPeerId(b), logger: officialLogger(), upgrader: noMuxers })
    ]
  }
  const crypto = opt('ours', 'node')
  const a = await generateKeyPair('Ed25519')
  const b = await generateKeyPair('Ed25519')
  return [
    noise({ crypto })({ privateKey: a, logger: defaultLogger(), upgrader: noMuxers }),
    noise({ crypto })({ privateKey: b, logger: defaultLogger(), upgrader: noMuxers })
  ]
}

async function throughput ([dialer, listener], mib) {
  const [x, y] = benchPair()
  const [out, inb] = await Promise.all([dialer.secureOutbound(x), listener.secureInbound(y)])
  const sender = out.connection
  const receiver = inb.connection
  const { ms, cpuSeconds } = await sendAndCount(sender, receiver, mib * 1024 * 1024, randomBytes(WRITE))
  x.abort(new Error('benchmark over'))
  return { mibs: mib / (ms / 1000), cpuPerGiB: cpuSeconds / (mib / 1024) }
}

const contender = await pair()
await throughput(contender, 16)
if (args.includes('--raw')) {
  const r = aeadCeiling(MIB)
  console.log(JSON.stringify({ name: 'raw', ...r }))
} else {
  const r = await throughput(contender, MIB)
  console.log(JSON.stringify({ name: args.includes('--official') ? 'official' : `ours-${opt('ours', 'node')}`, ...r }))
}
process.exit(0)
