import { Uint8ArrayList } from 'uint8arraylist'
import type { MessageStream } from '@ts-libp2p/interface'

export async function delay (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

/** The error `promise` rejects with; fails the test if it resolves. */
export async function rejection (promise: Promise<unknown>): Promise<any> {
  try {
    await promise
  } catch (err) {
    return err
  }
  throw new Error('Expected the promise to reject, it resolved')
}

/** Everything the stream yields, concatenated. */
export async function readAll (stream: AsyncIterable<Uint8Array | Uint8ArrayList>): Promise<Uint8Array> {
  const list = new Uint8ArrayList()
  for await (const chunk of stream) {
    list.append(chunk)
  }
  return list.subarray()
}

/** Sends `data` in `chunkSize` pieces honouring backpressure; returns how often it had to wait. */
export async function writeAll (stream: MessageStream, data: Uint8Array, chunkSize = 65_536): Promise<number> {
  let waits = 0
  for (let offset = 0; offset < data.byteLength; offset += chunkSize) {
    if (!stream.send(data.subarray(offset, offset + chunkSize))) {
      waits++
      await stream.onDrain({ signal: AbortSignal.timeout(10_000) })
    }
  }
  return waits
}

/** Deterministic pseudo-random bytes, so a corruption shows as a mismatch. */
export function pattern (length: number, seed = 1): Uint8Array {
  const out = new Uint8Array(length)
  let x = seed
  for (let i = 0; i < length; i++) {
    x = (x * 1103515245 + 12345) >>> 0
    out[i] = x >>> 24
  }
  return out
}

export function equalBytes (a: Uint8Array, b: Uint8Array): boolean {
  return a.byteLength === b.byteLength && Buffer.compare(a, b) === 0
}
