// The per-byte ceiling of an encrypted transfer: node:crypto ChaCha20-Poly1305 seal + open of `chunk`-byte
// messages in a plain loop (no streams, framing or I/O), shared by the noise benchmarks.
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto'

/**
 * Seals and opens `mib` MiB in `chunk`-byte messages, each with its own nonce. Returns MiB/s (each byte counted
 * once, as a one-way transfer would) and the CPU seconds per GiB the loop used.
 */
export function aeadCeiling (mib, chunk = 64 * 1024) {
  const key = randomBytes(32)
  const nonce = Buffer.alloc(12)
  const payload = randomBytes(chunk)
  const rounds = (mib * 1024 * 1024) / chunk
  const cpu = process.cpuUsage()
  const start = performance.now()
  for (let i = 0; i < rounds; i++) {
    nonce.writeUInt32LE(i, 4)
    const c = createCipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
    const ct = c.update(payload)
    c.final()
    const tag = c.getAuthTag()
    const d = createDecipheriv('chacha20-poly1305', key, nonce, { authTagLength: 16 })
    d.setAuthTag(tag)
    d.update(ct)
    d.final()
  }
  const ms = performance.now() - start
  const used = process.cpuUsage(cpu)
  return { mibs: mib / (ms / 1000), cpuPerGiB: (used.user + used.system) / 1e6 / (mib / 1024) }
}
