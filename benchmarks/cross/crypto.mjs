#!/usr/bin/env node
// The cipher ceiling: ChaCha20-Poly1305 seal + open of 64 KiB messages in one process, node:crypto and
// @noble/ciphers (pure JS, for reference), the AEAD of the noise transport (96-bit nonce, 16-byte tag).
//
//   node benchmarks/cross/crypto.mjs <MiB for node:crypto> <MiB for noble> <runs>   -> one JSON line
//
// MiB/s counts the plaintext once (each byte is sealed and opened once), as a one-way transfer over
// noise would. Each opened message is compared with the original (first and last byte) so that the work
// cannot be skipped.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'

const CHUNK = 64 * 1024
const TAG = 16
const [nodeMiB, nobleMiB, runs] = process.argv.slice(2).map(Number)
const key = randomBytes(32)
const plain = randomBytes(CHUNK)

function nonceOf (n) {
  const nonce = Buffer.alloc(12)
  nonce.writeUInt32LE(n, 4)
  return nonce
}

function nodeRound (mib) {
  const count = mib * 1024 * 1024 / CHUNK
  for (let i = 0; i < count; i++) {
    const nonce = nonceOf(i)
    const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG })
    const sealed = c.update(plain)
    c.final()
    const tag = c.getAuthTag()
    const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: TAG })
    d.setAuthTag(tag)
    const opened = d.update(sealed)
    d.final()
    if (opened[0] !== plain[0] || opened[CHUNK - 1] !== plain[CHUNK - 1]) throw new Error('node:crypto round trip failed')
  }
}

function nobleRound (mib) {
  const count = mib * 1024 * 1024 / CHUNK
  for (let i = 0; i < count; i++) {
    const nonce = nonceOf(i)
    const sealed = chacha20poly1305(key, nonce).encrypt(plain)
    const opened = chacha20poly1305(key, nonce).decrypt(sealed)
    if (opened[0] !== plain[0] || opened[CHUNK - 1] !== plain[CHUNK - 1]) throw new Error('noble round trip failed')
  }
}

function time (fn, mib) {
  const start = performance.now()
  fn(mib)
  return mib / ((performance.now() - start) / 1000)
}

nodeRound(4); nobleRound(1) // warm-up
const node = []
const noble = []
for (let r = 0; r < runs; r++) {
  node.push(time(nodeRound, nodeMiB))
  noble.push(time(nobleRound, nobleMiB))
}
console.log(JSON.stringify({ nodeMiB, nobleMiB, runs, node, noble }))
