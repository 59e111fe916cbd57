import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { MAX_ADDRS_PER_PEER, MAX_PEERS_PER_RESPONSE } from '../src/constants.js'
import { parsePeers, toWirePeer } from '../src/network.js'

describe('peers from the wire', () => {
  it('drops invalid peer ids and unparseable addresses, keeps the rest', async () => {
    const good = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const infos = parsePeers([
      { id: Uint8Array.of(0xff, 0x01), addrs: [], connection: 0 },
      { id: new Uint8Array(0), addrs: [], connection: 0 },
      { id: good.toMultihash().bytes, addrs: [Uint8Array.of(0xde, 0xad), multiaddr('/ip4/1.2.3.4/tcp/1').bytes, Uint8Array.of(0x04, 1, 2)], connection: 0 }
    ], { allowPrivateAddresses: false })
    expect(infos.length).to.equal(1)
    expect(infos[0].id.equals(good)).to.equal(true)
    expect(infos[0].multiaddrs.map(String)).to.deep.equal(['/ip4/1.2.3.4/tcp/1'])
  })

  it('drops private addresses unless allowed', async () => {
    const p = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const wire = toWirePeer({ id: p, multiaddrs: [multiaddr('/ip4/127.0.0.1/tcp/1'), multiaddr('/ip4/10.0.0.1/tcp/1'), multiaddr('/ip4/8.8.8.8/tcp/1'), multiaddr('/memory/x')] })
    expect(parsePeers([wire], { allowPrivateAddresses: false })[0].multiaddrs.map(String)).to.deep.equal(['/ip4/8.8.8.8/tcp/1'])
    expect(parsePeers([wire], { allowPrivateAddresses: true })[0].multiaddrs.length).to.equal(4)
  })

  it('reads at most a bounded number of peers and addresses per peer, and no duplicates', async () => {
    const p = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const many = Array.from({ length: 1000 }, (_, i) => multiaddr(`/ip4/8.8.${Math.floor(i / 250)}.${i % 250}/tcp/1`).bytes)
    const wire = { id: p.toMultihash().bytes, addrs: many, connection: 0 as const }
    const infos = parsePeers(Array.from({ length: 3000 }, () => wire), { allowPrivateAddresses: false })
    expect(infos.length).to.equal(1)
    expect(infos[0].multiaddrs.length).to.equal(MAX_ADDRS_PER_PEER)
    const distinct = await Promise.all(Array.from({ length: MAX_PEERS_PER_RESPONSE + 20 }, async () => toWirePeer({ id: peerIdFromPrivateKey(await generateKeyPair('Ed25519')), multiaddrs: [] })))
    expect(parsePeers(distinct, { allowPrivateAddresses: false }).length).to.equal(MAX_PEERS_PER_RESPONSE)
  })
})
