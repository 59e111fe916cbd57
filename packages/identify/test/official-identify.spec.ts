/**
 * Interop with the official js-libp2p identify service (@libp2p/identify 4),
 * run as a service inside our node (its components are structurally
 * compatible), in both directions over real noise + yamux connections: each
 * side must store what the other said, including the signed peer record
 * sealed by the other implementation. Needs the Promise.withResolvers
 * polyfill on Node 20, hence the official-*.spec.ts name.
 */
import { identify as officialIdentify, identifyPush as officialIdentifyPush } from '@libp2p/identify'
import { expect } from 'chai'
import { AGENT_VERSION_KEY, IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, identify } from '../src/index.js'
import { eventually, node, stopNodes } from './fixtures.js'
import type { Libp2pNode } from '@ts-libp2p/libp2p'

async function knows (n: Libp2pNode, other: Libp2pNode, protocol: string): Promise<boolean> {
  return await eventually(async () => (await n.peerStore.get(other.peerId).catch(() => undefined))?.protocols.includes(protocol) === true)
}

describe('identify against the official @libp2p/identify', () => {
  afterEach(stopNodes)

  for (const dialer of ['ours', 'official'] as const) {
    it(`identifies both ways when ${dialer === 'ours' ? 'our' : 'the official'} node dials`, async () => {
      const ours = await node({ services: { identify: identify({ agentVersion: 'ours/1' }) } })
      const official = await node({ nodeInfo: { userAgent: 'official/1' } as any, services: { identify: officialIdentify() as any, push: officialIdentifyPush() as any } })
      await ours.handle('/ours-only/1.0.0', async (s) => { await s.close() })
      await official.handle('/official-only/1.0.0', async (s) => { await s.close() })
      if (dialer === 'ours') await ours.dial(official.getMultiaddrs()[0])
      else await official.dial(ours.getMultiaddrs()[0])

      expect(await knows(ours, official, '/official-only/1.0.0')).to.equal(true)
      expect(await knows(official, ours, '/ours-only/1.0.0')).to.equal(true)

      const theirs = await ours.peerStore.get(official.peerId)
      expect(new TextDecoder().decode(theirs.metadata.get(AGENT_VERSION_KEY))).to.equal('official/1')
      expect(theirs.peerRecordEnvelope).to.be.an.instanceOf(Uint8Array)
      expect(theirs.addresses.filter(a => a.isCertified).map(a => a.multiaddr.toString())).to.include(official.components.addressManager.getAddresses()[0].toString())

      const mine = await official.peerStore.get(ours.peerId)
      expect(new TextDecoder().decode(mine.metadata.get(AGENT_VERSION_KEY))).to.equal('ours/1')
      expect(mine.peerRecordEnvelope).to.be.an.instanceOf(Uint8Array)
      expect(mine.protocols).to.include.members([IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL])
    })
  }

  it('our push reaches the official node, and the official push reaches ours', async function () {
    this.timeout(10_000)
    const ours = await node({ services: { identify: identify() } })
    const official = await node({ services: { identify: officialIdentify() as any, push: officialIdentifyPush() as any } })
    await ours.dial(official.getMultiaddrs()[0])
    expect(await knows(official, ours, IDENTIFY_PUSH_PROTOCOL)).to.equal(true)
    expect(await knows(ours, official, IDENTIFY_PUSH_PROTOCOL)).to.equal(true)
    await ours.handle('/ours-later/1.0.0', async (s) => { await s.close() })
    await official.handle('/official-later/1.0.0', async (s) => { await s.close() })
    expect(await knows(official, ours, '/ours-later/1.0.0')).to.equal(true)
    expect(await eventually(async () => (await ours.peerStore.get(official.peerId)).protocols.includes('/official-later/1.0.0'), 4_000)).to.equal(true)
  })
})
