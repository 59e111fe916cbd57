import { defaultLogger } from '@ts-libp2p/utils'
import { stubEvents } from '@ts-libp2p/test-utils'
import { peerDiscoverySymbol } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { Bootstrap, parseList } from '../src/bootstrap.js'
import { MAX_LIST_LENGTH, TAG_NAME, TAG_TTL, TAG_VALUE, bootstrap } from '../src/index.js'
import { eventually, memoryAddress, node, stopNodes } from './fixtures.js'
import type { BootstrapComponents, BootstrapInit } from '../src/index.js'
import type { Libp2pEvents, PeerId, PeerInfo } from '@ts-libp2p/interface'

// peer ids of the public IPFS bootstrap list: valid ids nobody dials in these tests
const ID1 = 'QmNnooDu7bfjPFoTZYxMNLWUQJyrVwtbZg5gBMjTezGAJN'
const ID2 = 'QmQCU2EcMqAqQPR2i9bChDtGNJchTbq5TbXJJ16u19uLTa'
const RELAY = 'QmbLHAnMoJPWSCR5Zhtx6BHJX9KiKNN6tpvbUcqanj75Nb'

function thrown (fn: () => unknown): Error {
  try {
    fn()
  } catch (err: any) {
    return err
  }
  throw new Error('expected a throw')
}

/** Stub components that record merges and dials; dials fail unless `connect` says otherwise. */
function stubs (connect: (id: PeerId) => boolean = () => false): BootstrapComponents & { merges: Array<{ id: string, data: any }>, dials: Array<{ id: string, at: number }>, events: ReturnType<typeof stubEvents<Libp2pEvents>> } {
  const merges: Array<{ id: string, data: any }> = []
  const dials: Array<{ id: string, at: number }> = []
  return {
    merges,
    dials,
    events: stubEvents<Libp2pEvents>(),
    logger: defaultLogger(),
    peerStore: { merge: async (id: PeerId, data: any) => { merges.push({ id: id.toString(), data }); return {} as any } },
    connectionManager: {
      openConnection: async (peer: any) => {
        dials.push({ id: peer.toString(), at: Date.now() })
        if (connect(peer)) return {} as any
        throw new Error('no route')
      }
    }
  }
}

async function sleep (ms: number): Promise<void> {
  await new Promise(resolve => setTimeout(resolve, ms))
}

