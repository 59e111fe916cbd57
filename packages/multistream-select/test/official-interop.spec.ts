/**
 * Cross-checks against the official js implementation
 * (@libp2p/multistream-select 7, installed with `libp2p`): our dialer with
 * their listener and theirs with ours, over the official in-memory stream
 * pair of @libp2p/utils. Runs with the Promise.withResolvers polyfill (see
 * scripts/test.mjs), which official js-libp2p 3.x needs on Node 20.
 */
import * as official from '@libp2p/multistream-select'
import { streamPair } from '@libp2p/utils'
import { expect } from 'chai'
import { Uint8ArrayList } from 'uint8arraylist'
import { handle, ls, select } from '../src/index.js'
import type { Stream } from '@libp2p/interface'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const dec = (b: Uint8Array | Uint8ArrayList): string => new TextDecoder().decode(b instanceof Uint8Array ? b : b.subarray())

/** Resolves with the first `n` bytes read from `stream` as text. */
async function readText (stream: Stream, n: number): Promise<string> {
  const got = new Uint8ArrayList()
  for await (const chunk of stream) {
    got.append(chunk)
    if (got.byteLength >= n) {
      break
    }
  }
  return dec(got)
}

async function expectRejection (promise: Promise<unknown>): Promise<Error> {
  try {
    await promise
  } catch (err: any) {
    return err
  }
  throw new Error('expected a rejection')
}

describe('cross-check with the official @libp2p/multistream-select', function () {
  this.timeout(5000)

  it('our select (full) with their handle', async () => {
    const [outbound, inbound] = await streamPair()
    const [ours, theirs] = await Promise.all([
      select(outbound, ['/x/1.0.0', '/echo/1.0.0'], { negotiateFully: true, signal: AbortSignal.timeout(2000) }),
      official.handle(inbound, ['/echo/1.0.0'], { signal: AbortSignal.timeout(2000) })
    ])
    expect(ours.protocol).to.equal('/echo/1.0.0')
    expect(theirs).to.equal('/echo/1.0.0')

    outbound.send(enc('hello'))
    expect(await readText(inbound, 5)).to.equal('hello')
  })

  it('their select with our handle', async () => {
    const [outbound, inbound] = await streamPair()
    const [theirs, ours] = await Promise.all([
      official.select(outbound, ['/x/1.0.0', '/echo/1.0.0'], { signal: AbortSignal.timeout(2000) }),
      handle(inbound, ['/echo/1.0.0', '/other/1.0.0'], { signal: AbortSignal.timeout(2000) })
    ])
    expect(theirs).to.equal('/echo/1.0.0')
    expect(ours.protocol).to.equal('/echo/1.0.0')

    inbound.send(enc('world'))
    expect(await readText(outbound, 5)).to.equal('world')
  })

  it('their select fails with UnsupportedProtocolError against our handle', async () => {
    const [outbound, inbound] = await streamPair()
    const ours = handle(inbound, ['/echo/1.0.0'], { signal: AbortSignal.timeout(2000) })
    ours.catch(() => {})
    const err = await expectRejection(official.select(outbound, ['/a', '/b'], { signal: AbortSignal.timeout(2000) }))
    expect(err.name).to.equal('UnsupportedProtocolError')
    outbound.abort(err)
    expect((await expectRejection(ours)).name).to.not.equal(undefined)
  })

  it('our select fails with UnsupportedProtocolError against their handle', async () => {
    const [outbound, inbound] = await streamPair()
    const theirs = official.handle(inbound, ['/echo/1.0.0'], { signal: AbortSignal.timeout(2000) })
    theirs.catch(() => {})
    const err = await expectRejection(select(outbound, ['/a', '/b'], { signal: AbortSignal.timeout(2000) }))
    expect(err.name).to.equal('UnsupportedProtocolError')
    outbound.abort(err)
  })

  it('our optimistic select carries the first data to their handle', async () => {
    const [outbound, inbound] = await streamPair()
    const theirs = official.handle(inbound, ['/echo/1.0.0'], { signal: AbortSignal.timeout(2000) })
    const { protocol } = await select(outbound, '/echo/1.0.0')
    expect(protocol).to.equal('/echo/1.0.0')
    outbound.send(enc('early data'))
    expect(await theirs).to.equal('/echo/1.0.0')
    expect(await readText(inbound, 10)).to.equal('early data')

    // their listener's echo is consumed before our reader sees the reply
    inbound.send(enc('reply'))
    expect(await readText(outbound, 5)).to.equal('reply')
  })

  it('our optimistic select is aborted when their handle refuses', async () => {
    const [outbound, inbound] = await streamPair()
    const theirs = official.handle(inbound, ['/echo/1.0.0'], { signal: AbortSignal.timeout(2000) })
    theirs.catch(() => {})
    await select(outbound, '/nope/1.0.0')
    const closed = new Promise<Error | undefined>(resolve => {
      outbound.addEventListener('close', (evt) => { resolve(evt.error) }, { once: true })
    })
    outbound.send(enc('early data'))
    const err = await closed
    expect(err?.name).to.equal('UnsupportedProtocolError')
    inbound.abort(new Error('test over'))
  })

  it('our ls reads their listing', async () => {
    const [outbound, inbound] = await streamPair()
    const theirs = official.handle(inbound, ['/a/1.0.0', '/b/2.0.0'], { signal: AbortSignal.timeout(2000) })
    const listed = await ls(outbound, { signal: AbortSignal.timeout(2000) })
    expect(listed).to.deep.equal(['/a/1.0.0', '/b/2.0.0'])
    const { protocol } = await select(outbound, '/b/2.0.0', { headerExchanged: true, negotiateFully: true, signal: AbortSignal.timeout(2000) })
    expect(protocol).to.equal('/b/2.0.0')
    expect(await theirs).to.equal('/b/2.0.0')
  })
})
