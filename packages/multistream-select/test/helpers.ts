/**
 * Small helpers shared by the spec files (not a spec itself).
 */
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import type { MessageStream } from '@ts-libp2p/interface'

export const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
export const dec = (b: Uint8Array | Uint8ArrayList): string => new TextDecoder().decode(b instanceof Uint8Array ? b : b.subarray())
export const hex = (b: Uint8Array | Uint8ArrayList): string => Buffer.from(b instanceof Uint8Array ? b : b.subarray()).toString('hex')
export const fromHex = (text: string): Uint8Array => new Uint8Array(Buffer.from(text, 'hex'))
export const concat = (...parts: Uint8Array[]): Uint8Array => new Uint8ArrayList(...parts).subarray()

/** Resolves with the rejection of `promise`, checking its name. */
export async function rejection (promise: Promise<unknown>, name?: string): Promise<Error> {
  try {
    await promise
  } catch (err: any) {
    if (name != null) {
      expect(err.name).to.equal(name, err.message)
    }
    return err
  }
  throw new Error(`expected a rejection${name != null ? ` with ${name}` : ''}`)
}

/** Reads exactly `n` bytes from `stream` by iterating it, then stops iterating. */
export async function readBytes (stream: MessageStream, n: number): Promise<Uint8ArrayList> {
  const got = new Uint8ArrayList()
  if (n === 0) {
    return got
  }
  for await (const chunk of stream) {
    got.append(chunk)
    if (got.byteLength >= n) {
      break
    }
  }
  return got
}

/** Records every chunk `stream` delivers through `message` events, as separate chunks. */
export function recordChunks (stream: MessageStream): Uint8Array[] {
  const chunks: Uint8Array[] = []
  stream.addEventListener('message', (evt) => {
    chunks.push(evt.data instanceof Uint8Array ? evt.data : evt.data.subarray())
  })
  return chunks
}

/** Waits until `check()` is true, polling on timers (at most `ms`). */
export async function until (check: () => boolean, ms = 1000): Promise<void> {
  const end = Date.now() + ms
  while (!check()) {
    if (Date.now() > end) {
      throw new Error('condition not reached in time')
    }
    await new Promise(resolve => setTimeout(resolve, 1))
  }
}

/** Lets every queued microtask and one timer turn run. */
export async function settle (): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, 5))
}
