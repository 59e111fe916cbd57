import { generateKeyPair, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { PeerRecord, RecordEnvelope } from '@ts-libp2p/peer-record'
import { defaultLogger } from '@ts-libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { AGENT_VERSION_KEY, MAX_LISTEN_ADDRS, MAX_PROTOCOLS, MAX_VERSION_LENGTH } from '../src/constants.js'
import { consumeIdentify, toMultiaddr } from '../src/consume.js'
import type { IdentifyMessage } from '../src/message.js'
import type { Connection, PeerData, PeerId, PrivateKey } from '@ts-libp2p/interface'

interface Call { method: string, data: any }

function stubPeerStore (): { calls: Call[], patch(id: PeerId, data: PeerData): Promise<any>, merge(id: PeerId, data: PeerData): Promise<any>, consumePeerRecord(buf: Uint8Array, options?: any): Promise<boolean> } {
  const calls: Call[] = []
  return {
    calls,
    patch: async (_id, data) => { calls.push({ method: 'patch', data }) },
    merge: async (_id, data) => { calls.push({ method: 'merge', data }) },
    consumePeerRecord: async (buf, options) => { calls.push({ method: 'consumePeerRecord', data: { buf, expectedPeer: options?.expectedPeer } }); return true }
  }
}

const log = defaultLogger().forComponent('test:identify:consume')

describe('consume', () => {
  let key: PrivateKey
  let peerId: PeerId
  let connection: Connection

  beforeEach(async () => {
    key = await generateKeyPair('Ed25519')
    peerId = peerIdFromPrivateKey(key)
    connection = { remotePeer: peerId } as unknown as Connection
  })

  it('a full identify replaces protocols (even with none) and stores versions as metadata', async () => {
    const peerStore = stubPeerStore()
    await consumeIdentify({ listenAddrs: [], protocols: [], agentVersion: 'agent' }, connection, { peerStore, log })
    expect(peerStore.calls[0]).to.deep.equal({ method: 'patch', data: { protocols: [] } })
    expect(peerStore.calls[1].method).to.equal('merge')
    expect(new TextDecoder().decode(peerStore.calls[1].data.metadata[AGENT_VERSION_KEY])).to.equal('agent')
  })

  it('a partial push leaves out what it does not mention', async () => {
    const peerStore = stubPeerStore()
    await consumeIdentify({ listenAddrs: [], protocols: [] }, connection, { peerStore, log, partial: true })
    expect(peerStore.calls).to.deep.equal([{ method: 'patch', data: {} }])
  })

  it('skips malformed listen addresses and bounds addresses, protocols and versions', async () => {
    const peerStore = stubPeerStore()
    const message: IdentifyMessage = {
      listenAddrs: [Uint8Array.of(0xff, 0xff), ...Array.from({ length: MAX_LISTEN_ADDRS + 5 }, (_, i) => multiaddr(`/ip4/10.0.0.1/tcp/${i + 1}`).bytes)],
      protocols: [...Array.from({ length: MAX_PROTOCOLS + 5 }, (_, i) => `/p/${i}`), '/p/0'],
      agentVersion: 'a'.repeat(MAX_VERSION_LENGTH + 10)
    }
    const result = await consumeIdentify(message, connection, { peerStore, log })
    expect(result.listenAddrs).to.have.length(MAX_LISTEN_ADDRS - 1)
    expect(peerStore.calls[0].data.addresses).to.have.length(MAX_LISTEN_ADDRS - 1)
    expect(peerStore.calls[0].data.addresses.every((a: any) => a.isCertified === false)).to.equal(true)
    expect(peerStore.calls[0].data.protocols).to.have.length(MAX_PROTOCOLS)
    expect(peerStore.calls[1].data.metadata[AGENT_VERSION_KEY]).to.have.length(MAX_VERSION_LENGTH)
  })

  it('hands a valid own peer record to the peer store (before the protocols, so the peer is dialable when they arrive), with the expected peer, instead of the listen addresses', async () => {
    const peerStore = stubPeerStore()
    const addr = multiaddr('/ip4/10.0.0.1/tcp/1')
    const envelope = (await RecordEnvelope.seal(new PeerRecord({ peerId, multiaddrs: [addr] }), key)).marshal()
    const result = await consumeIdentify({ listenAddrs: [addr.bytes], protocols: ['/a'], publicKey: publicKeyToProtobuf(key.publicKey), signedPeerRecord: envelope }, connection, { peerStore, log })
    expect(result.signedPeerRecord?.addresses.map(String)).to.deep.equal([addr.toString()])
    expect(peerStore.calls[0].method).to.equal('consumePeerRecord')
    expect(peerStore.calls[0].data.expectedPeer.equals(peerId)).to.equal(true)
    expect(peerStore.calls[1].data.addresses).to.equal(undefined)
    expect(peerStore.calls[1].data.protocols).to.deep.equal(['/a'])
    expect(peerStore.calls[1].data.publicKey.equals(key.publicKey)).to.equal(true)
  })

  it('toMultiaddr returns undefined for empty or malformed bytes', () => {
    expect(toMultiaddr(undefined)).to.equal(undefined)
    expect(toMultiaddr(new Uint8Array(0))).to.equal(undefined)
    expect(toMultiaddr(Uint8Array.of(0xff, 0xff, 0xff))).to.equal(undefined)
    expect(toMultiaddr(multiaddr('/ip4/1.2.3.4/tcp/5').bytes)?.toString()).to.equal('/ip4/1.2.3.4/tcp/5')
  })
})
