/**
 * ChaCha20-Poly1305 seal and open of one message per size, CPU microseconds
 * per call, for the three implementations a noise transport could use on
 * Node: node:crypto (ours), @noble/ciphers (our portable backend) and
 * @chainsafe/as-chacha20poly1305 (WebAssembly; the official noise uses it
 * below 1200 bytes). Answers "below which size is another implementation
 * faster than node:crypto" on this Node:
 *
 *   node benchmarks/noise/aead-sizes.mjs
 *   node_modules/node24/bin/node benchmarks/noise/aead-sizes.mjs
 */
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'
import { chacha20poly1305 } from '@noble/ciphers/chacha.js'
import { newInstance, ChaCha20Poly1305 } from '@chainsafe/as-chacha20poly1305'

const key = randomBytes(32)
const nonce = Buffer.alloc(12)
const empty = new Uint8Array(0)
const wasm = new ChaCha20Poly1305(newInstance())
const sizes = [16, 64, 128, 256, 512, 768, 1024, 1536, 2048, 4096, 16384, 65519]

function nodeSeal (p) {
  const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
  const ct = c.update(p)
  c.final()
  return [ct, c.getAuthTag()]
}
function nodeOpen (ct, tag) {
  const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
  d.setAuthTag(tag)
  const pt = d.update(ct)
  d.final()
  return pt
}

/** CPU microseconds per call, after a warm-up of a tenth as many calls. */
function time (fn, n) {
  for (let i = 0; i < n / 10; i++) fn()
  const t = process.cpuUsage()
  for (let i = 0; i < n; i++) fn()
  const u = process.cpuUsage(t)
  return (u.user + u.system) / n
}

console.log(`node ${process.version}: CPU us per call (seal / open)`)
console.log('bytes\tnode:crypto\t\tnoble\t\t\twasm (official < 1200 B)')
for (const s of sizes) {
  const p = randomBytes(s)
  const [ct, tag] = nodeSeal(p)
  const sealed = Buffer.concat([ct, tag])
  const n = Math.max(500, Math.floor(2e6 / s))
  const f = (x) => x.toFixed(2).padStart(6)
  const row = [
    [time(() => nodeSeal(p), n), time(() => nodeOpen(ct, tag), n)],
    [time(() => chacha20poly1305(key, nonce).encrypt(p), n), time(() => chacha20poly1305(key, nonce).decrypt(sealed), n)],
    [time(() => wasm.seal(key, nonce, p, empty), n), time(() => wasm.open(key, nonce, sealed, empty), n)]
  ]
  console.log(`${s}\t${row.map(([a, b]) => `${f(a)} / ${f(b)}`).join('\t')}`)
}
