import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { OBSERVED_ADDR_ACTIVATION_THRESHOLD } from '../src/constants.js'
import { ObservedAddrs } from '../src/observed-addrs.js'
import type { PeerId } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

async function peers (n: number): Promise<PeerId[]> {
  return await Promise.all(Array.from({ length: n }, async () => peerIdFromPrivateKey(await generateKeyPair('Ed25519'))))
}

function stubAddressManager (): { added: string[], confirmed: string[], addObservedAddr(ma: Multiaddr): void, confirmObservedAddr(ma: Multiaddr): void } {
  const added: string[] = []
  const confirmed: string[] = []
  return {
    added,
    confirmed,
    addObservedAddr: (ma) => { added.push(ma.toString()) },
    confirmObservedAddr: (ma) => { confirmed.push(ma.toString()) }
  }
}

describe('observed addresses', () => {
  const addr = multiaddr('/ip4/203.0.113.7/tcp/4001')

  it(`confirms an address once ${OBSERVED_ADDR_ACTIVATION_THRESHOLD} distinct peers reported it (go-libp2p ActivationThresh)`, async () => {
    const am = stubAddressManager()
    const observed = new ObservedAddrs(am)
    const reporters = await peers(OBSERVED_ADDR_ACTIVATION_THRESHOLD)
    for (const [i, reporter] of reporters.entries()) {
      // the same peer reporting again does not count
      observed.report(addr, reporter)
      const confirmedNow = observed.report(addr, reporter)
      expect(confirmedNow).to.equal(false)
      if (i < reporters.length - 1) expect(am.confirmed).to.deep.equal([])
    }
    expect(am.added).to.deep.equal([addr.toString()])
    expect(am.confirmed).to.deep.equal([addr.toString()])
    // later reports of a confirmed address do nothing
    expect(observed.report(addr, reporters[0])).to.equal(false)
    expect(am.confirmed).to.have.length(1)
  })

  it('honours a custom threshold', async () => {
    const am = stubAddressManager()
    const observed = new ObservedAddrs(am, { threshold: 1 })
    const [reporter] = await peers(1)
    expect(observed.report(addr, reporter)).to.equal(true)
    expect(am.confirmed).to.deep.equal([addr.toString()])
  })

  it('tracks a bounded number of candidates, forgetting the oldest', async () => {
    const am = stubAddressManager()
    const observed = new ObservedAddrs(am, { maxTracked: 3, threshold: 2 })
    const [one, two] = await peers(2)
    for (let port = 1; port <= 10; port++) observed.report(multiaddr(`/ip4/203.0.113.7/tcp/${port}`), one)
    expect(observed.tracked).to.equal(3)
    // port 1 was forgotten, so a second reporter starts it again rather than confirming it
    expect(observed.report(multiaddr('/ip4/203.0.113.7/tcp/1'), two)).to.equal(false)
    expect(observed.report(multiaddr('/ip4/203.0.113.7/tcp/10'), two)).to.equal(true)
  })
})
