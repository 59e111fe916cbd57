#!/usr/bin/env node
// The node:crypto work one side of a noise XX handshake (libp2p-noise, X25519 + ChaChaPoly + SHA-256, Ed25519
// identity) cannot avoid, measured on this machine: the floor under "connections/s" in connections.mjs.
//
//   node benchmarks/node/crypto-floor.mjs [iterations]
//
// Per operation: CPU microseconds (process.cpuUsage, user + system) over `iterations` calls, median of 5 runs.
// Per handshake side (both roles do the same counts in XX):
// - 1 X25519 key generation (the ephemeral key) and 3 X25519 Diffie-Hellman (ee, es/se, and se/es);
// - 1 Ed25519 verification of the remote's signature over its static key;
// - 1 Ed25519 signature of our static key (ours signs once per noise instance and reuses it: 0 per connection);
// - turning the remote's raw keys into key objects for DH and verify (ours caches the remote identity and static
//   keys it has seen: in the benchmark's loop the remote is always the same peer, so 1 ephemeral import remains);
// - 4 HKDF-SHA256 (3 MixKey + Split), about 8 SHA-256 of the handshake hash, 2 AEAD seals and 2 opens of
//   handshake payloads (about 100-200 bytes), plus the transport frames of the benchmark's stream (a few seals
//   and opens of under 100 bytes each).
import crypto from 'node:crypto'

const iterations = Number(process.argv[2] ?? 2000)

function cpu (fn) {
  const runs = []
  for (let r = 0; r < 5; r++) {
    const start = process.cpuUsage()
    for (let i = 0; i < iterations; i++) fn(i)
    const used = process.cpuUsage(start)
    runs.push((used.user + used.system) / iterations)
  }
  runs.sort((a, b) => a - b)
  return runs[2]
}

const a = crypto.generateKeyPairSync('x25519')
const b = crypto.generateKeyPairSync('x25519')
const bPubRaw = b.publicKey.export({ format: 'jwk' }).x
const id = crypto.generateKeyPairSync('ed25519')
const message = crypto.randomBytes(32)
const signature = crypto.sign(null, message, id.privateKey)
const idPubJwk = id.publicKey.export({ format: 'jwk' })
const key = crypto.randomBytes(32)
const nonce = Buffer.alloc(12)
const payload = crypto.randomBytes(150)
const sealed = (() => {
  const c = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
  const out = Buffer.concat([c.update(payload), c.final()])
  return { out, tag: c.getAuthTag() }
})()

const results = {
  'X25519 keygen': cpu(() => crypto.generateKeyPairSync('x25519')),
  'X25519 DH': cpu(() => crypto.diffieHellman({ privateKey: a.privateKey, publicKey: b.publicKey })),
  'X25519 public key import (JWK)': cpu(() => crypto.createPublicKey({ key: { kty: 'OKP', crv: 'X25519', x: bPubRaw }, format: 'jwk' })),
  'Ed25519 sign': cpu(() => crypto.sign(null, message, id.privateKey)),
  'Ed25519 verify': cpu(() => crypto.verify(null, message, id.publicKey, signature)),
  'Ed25519 public key import (JWK)': cpu(() => crypto.createPublicKey({ key: idPubJwk, format: 'jwk' })),
  'HKDF-SHA256 (64 bytes)': cpu(() => crypto.hkdfSync('sha256', key, message, Buffer.alloc(0), 64)),
  'SHA-256 (100 bytes)': cpu(() => crypto.createHash('sha256').update(payload.subarray(0, 100)).digest()),
  'ChaChaPoly seal (150 bytes)': cpu(() => {
    const c = crypto.createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
    c.update(payload); c.final(); c.getAuthTag()
  }),
  'ChaChaPoly open (150 bytes)': cpu(() => {
    const d = crypto.createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
    d.setAuthTag(sealed.tag); d.update(sealed.out); d.final()
  })
}

const r = results
// one handshake side of ours in the benchmark loop (remote identity and static key cached, own signature cached)
const oursSide = r['X25519 keygen'] + 3 * r['X25519 DH'] + r['X25519 public key import (JWK)'] + r['Ed25519 verify'] +
  4 * r['HKDF-SHA256 (64 bytes)'] + 8 * r['SHA-256 (100 bytes)'] + 2 * r['ChaChaPoly seal (150 bytes)'] + 2 * r['ChaChaPoly open (150 bytes)']
// the same without caches: a new remote peer each time, own signature made per handshake
const uncachedSide = oursSide + r['Ed25519 sign'] + r['Ed25519 public key import (JWK)'] + r['X25519 public key import (JWK)']
// the benchmark's stream: about 4 transport seals and 4 opens per side (stream open + negotiation + echo + close)
const transport = 4 * r['ChaChaPoly seal (150 bytes)'] + 4 * r['ChaChaPoly open (150 bytes)']

for (const [name, us] of Object.entries(results)) console.log(`${name.padEnd(36)} ${us.toFixed(1).padStart(7)} us`)
console.log(`\nper handshake side, caches as in the loop (ours)     ${oursSide.toFixed(0)} us`)
console.log(`per handshake side, no caches (new peer each time)   ${uncachedSide.toFixed(0)} us`)
console.log(`transport frames of the benchmark's stream, per side ${transport.toFixed(0)} us`)
console.log(`crypto floor per connection and side (ours)          ${(oursSide + transport).toFixed(0)} us`)
console.log(JSON.stringify({ iterations, perOperationUs: results, oursSideUs: oursSide, uncachedSideUs: uncachedSide, transportUs: transport }))
