/**
 * Equivalence with the official js-libp2p implementation (@libp2p/peer-id 6):
 * the same key gives the same peer id, and each implementation reads and
 * compares the other's peer ids in every form.
 */
import * as officialCrypto from '@libp2p/crypto/keys'
import { isPeerId as isOfficialPeerId } from '@libp2p/interface'
import * as official from '@libp2p/peer-id'
import { generateKeyPair, privateKeyFromProtobuf, privateKeyToProtobuf } from '@ts-libp2p/crypto'
import { isPeerId } from '@ts-libp2p/interface'
import { expect } from 'chai'
import { base36 } from 'multiformats/bases/base36'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { peerIdFromCID, peerIdFromMultihash, peerIdFromPrivateKey, peerIdFromString } from '../src/index.js'
import { specExamples } from './fixtures/helpers.js'

describe('official @libp2p/peer-id', function () {
  this.timeout(30_000)

  for (const type of ['Ed25519', 'secp256k1', 'RSA'] as const) {
    it(`${type}: the same key gives the same peer id`, async () => {
      const key = await generateKeyPair(type)
      const theirKey = officialCrypto.privateKeyFromProtobuf(privateKeyToProtobuf(key))
      const ours = peerIdFromPrivateKey(key)
      const theirs = official.peerIdFromPrivateKey(theirKey)
      expect(ours.type).to.equal(theirs.type)
      expect(ours.toString()).to.equal(theirs.toString())
      expect(ours.toCID().toString()).to.equal(theirs.toCID().toString())
      expect(ours.toMultihash().bytes).to.deep.equal(theirs.toMultihash().bytes)
    })

    it(`${type}: each reads and compares the other's peer ids`, async () => {
      const theirKey = await officialCrypto.generateKeyPair(type)
      const theirs = official.peerIdFromPrivateKey(theirKey)
      const ours = peerIdFromPrivateKey(privateKeyFromProtobuf(officialCrypto.privateKeyToProtobuf(theirKey)))

      for (const parsed of [
        peerIdFromString(theirs.toString()),
        peerIdFromString(theirs.toCID().toString()),
        peerIdFromCID(theirs.toCID()),
        peerIdFromMultihash(theirs.toMultihash())
      ]) {
        expect(parsed.equals(theirs)).to.equal(true)
        expect(theirs.equals(parsed)).to.equal(true)
        expect(parsed.equals(ours)).to.equal(true)
      }
      for (const parsed of [
        official.peerIdFromString(ours.toString()),
        official.peerIdFromString(ours.toCID().toString()),
        official.peerIdFromString(ours.toCID().toString(base36)),
        official.peerIdFromCID(ours.toCID()),
        official.peerIdFromMultihash(ours.toMultihash())
      ]) {
        expect(parsed.equals(ours)).to.equal(true)
        expect(ours.equals(parsed)).to.equal(true)
        expect(parsed.type).to.equal(type)
      }
      expect(isOfficialPeerId(ours)).to.equal(true)
      expect(isPeerId(theirs)).to.equal(true)
    })
  }

  it('agrees on the spec\'s example peer ids', () => {
    for (const text of Object.values(specExamples)) {
      const ours = peerIdFromString(text)
      const theirs = official.peerIdFromString(text)
      expect(ours.toString()).to.equal(theirs.toString())
      expect(ours.type).to.equal(theirs.type)
    }
  })

  it('agrees on URL peer ids', () => {
    const cid = CID.createV1(0x0920, Digest.create(0x00, new TextEncoder().encode('https://delegated.example.com/')))
    const theirs = official.peerIdFromCID(cid)
    const ours = peerIdFromCID(cid)
    expect(ours.toString()).to.equal(theirs.toString())
    expect(ours.equals(theirs)).to.equal(true)
    expect(theirs.equals(ours)).to.equal(true)
    expect(peerIdFromString(theirs.toString()).equals(theirs)).to.equal(true)
  })

  it('ECDSA: we make spec (sha2-256) peer ids, which they read as RSA-type ids; they make none', async () => {
    const key = await generateKeyPair('ECDSA')
    const ours = peerIdFromPrivateKey(key)
    expect(ours.type).to.equal('ECDSA')
    const theirView = official.peerIdFromString(ours.toString())
    expect(theirView.type).to.equal('RSA')
    expect(theirView.equals(ours)).to.equal(true)
    expect(() => official.peerIdFromPublicKey(officialCrypto.privateKeyFromProtobuf(privateKeyToProtobuf(key)).publicKey)).to.throw()
  })
})
