import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { sha256 } from '@noble/hashes/sha2.js'
import { expect } from 'chai'
import { sha256 as sha256Browser } from '../src/sha256.browser.js'
import { sha256 as sha256Node } from '../src/sha256.js'
import { defaultMsgIdFn, msgIdFromData, msgIdFromKey, msgIdFromSeqno, msgIdToKey } from '../src/message-id.js'
import type { Message } from '@ts-libp2p/interface'

describe('message-id', () => {
  it('signed messages: from bytes followed by the 8 seqno bytes', async () => {
    const key = await generateKeyPair('Ed25519')
    const from = peerIdFromPrivateKey(key)
    const message: Message = { type: 'signed', from, topic: 't', data: new Uint8Array(1), sequenceNumber: 0x0102n, signature: new Uint8Array(1), key: key.publicKey }
    const id = msgIdFromSeqno(message)
    expect(id.subarray(0, -8)).to.deep.equal(from.toMultihash().bytes)
    expect([...id.subarray(-8)]).to.deep.equal([0, 0, 0, 0, 0, 0, 1, 2])
    expect(defaultMsgIdFn(message)).to.deep.equal(id)
  })

  it('unsigned messages: SHA-256 of the data', () => {
    const message: Message = { type: 'unsigned', topic: 't', data: new TextEncoder().encode('hello') }
    expect(msgIdFromData(message)).to.deep.equal(sha256(message.data))
    expect(defaultMsgIdFn(message)).to.deep.equal(sha256(message.data))
    expect(() => msgIdFromSeqno(message)).to.throw(TypeError)
  })

  it('the node:crypto and the browser SHA-256 agree, and match the FIPS 180-2 vector for "abc"', () => {
    const abc = new TextEncoder().encode('abc')
    const expected = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'
    expect(Buffer.from(sha256Node(abc)).toString('hex')).to.equal(expected)
    expect(Buffer.from(sha256Browser(abc)).toString('hex')).to.equal(expected)
    for (const length of [0, 1, 55, 56, 64, 1000, 70_000]) {
      const data = Uint8Array.from({ length }, (_, i) => (i * 31) & 0xff)
      expect(sha256Node(data)).to.deep.equal(sha256Browser(data))
      expect(sha256Node(data)).to.be.instanceOf(Uint8Array)
    }
  })

  it('id keys round-trip, also for long ids, and differ when ids differ', () => {
    for (const length of [0, 1, 46, 5000, 10_000]) {
      const id = Uint8Array.from({ length }, (_, i) => (i * 7) & 0xff)
      expect(msgIdFromKey(msgIdToKey(id))).to.deep.equal(id)
    }
    expect(msgIdToKey(Uint8Array.of(1, 2))).not.to.equal(msgIdToKey(Uint8Array.of(1, 3)))
    expect(msgIdToKey(Uint8Array.of(1))).not.to.equal(msgIdToKey(Uint8Array.of(1, 0)))
  })
})
