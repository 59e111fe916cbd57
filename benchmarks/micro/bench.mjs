#!/usr/bin/env node
// Micro-benchmarks (tinybench): the same operation done by our package and by the official js-libp2p package,
// in one process, tasks of a group interleaved in one tinybench run.
//
//   node benchmarks/micro/bench.mjs [--quick] [--group a,b]      -> progress on stderr, one JSON line on stdout
//
// Groups:
//   multistream  a full multistream-select negotiation (header + one protocol, answered) over an in-memory
//                stream pair; both implementations run over the same pair type (@ts-libp2p/test-utils streamPair)
//   noise        ChaCha20-Poly1305 seal + open of one noise transport message per payload size, through each
//                package's own cipher code (ours: CipherState over the node:crypto backend; official: its
//                defaultCrypto's chaCha20Poly1305Encrypt/Decrypt with a per-message nonce)
//   yamux        12-byte frame header encode; decode of a 64-frame buffer (header + 1 KiB payload each)
//   protobuf     identify message encode and decode (ours: protobufjs-generated; official: protons)
//   peerid       parsing an Ed25519 peer id string (base58btc) into a PeerId
// Internals are imported by file path: the packages export only their public API.
import { parseArgs } from 'node:util'
import { randomBytes } from 'node:crypto'
import { Bench } from 'tinybench'

const ROOT = new URL('../../', import.meta.url)
const at = (path) => import(new URL(path, ROOT).href)

const { values } = parseArgs({ options: { quick: { type: 'boolean', default: false }, group: { type: 'string' } } })
const only = values.group?.split(',')
const time = values.quick ? 150 : 1000
const warmupTime = values.quick ? 50 : 200

const groups = {}

groups.multistream = async () => {
  const ours = await at('packages/multistream-select/dist/src/index.js')
  const official = await import('@libp2p/multistream-select')
  const { streamPair } = await at('packages/test-utils/dist/src/index.js')
  const PROTOCOLS = ['/bench/other/1.0.0', '/bench/proto/1.0.0']
  const negotiate = (impl) => async () => {
    const [a, b] = streamPair()
    const [selected] = await Promise.all([
      impl.select(a, '/bench/proto/1.0.0', { negotiateFully: true }),
      impl.handle(b, PROTOCOLS, {})
    ])
    if (selected == null) throw new Error('no protocol')
    a.abort(new Error('done'))
    b.abort(new Error('done'))
  }
  return [
    ['negotiate one protocol', 'ts', negotiate(ours)],
    ['negotiate one protocol', 'js', negotiate(official)]
  ]
}

groups.noise = async () => {
  const { CipherState } = await at('packages/noise/dist/src/cipher-state.js')
  const { nodeCrypto } = await at('packages/noise/dist/src/crypto-node.js')
  const { defaultCrypto } = await import('@chainsafe/libp2p-noise/crypto')
  const tasks = []
  const key = randomBytes(32)
  for (const size of [64, 1024, 16 * 1024, 65519]) {
    const plain = randomBytes(size)
    const enc = new CipherState(nodeCrypto, key)
    const dec = new CipherState(nodeCrypto, key)
    tasks.push([`seal+open ${size} B`, 'ts', () => {
      const sealed = []
      enc.encrypt(undefined, [plain], sealed)
      const tag = sealed.pop()
      const opened = []
      dec.decrypt(undefined, sealed, tag, opened)
      if (opened.length === 0 && size > 0) throw new Error('nothing opened')
    }])
    const nonce = new Uint8Array(12)
    const view = new DataView(nonce.buffer)
    const ad = new Uint8Array(0)
    let n = 0
    tasks.push([`seal+open ${size} B`, 'js', () => {
      view.setUint32(4, n++, true)
      const sealed = defaultCrypto.chaCha20Poly1305Encrypt(plain, nonce, ad, key)
      const opened = defaultCrypto.chaCha20Poly1305Decrypt(sealed, nonce, ad, key)
      if (opened.byteLength !== size) throw new Error('bad length')
    }])
  }
  return tasks
}

