import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { PEER_ID_CACHE_SIZE } from '../src/constants.js'
import { cachedPeerIdFromString, lastPeerIdString } from '../src/peer-id-cache.js'

describe('peer id cache', () => {
  it('returns the same peer id object for the same string, equal to a fresh parse', async () => {
    const id = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const a = cachedPeerIdFromString(id.toString())
    const b = cachedPeerIdFromString(id.toString())
    expect(a).to.equal(b)
    expect(a.equals(id)).to.equal(true)
    expect(a.toString()).to.equal(id.toString())
  })

  it('forgets the oldest entry beyond its size, and throws for an invalid id without caching it', async () => {
    const first = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const kept = cachedPeerIdFromString(first)
    for (let i = 0; i < PEER_ID_CACHE_SIZE; i++) {
      cachedPeerIdFromString(peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString())
    }
    const again = cachedPeerIdFromString(first)
    expect(again).to.not.equal(kept)
    expect(again.equals(kept)).to.equal(true)
    expect(() => cachedPeerIdFromString('not-a-peer-id')).to.throw()
  })

  it('reads the last /p2p/ component of a multiaddr', async () => {
    const relay = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    const target = peerIdFromPrivateKey(await generateKeyPair('Ed25519')).toString()
    expect(lastPeerIdString(multiaddr(`/ip4/1.2.3.4/tcp/1/p2p/${relay}/p2p-circuit/p2p/${target}`))).to.equal(target)
    expect(lastPeerIdString(multiaddr('/ip4/1.2.3.4/tcp/1'))).to.equal(undefined)
  })
})
