#!/usr/bin/env node
/**
 * Writes the seed corpus under fuzz/corpus/<target>/ from the built packages
 * (run `npm run build` first): valid messages made by our encoders, the first
 * noise handshake message captured from a real handshake, and hand-made tricky
 * cases (truncations, over-long varints, huge declared lengths). Each entry is
 * a `.hex` file so it reads in review. Ed25519 keys come from fixed seeds;
 * secp256k1, ECDSA and RSA keys and certificates differ on each run, which
 * changes those entries (any valid one serves as a seed).
 *
 *   node fuzz/generate-corpus.mjs [--only <target>]
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath } from 'node:url'
import { multiaddr } from '@multiformats/multiaddr'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const load = async (pkg, file = 'index.js') => await import(path.join(root, 'packages', pkg, 'dist', 'src', file))
const hex = (b) => Buffer.from(b).toString('hex')
const h = (s) => Uint8Array.from(Buffer.from(s.replace(/\s+/g, ''), 'hex'))
const written = {}

const only = process.argv.includes('--only') ? process.argv[process.argv.indexOf('--only') + 1] : undefined

function put (target, name, bytes) {
  if (only != null && target !== only) return
  const dir = path.join(root, 'fuzz', 'corpus', target)
  fs.mkdirSync(dir, { recursive: true })
  fs.writeFileSync(path.join(dir, `${name}.hex`), hex(bytes).replace(/(.{64})/g, '$1\n').trim() + '\n')
  written[target] = (written[target] ?? 0) + 1
}

const crypto = await load('crypto')
const { peerIdFromPrivateKey } = await load('peer-id')
const seed = (n) => new Uint8Array(32).fill(n)
const ed = await crypto.generateKeyPairFromSeed('Ed25519', seed(1))
const ed2 = await crypto.generateKeyPairFromSeed('Ed25519', seed(2))
const secp = await crypto.generateKeyPair('secp256k1')
const peerId = peerIdFromPrivateKey(ed)

// varints and length prefixes
put('varint', 'zero', h('00'))
put('varint', 'one-byte-max', h('7f'))
put('varint', 'two-byte', h('ac02'))
put('varint', 'u32-max', h('ffffffff0f'))
put('varint', 'max-safe-integer', h('ffffffffffffff0f'))
put('varint', 'ten-continuation-bytes', h('ffffffffffffffffffff01'))
put('varint', 'non-minimal-zero', h('8000'))
put('lp', 'hello', h('0568656c6c6f'))
put('lp', 'empty-frame-then-frame', h('00 03 616263'))
put('lp', 'declares-4gib', h('8080808010'))
put('lp', 'truncated-body', h('0a 0102'))
put('lp', 'overlong-prefix', h('ffffffffffffffffff7f'))

// multistream-select
const ms = await load('multistream-select', 'codec.js')
put('multistream', 'header-and-ping', ms.encodeMessages('/multistream/1.0.0', '/ipfs/ping/1.0.0'))
put('multistream', 'header-na', ms.encodeMessages('/multistream/1.0.0', 'na'))
put('multistream', 'header-ls', ms.encodeMessages('/multistream/1.0.0', 'ls'))
put('multistream', 'ls-response', ms.encodeFrames([ms.encodeLsResponse(['/a', '/ipfs/id/1.0.0']).bytes]))
put('multistream', 'missing-newline', h('13 2f6d756c746973747265616d2f312e302e3020'))
put('multistream', 'declares-huge', h('ffff03 2f'))
put('multistream', 'empty-message', h('00'))

// yamux frames: version 0, type, flags, stream id, length
put('yamux', 'syn-window-update', h('00 01 0001 00000001 00000000'))
put('yamux', 'syn-data-hello', h('00 00 0001 00000001 00000005 68656c6c6f'))
put('yamux', 'ping', h('00 02 0001 00000000 0000002a'))
put('yamux', 'go-away-protocol-error', h('00 03 0000 00000000 00000001'))
put('yamux', 'data-beyond-window', h('00 00 0001 00000001 00040001'))
put('yamux', 'window-overflow', h('00 01 0001 00000001 00000000 00 01 0000 00000001 ffffffff'))
put('yamux', 'rst-unknown-stream', h('00 01 0008 00000007 00000000'))
put('yamux', 'bad-version', h('01 00 0000 00000001 00000000'))

// mplex: header varint (id << 3 | type), length varint, data
put('mplex', 'new-stream', h('08 01 31'))
put('mplex', 'message-initiator', h('0a 05 68656c6c6f'))
put('mplex', 'close-initiator', h('0c 00'))
put('mplex', 'reset-initiator', h('0e 00'))
put('mplex', 'declares-huge', h('0a ffffffff0f'))
put('mplex', 'bad-flag', h('0f 00'))
put('mplex', 'overlong-varint', h('ffffffffffffffffffff 00'))

// noise handshake payload (protobuf) and the first handshake message captured from a real run
const payload = await load('noise', 'payload.js')
const staticKey = seed(9)
put('noise-payload', 'ed25519', await payload.createHandshakePayload(ed, staticKey))
put('noise-payload', 'with-extensions', await payload.createHandshakePayload(ed, staticKey, { webtransportCerthashes: [h('1220' + 'ab'.repeat(32))], streamMuxers: ['/yamux/1.0.0'] }))
put('noise-payload', 'secp256k1', await payload.createHandshakePayload(secp, staticKey))
{
  const { noise } = await load('noise')
  const { multiaddrConnectionPair } = await load('test-utils')
  const { defaultLogger } = await load('utils')
  const [out, inb] = multiaddrConnectionPair()
  const sent = []
  inb.addEventListener('message', (evt) => { sent.push(evt.data.subarray()) })
  const encrypter = noise()({ privateKey: ed, peerId, logger: defaultLogger() })
  const dialing = encrypter.secureOutbound(out, { signal: AbortSignal.timeout(2000) }).catch(() => {})
  while (sent.length === 0) await new Promise(resolve => setTimeout(resolve, 5))
  put('noise-handshake', 'initiator-message-1', Uint8Array.from(sent.flatMap(b => [...b])))
  put('noise-handshake', 'declares-64k', h('ffff 00'))
  put('noise-handshake', 'short-ephemeral', h('0004 01020304'))
  out.abort(new Error('captured'))
  inb.abort(new Error('captured'))
  await dialing
}

// TLS: a certificate and its libp2p extension
const tls = await load('tls')
const cert = await tls.generateCertificate(ed)
put('tls-cert', 'ed25519-cert', cert.der)
put('tls-cert', 'secp256k1-cert', (await tls.generateCertificate(secp)).der)
const certModule = await load('tls', 'certificate.js')
put('tls-extension', 'signed-key', certModule.encodeSignedKey(crypto.publicKeyToProtobuf(ed.publicKey), new Uint8Array(64).fill(7)))
put('tls-extension', 'indefinite-length', h('3080 0400 0400 0000'))
put('tls-extension', 'length-past-end', h('3084ffffffff 04'))

// multiaddrs as bytes (identify listenAddrs / observedAddr, peer records)
for (const [name, text] of Object.entries({
  'ip4-tcp': '/ip4/127.0.0.1/tcp/4001',
  'ip6-udp-quic': '/ip6/::1/udp/4001/quic-v1',
  'dns4-ws-p2p': `/dns4/example.com/tcp/443/wss/p2p/${peerId}`,
  'circuit': `/ip4/1.2.3.4/tcp/1/p2p/${peerId}/p2p-circuit`,
  'memory': '/memory/abc',
  'unix': '/unix/tmp%2Fsock'
})) put('multiaddr', name, multiaddr(text).bytes)
put('multiaddr', 'unknown-code', h('ffff03 00'))
put('multiaddr', 'ip4-truncated', h('04 7f00'))
put('multiaddr', 'dns-huge-length', h('35 ffffffff0f 61'))

// identify
const id = await load('identify', 'message.js')
put('identify', 'full', id.encodeIdentify({
  protocolVersion: 'ipfs/0.1.0',
  agentVersion: 'ts-libp2p/0.1.0',
  publicKey: crypto.publicKeyToProtobuf(ed.publicKey),
  listenAddrs: [multiaddr('/ip4/127.0.0.1/tcp/4001').bytes, multiaddr('/memory/x').bytes],
  observedAddr: multiaddr('/ip4/10.0.0.1/tcp/5555').bytes,
  protocols: ['/ipfs/id/1.0.0', '/ipfs/ping/1.0.0'],
  signedPeerRecord: undefined
}))
put('identify', 'empty', new Uint8Array(0))
put('identify', 'protocols-huge-length', h('3a ffffffff0f 2f'))

// signed envelopes and peer records
const pr = await load('peer-record')
const record = new pr.PeerRecord({ peerId, multiaddrs: [multiaddr('/ip4/127.0.0.1/tcp/4001'), multiaddr('/memory/x')], seq: 1700000000000000000n })
const envelope = await pr.RecordEnvelope.seal(record, ed)
put('envelope', 'peer-record', envelope.marshal())
put('envelope', 'wrong-key', (await pr.RecordEnvelope.seal(record, ed2)).marshal())
put('peer-record', 'two-addrs', record.marshal())

// keys
for (const [name, key] of Object.entries({ ed25519: ed, secp256k1: secp, ecdsa: await crypto.generateKeyPair('ECDSA') })) {
  put('public-key', name, crypto.publicKeyToProtobuf(key.publicKey))
  put('private-key', name, crypto.privateKeyToProtobuf(key))
}
put('public-key', 'rsa-2048', crypto.publicKeyToProtobuf((await crypto.generateKeyPair('RSA', 2048)).publicKey))
put('public-key', 'unknown-type', h('0809 1200'))
put('public-key', 'data-past-end', h('0801 12ff01 00'))

// peer store record
const pb = await load('libp2p', 'peer-store/pb.js')
put('peer-store', 'full', pb.encodeStoredPeer({
  addresses: [{ multiaddr: multiaddr('/ip4/127.0.0.1/tcp/4001').bytes, isCertified: true }],
  protocols: ['/ipfs/ping/1.0.0'],
  publicKey: crypto.publicKeyToProtobuf(ed.publicKey),
  peerRecordEnvelope: envelope.marshal(),
  metadata: [['agent', new TextEncoder().encode('x')]],
  tags: [{ name: 'keep-alive', value: 50, expiry: 0 }]
}))

// ping and perf
put('ping', 'one-ping', new Uint8Array(32).fill(0xa5))
put('ping', 'partial', new Uint8Array(17).fill(1))
put('perf', 'download-1k', h('0000000000000400'))
put('perf', 'download-max-u64', h('ffffffffffffffff'))

// kad-dht RPC messages and pubsub RPC frames
const dht = await load('kad-dht', 'message.js')
put('kad-dht', 'find-node-reply', dht.encodeMessage({ type: 4, key: peerId.toMultihash().bytes, closerPeers: [{ id: peerId.toMultihash().bytes, addrs: [multiaddr('/ip4/1.2.3.4/tcp/4001').bytes], connection: 1 }], providerPeers: [] }))
put('kad-dht', 'put-value', dht.encodeMessage({ type: 0, key: new TextEncoder().encode('/pk/x'), record: { key: new TextEncoder().encode('/pk/x'), value: crypto.publicKeyToProtobuf(ed.publicKey), timeReceived: '' }, closerPeers: [], providerPeers: [] }))
put('kad-dht', 'unknown-type', h('0809'))
const rpc = await load('pubsub', 'pb/rpc.js')
put('pubsub', 'subscribe-and-publish', rpc.encodeRpc({ subscriptions: [{ subscribe: true, topic: 'news' }], messages: [{ from: peerId.toMultihash().bytes, data: new TextEncoder().encode('hello'), seqno: new Uint8Array(8).fill(1), topic: 'news' }] }))
put('pubsub', 'control', rpc.encodeRpc({ subscriptions: [], messages: [], control: { ihave: [{ topicID: 'news', messageIDs: [new Uint8Array(20).fill(3)] }], iwant: [{ messageIDs: [new Uint8Array(20).fill(3)] }], graft: [{ topicID: 'news' }], prune: [{ topicID: 'news', peers: [] }], idontwant: [] } }))

console.info(Object.entries(written).map(([t, n]) => `${t}: ${n}`).join('\n'))