describe('bootstrap', () => {
  describe('the list', () => {
    it('parses entries into one PeerInfo per peer, merging addresses and taking the last /p2p/', () => {
      const peers = parseList([
        `/ip4/192.0.2.1/tcp/4001/p2p/${ID1}`,
        `/ip6/2001:db8::1/udp/4001/quic-v1/p2p/${ID1}`,
        `/ip4/192.0.2.1/tcp/4001/p2p/${ID1}`,
        `/ip4/192.0.2.2/tcp/4001/p2p/${RELAY}/p2p-circuit/p2p/${ID2}`
      ])
      expect(peers.map(p => p.id.toString())).to.deep.equal([ID1, ID2])
      expect(peers[0].multiaddrs.map(String)).to.deep.equal([`/ip4/192.0.2.1/tcp/4001/p2p/${ID1}`, `/ip6/2001:db8::1/udp/4001/quic-v1/p2p/${ID1}`])
      expect(peers[1].multiaddrs).to.have.length(1)
    })

    for (const [what, list] of [
      ['an empty list', []],
      ['no list', undefined],
      ['a non-array', `/ip4/192.0.2.1/tcp/4001/p2p/${ID1}`],
      ['a non-string entry', [42]],
      ['an entry that is not a multiaddr', ['not a multiaddr']],
      ['an entry without /p2p/', ['/ip4/192.0.2.1/tcp/4001']],
      ['an entry with a bad peer id', ['/ip4/192.0.2.1/tcp/4001/p2p/QmNotAPeerId']],
      ['a list over the limit', new Array(MAX_LIST_LENGTH + 1).fill(`/ip4/192.0.2.1/tcp/4001/p2p/${ID1}`)]
    ] as Array<[string, any]>) {
      it(`rejects ${what} with InvalidBootstrapListError when the factory is made`, () => {
        expect(thrown(() => bootstrap({ list })).name).to.equal('InvalidBootstrapListError')
        expect(thrown(() => new Bootstrap(stubs(), { list })).name).to.equal('InvalidBootstrapListError')
      })
    }

    it('rejects a negative delay with InvalidParametersError', () => {
      expect(thrown(() => new Bootstrap(stubs(), { list: [`/ip4/192.0.2.1/tcp/4001/p2p/${ID1}`], timeout: -1 })).name).to.equal('InvalidParametersError')
    })
  })

  describe('with stub components', () => {
    const list = [`/ip4/192.0.2.1/tcp/4001/p2p/${ID1}`, `/ip4/192.0.2.2/tcp/4001/p2p/${ID2}`]
    let discovery: Bootstrap | undefined
    afterEach(() => { discovery?.stop() })

    function make (components: BootstrapComponents, init: Partial<BootstrapInit> = {}): Bootstrap {
      discovery = new Bootstrap(components, { list, ...init })
      return discovery
    }

    it('is a PeerDiscovery: after the delay it tags, announces and dials every peer', async () => {
      const c = stubs(() => true)
      const d = make(c, { timeout: 30 })
      expect(d[peerDiscoverySymbol]).to.equal(d)
      const found: PeerInfo[] = []
      d.addEventListener('peer', (evt) => { found.push(evt.detail) })
      d.start()
      d.afterStart()
      await sleep(10)
      expect(c.merges).to.have.length(0)
      await eventually(() => c.dials.length === 2, 1_000, 'two dials')
      expect(found.map(p => p.id.toString()).sort()).to.deep.equal([ID1, ID2].sort())
      expect(c.merges.map(m => m.id).sort()).to.deep.equal([ID1, ID2].sort())
      expect(c.merges[0].data.tags).to.deep.equal({ [TAG_NAME]: { value: TAG_VALUE, ttl: TAG_TTL } })
      expect(c.merges[0].data.multiaddrs).to.have.length(1)
    })

    it('uses the configured tag', async () => {
      const c = stubs(() => true)
      const d = make(c, { timeout: 0, tagName: 'seed', tagValue: 7, tagTTL: 1_000 })
      d.start()
      d.afterStart()
      await eventually(() => c.merges.length === 2, 1_000, 'two merges')
      expect(c.merges[0].data.tags).to.deep.equal({ seed: { value: 7, ttl: 1_000 } })
    })

    it('redials a failing peer with a doubling backoff, and stop() cancels everything', async () => {
      const c = stubs()
      const d = make(c, { list: [list[0]], timeout: 0, reconnectDelay: 40, maxReconnectDelay: 1_000 })
      d.start()
      d.afterStart()
      await eventually(() => c.dials.length >= 3, 2_000, 'three dials')
      const gaps = [c.dials[1].at - c.dials[0].at, c.dials[2].at - c.dials[1].at]
      expect(gaps[0]).to.be.at.least(70) // 40 * 2 after the first failure
      expect(gaps[1]).to.be.at.least(150) // 40 * 4 after the second
      d.stop()
      const count = c.dials.length
      await sleep(400)
      expect(c.dials.length).to.equal(count)
    })

    it('redials a peer that disconnects, not one that is not on the list, and stops listening on stop()', async () => {
      const c = stubs(() => true)
      const d = make(c, { timeout: 0, reconnectDelay: 20 })
      d.start()
      d.afterStart()
      await eventually(() => c.dials.length === 2, 1_000, 'two dials')
      const { peerIdFromString } = await import('@ts-libp2p/peer-id')
      c.events.safeDispatchEvent('peer:disconnect', { detail: peerIdFromString(ID1) })
      c.events.safeDispatchEvent('peer:disconnect', { detail: peerIdFromString(RELAY) })
      await eventually(() => c.dials.length === 3, 1_000, 'a redial')
      expect(c.dials[2].id).to.equal(ID1)
      await sleep(60)
      expect(c.dials).to.have.length(3)
      d.stop()
      c.events.safeDispatchEvent('peer:disconnect', { detail: peerIdFromString(ID1) })
      await sleep(60)
      expect(c.dials).to.have.length(3)
    })

    it('does nothing when stopped before the delay ends', async () => {
      const c = stubs(() => true)
      const d = make(c, { timeout: 50 })
      let announced = 0
      d.addEventListener('peer', () => { announced++ })
      d.start()
      d.afterStart()
      d.stop()
      await sleep(120)
      expect(c.dials).to.have.length(0)
      expect(c.merges).to.have.length(0)
      expect(announced).to.equal(0)
    })
  })

  describe('with real nodes', () => {
    afterEach(stopNodes)

    it('node A discovers, tags and connects to its bootstrap peer B, and reconnects after B restarts', async function () {
      this.timeout(10_000)
      const address = memoryAddress()
      let b = await node({ addresses: { listen: [address] } })
      const bAddr = `${address}/p2p/${b.peerId}`
      const discovered: string[] = []
      // the node's own dialer backs a failed peer off for 5 s; shortened here so the test takes about a second
      const a = await node({
        connectionManager: { dialBackoff: 100 },
        peerDiscovery: [bootstrap({ list: [bAddr], timeout: 10, reconnectDelay: 100, maxReconnectDelay: 400 })]
      })
      a.addEventListener('peer:discovery', (evt) => { discovered.push(evt.detail.id.toString()) })

      await eventually(() => a.getConnections(b.peerId).length > 0, 3_000, 'A connected to B')
      expect(discovered).to.include(b.peerId.toString())
      const peer = await a.peerStore.get(b.peerId)
      expect(peer.tags.get(TAG_NAME)?.value).to.equal(TAG_VALUE)
      expect(peer.addresses.map(a => a.multiaddr.toString()).some(s => s.startsWith(address))).to.equal(true)

      // B goes away; A notices, retries while B is down, and finds B back on the same address with the same key
      const privateKey = b.components.privateKey
      await b.stop()
      await eventually(() => a.getConnections(b.peerId).length === 0, 3_000, 'A saw B go')
      await sleep(300)
      const restarted = Date.now()
      b = await node({ privateKey, addresses: { listen: [address] } })
      await eventually(() => a.getConnections(b.peerId).length > 0, 3_000, 'A reconnected to the restarted B')
      expect(Date.now() - restarted).to.be.lessThan(3_000)
      const again = await a.peerStore.get(b.peerId)
      expect(again.tags.get(TAG_NAME)?.value).to.equal(TAG_VALUE)
    })

    it('a stopped node leaves no timer behind: no dial after stop, even with the bootstrap peer unreachable', async function () {
      const b = await node()
      const bAddr = `${b.getMultiaddrs()[0]}`
      await b.stop()
      const a = await node({
        connectionManager: { dialBackoff: 0 },
        peerDiscovery: [bootstrap({ list: [bAddr], timeout: 0, reconnectDelay: 20, maxReconnectDelay: 40 })]
      })
      let dials = 0
      const open = a.components.connectionManager.openConnection.bind(a.components.connectionManager)
      a.components.connectionManager.openConnection = async (...args: Parameters<typeof open>) => { dials++; return await open(...args) }
      await eventually(() => dials >= 3, 2_000, 'repeated dials')
      await a.stop()
      const count = dials
      await sleep(150)
      expect(dials).to.equal(count)
    })
  })
})