groups.yamux = async () => {
  const ours = await at('packages/yamux/dist/src/frame.js')
  const official = await at('node_modules/@chainsafe/libp2p-yamux/dist/src/encode.js')
  const officialDecode = await at('node_modules/@chainsafe/libp2p-yamux/dist/src/decode.js')
  // Data frames, 64 of them, each a 12-byte header + 1 KiB payload, in one buffer
  const FRAMES = 64
  const PAYLOAD = 1024
  const parts = []
  for (let i = 0; i < FRAMES; i++) {
    parts.push(Buffer.from(ours.encodeHeader(0, 0, 1 + 2 * i, PAYLOAD)), randomBytes(PAYLOAD))
  }
  const wire = new Uint8Array(Buffer.concat(parts))
  let id = 1
  return [
    ['encode header', 'ts', () => { ours.encodeHeader(0, 0, id += 2, 1024) }],
    ['encode header', 'js', () => { official.encodeHeader({ type: 0, flag: 0, streamID: id += 2, length: 1024 }) }],
    [`decode ${FRAMES} frames of 1 KiB`, 'ts', () => {
      const decoder = new ours.FrameDecoder()
      decoder.push(wire)
      let n = 0
      while (decoder.next() != null) n++
      if (n !== FRAMES) throw new Error(`decoded ${n}`)
    }],
    [`decode ${FRAMES} frames of 1 KiB`, 'js', () => {
      const decoder = new officialDecode.Decoder()
      let n = 0
      for (const frame of decoder.emitFrames(wire)) { if (frame.data != null) n++ }
      if (n !== FRAMES) throw new Error(`decoded ${n}`)
    }]
  ]
}

groups.protobuf = async () => {
  const ours = await at('packages/identify/dist/src/message.js')
  const { Identify } = await at('node_modules/@libp2p/identify/dist/src/pb/message.js')
  const { multiaddr } = await import('@multiformats/multiaddr')
  const message = {
    protocolVersion: 'ipfs/0.1.0',
    agentVersion: 'bench/1.0.0',
    publicKey: randomBytes(36),
    listenAddrs: ['/ip4/127.0.0.1/tcp/4001', '/ip4/192.168.1.10/tcp/4001', '/ip6/::1/tcp/4001', '/ip4/127.0.0.1/udp/4001/quic-v1'].map(a => multiaddr(a).bytes),
    observedAddr: multiaddr('/ip4/1.2.3.4/tcp/5555').bytes,
    protocols: ['/ipfs/id/1.0.0', '/ipfs/id/push/1.0.0', '/ipfs/ping/1.0.0', '/libp2p/circuit/relay/0.2.0/stop', '/ipfs/kad/1.0.0', '/meshsub/1.1.0', '/perf/1.0.0'],
    signedPeerRecord: randomBytes(180)
  }
  const bytes = ours.encodeIdentify(message)
  return [
    ['identify encode', 'ts', () => { ours.encodeIdentify(message) }],
    ['identify encode', 'js', () => { Identify.encode(message) }],
    ['identify decode', 'ts', () => { if (ours.decodeIdentify(bytes).protocols.length !== 7) throw new Error('bad decode') }],
    ['identify decode', 'js', () => { if (Identify.decode(bytes).protocols.length !== 7) throw new Error('bad decode') }]
  ]
}

groups.peerid = async () => {
  const ours = await at('packages/peer-id/dist/src/index.js')
  const official = await import('@libp2p/peer-id')
  const { generateKeyPair } = await import('@libp2p/crypto/keys')
  const key = await generateKeyPair('Ed25519')
  const text = official.peerIdFromPrivateKey(key).toString()
  return [
    ['parse Ed25519 peer id string', 'ts', () => { ours.peerIdFromString(text) }],
    ['parse Ed25519 peer id string', 'js', () => { official.peerIdFromString(text) }]
  ]
}

const out = []
for (const [group, make] of Object.entries(groups)) {
  if (only != null && !only.includes(group)) continue
  const tasks = await make()
  const bench = new Bench({ name: group, time, warmupTime, throws: true })
  for (const [name, impl, fn] of tasks) bench.add(`${group}|${name}|${impl}`, fn)
  process.stderr.write(`micro: ${group} (${tasks.length} tasks) ...\n`)
  await bench.run()
  for (const task of bench.tasks) {
    const [, name, impl] = task.name.split('|')
    const r = task.result
    if (r.state !== 'completed') throw new Error(`${task.name}: ${r.state} ${r.error?.stack ?? ''}`)
    out.push({
      group,
      name,
      impl,
      opsPerSecond: r.throughput.p50,
      opsPerSecondMean: r.throughput.mean,
      rme: r.throughput.rme,
      latencyMsP50: r.latency.p50,
      samples: r.latency.samplesCount ?? r.latency.df + 1
    })
  }
}
process.stdout.write(JSON.stringify({ time, warmupTime, results: out }) + '\n')
