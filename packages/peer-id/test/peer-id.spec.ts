import { inspect } from 'node:util'
import { isPeerId as isOfficialPeerId } from '@libp2p/interface'
import { generateKeyPair, publicKeyFromProtobuf } from '@ts-libp2p/crypto'
import { isPeerId, peerIdSymbol } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { base36 } from 'multiformats/bases/base36'
import * as Digest from 'multiformats/hashes/digest'
import { ECDSAPeerIdImpl, Ed25519PeerIdImpl, RSAPeerIdImpl, Secp256k1PeerIdImpl, URLPeerIdImpl } from '../src/peer-id.js'
import { fromHex, specExamples, specPublicKeys } from './fixtures/helpers.js'
import type { ECDSAPeerId } from '../src/peer-id.js'
import type * as official from '@libp2p/interface'
import type { ECDSAPublicKey, Ed25519PeerId, Ed25519PublicKey, PeerId, RSAPeerId, Secp256k1PeerId, Secp256k1PublicKey, URLPeerId } from '@ts-libp2p/interface'
import type { MultihashDigest } from 'multiformats/hashes/interface'

const edKey = publicKeyFromProtobuf(fromHex(specPublicKeys.Ed25519)) as Ed25519PublicKey
const secpKey = publicKeyFromProtobuf(fromHex(specPublicKeys.secp256k1)) as Secp256k1PublicKey
const ecdsaKey = publicKeyFromProtobuf(fromHex(specPublicKeys.ECDSA)) as ECDSAPublicKey
const ed = new Ed25519PeerIdImpl(edKey.toMultihash(), edKey)

describe('peer-id', () => {
  it('satisfies the interface and official PeerId types', () => {
    // compile-time: each class is assignable to its union member, of ours and of @libp2p/interface
    const ours: PeerId[] = [
      ed satisfies Ed25519PeerId,
      new Secp256k1PeerIdImpl(secpKey.toMultihash(), secpKey) satisfies Secp256k1PeerId,
      new RSAPeerIdImpl(Digest.create(0x12, new Uint8Array(32))) satisfies RSAPeerId,
      new URLPeerIdImpl('https://example.com/') satisfies URLPeerId
    ]
    const theirs: official.PeerId[] = ours
    expect(theirs).to.have.length(4)
    const ecdsa: ECDSAPeerId = new ECDSAPeerIdImpl(ecdsaKey.toMultihash() as unknown as MultihashDigest<0x12>, ecdsaKey)
    expect(ecdsa.type).to.equal('ECDSA')
  })

  it('carries the peerIdSymbol brand, recognised by both isPeerId functions', () => {
    for (const id of [ed, new URLPeerIdImpl('https://example.com/')]) {
      expect((id as any)[peerIdSymbol]).to.equal(true)
      expect(isPeerId(id)).to.equal(true)
      expect(isOfficialPeerId(id)).to.equal(true)
    }
    expect(isPeerId({ toString: () => ed.toString() })).to.equal(false)
  })

  it('prints base58btc, makes a CIDv1 with the libp2p-key codec, and serialises as its string', () => {
    expect(ed.toString()).to.equal('12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq')
    const cid = ed.toCID()
    expect(cid.version).to.equal(1)
    expect(cid.code).to.equal(0x72)
    expect(cid.multihash.bytes).to.deep.equal(ed.toMultihash().bytes)
    expect(cid.toString()).to.match(/^bafz/)
    expect(JSON.stringify({ peer: ed })).to.equal(`{"peer":"${ed.toString()}"}`)
    expect(`${ed}`).to.equal(ed.toString())
  })

  it('is readable in logs and the REPL', () => {
    expect(inspect(ed)).to.equal('PeerId(12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq)')
    expect(Object.prototype.toString.call(ed)).to.equal('[object PeerId(12D3KooWBtg3aaRMjxwedh83aGiUkwSxDwUZkzuJcfaqUmo7R3pq)]')
    expect(Object.keys(ed)).to.not.include('string')
  })

  describe('equals', () => {
    it('accepts another peer id, multihash bytes, or a string in either form', async () => {
      const same = new Ed25519PeerIdImpl(Digest.decode(ed.toMultihash().bytes) as MultihashDigest<0x00>, edKey)
      expect(ed.equals(same)).to.equal(true)
      expect(ed.equals(ed.toMultihash().bytes)).to.equal(true)
      expect(ed.equals(ed.toString())).to.equal(true)
      expect(ed.equals(ed.toCID().toString())).to.equal(true)
      expect(ed.equals(ed.toCID().toString(base36))).to.equal(true)
      expect(ed.equals({ toMultihash: () => ed.toMultihash() })).to.equal(true)
    })

    it('is false for other peers and for anything that names no peer, without throwing', async () => {
      const other = (await generateKeyPair('Ed25519')).publicKey
      expect(ed.equals(new Ed25519PeerIdImpl(other.toMultihash(), other))).to.equal(false)
      expect(ed.equals(specExamples.sha256AsBase58)).to.equal(false)
      for (const value of [undefined, null, '', 'garbage', 42, {}, { toMultihash: () => null }, new Uint8Array(3)]) {
        expect(ed.equals(value), String(value)).to.equal(false)
      }
    })
  })

  describe('URL peer ids', () => {
    const url = new URLPeerIdImpl('https://routing.example.com/')

    it('print as a transport-ipfs-gateway-http CID and hold the URL', () => {
      expect(url.type).to.equal('url')
      expect(url.publicKey).to.equal(undefined)
      expect(url.toCID().code).to.equal(0x0920)
      expect(url.toMultihash().code).to.equal(0x00)
      expect(new TextDecoder().decode(url.toMultihash().digest)).to.equal('https://routing.example.com/')
      expect(url.toString()).to.equal(url.toCID().toString())
      expect(inspect(url)).to.equal('PeerId(https://routing.example.com/)')
      expect(JSON.stringify(url)).to.equal(`"${url.toString()}"`)
    })

    it('compare by URL', () => {
      expect(url.equals(new URLPeerIdImpl('https://routing.example.com/'))).to.equal(true)
      expect(url.equals('https://routing.example.com/')).to.equal(true)
      expect(url.equals(url.toString())).to.equal(true)
      expect(url.equals(url.toMultihash().bytes)).to.equal(true)
      expect(url.equals(new URLPeerIdImpl('https://other.example.com/'))).to.equal(false)
      expect(url.equals(ed)).to.equal(false)
      expect(url.equals(undefined)).to.equal(false)
    })
  })
})
