import { generateKeyPair, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddrConnectionPair } from '@ts-libp2p/test-utils'
import { defaultLogger, lpStream } from '@ts-libp2p/utils'
import { expect } from 'chai'
import { encode } from 'it-length-prefixed'
import { plaintext } from '../src/index.js'
import { Exchange, PublicKey } from '../src/pb/proto.js'
import { decodeExchange, encodeExchange } from '../src/plaintext.js'
import type { PlaintextInit } from '../src/index.js'
import type { KeyType, MessageStream, PrivateKey } from '@ts-libp2p/interface'

async function encrypter (key?: PrivateKey, init?: PlaintextInit): Promise<ReturnType<ReturnType<typeof plaintext>>> {
  return plaintext(init)({ privateKey: key ?? await generateKeyPair('Ed25519'), logger: defaultLogger() })
}

async function rejection (p: Promise<unknown>): Promise<Error> {
  try {
    await p
  } catch (err: any) {
    return err
  }
  throw new Error('expected a rejection')
}

async function readAll (stream: MessageStream): Promise<Uint8Array> {
  const chunks: Uint8Array[] = []
  for await (const chunk of stream) {
    chunks.push(chunk.subarray())
  }
  return Buffer.concat(chunks)
}

/** A remote that sends `bytes` as its Exchange frame (length-prefixed) and reads ours. */
async function fakeRemote (stream: MessageStream, bytes: Uint8Array): Promise<void> {
  const lp = lpStream(stream)
  await lp.write(bytes)
  await lp.read().catch(() => {})
}

describe('plaintext', () => {
  for (const type of ['Ed25519', 'secp256k1', 'ECDSA'] satisfies KeyType[]) {
    it(`exchanges ${type} identities and passes data through unchanged`, async () => {
      const dialerKey = await generateKeyPair(type)
      const listenerKey = await generateKeyPair(type)
      const [a, b] = multiaddrConnectionPair()
      const [outbound, inbound] = await Promise.all([
        (await encrypter(dialerKey)).secureOutbound(a, { remotePeer: peerIdFromPrivateKey(listenerKey) }),
        (await encrypter(listenerKey)).secureInbound(b)
      ])
      expect(outbound.remotePeer.toString()).to.equal(peerIdFromPrivateKey(listenerKey).toString())
      expect(inbound.remotePeer.toString()).to.equal(peerIdFromPrivateKey(dialerKey).toString())
      // no encryption: the connection comes back as it was
      expect(outbound.connection).to.equal(a)
      outbound.connection.send(Uint8Array.of(1, 2, 3))
      const received = readAll(inbound.connection)
      await outbound.connection.close()
      expect([...await received]).to.deep.equal([1, 2, 3])
    })
  }

  it('keeps bytes the remote sent right behind its Exchange', async () => {
    const key = await generateKeyPair('Ed25519')
    const [a, b] = multiaddrConnectionPair()
    const lp = lpStream(b)
    // the exchange and the first application bytes in one write
    b.send(Buffer.concat([encode.single(encodeExchange(key)).subarray(), Uint8Array.of(9, 8, 7)]))
    const [secured] = await Promise.all([(await encrypter()).secureOutbound(a), lp.read()])
    expect(secured.remotePeer.toString()).to.equal(peerIdFromPrivateKey(key).toString())
    const first = await new Promise<Uint8Array>(resolve => {
      secured.connection.addEventListener('message', (evt) => { resolve(evt.data.subarray()) }, { once: true })
    })
    expect([...first]).to.deep.equal([9, 8, 7])
  })

  it('fails with UnexpectedPeerError when the dialled peer is not the one that answers', async () => {
    const [a, b] = multiaddrConnectionPair()
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const [err] = await Promise.all([
      rejection((await encrypter()).secureOutbound(a, { remotePeer: other })),
      (await encrypter()).secureInbound(b).catch(() => {})
    ])
    expect(err).to.have.property('name', 'UnexpectedPeerError')
    expect(a.status).to.equal('aborted')
  })

  it('refuses an Exchange whose id is not the key\'s peer id', async () => {
    const key = await generateKeyPair('Ed25519')
    const liar = await generateKeyPair('Ed25519')
    const forged = Exchange.encode({
      id: liar.publicKey.toMultihash().bytes,
      pubkey: PublicKey.decode(publicKeyToProtobuf(key.publicKey))
    }).finish()
    const [a, b] = multiaddrConnectionPair()
    const [err] = await Promise.all([rejection((await encrypter()).secureOutbound(a)), fakeRemote(b, forged)])
    expect(err).to.have.property('name', 'InvalidCryptoExchangeError')
    expect(err.message).to.include('does not match')
  })

  it('refuses garbage, a missing id, a missing key and an unknown key type', async () => {
    const key = await generateKeyPair('Ed25519')
    const cases: Array<[Uint8Array, string]> = [
      [Uint8Array.of(0xff, 0xff, 0xff), 'not valid protobuf'],
      [Exchange.encode({ pubkey: PublicKey.decode(publicKeyToProtobuf(key.publicKey)) }).finish(), 'no id'],
      [Exchange.encode({ id: key.publicKey.toMultihash().bytes }).finish(), 'no public key'],
      [Exchange.encode({ id: key.publicKey.toMultihash().bytes, pubkey: { Type: 7 as any, Data: key.publicKey.raw } }).finish(), 'not valid'],
      [Exchange.encode({ id: key.publicKey.toMultihash().bytes, pubkey: { Type: 1, Data: Uint8Array.of(1, 2, 3) } }).finish(), 'not valid']
    ]
    for (const [bytes, message] of cases) {
      expect(() => decodeExchange(bytes)).to.throw(message).with.property('name', 'InvalidCryptoExchangeError')
      const [a, b] = multiaddrConnectionPair()
      const [err] = await Promise.all([rejection((await encrypter()).secureInbound(a)), fakeRemote(b, bytes)])
      expect(err).to.have.property('name', 'InvalidCryptoExchangeError')
    }
  })

  it('refuses an Exchange over the size limit from its length prefix', async () => {
    const [a, b] = multiaddrConnectionPair()
    // announce 1 MiB and send only the prefix: the limit must fire without waiting for the body
    b.send(Uint8Array.of(0x80, 0x80, 0x40))
    const err = await rejection((await encrypter(undefined, { maxExchangeLength: 1024 })).secureInbound(a))
    expect(err).to.have.property('name').that.matches(/InvalidDataLength/)
  })

  it('times out with TimeoutError when the remote never answers', async () => {
    const [a] = multiaddrConnectionPair()
    const started = Date.now()
    const err = await rejection((await encrypter(undefined, { handshakeTimeout: 50 })).secureOutbound(a))
    expect(err).to.have.property('name', 'TimeoutError')
    expect(Date.now() - started).to.be.lessThan(2000)
    expect(a.status).to.equal('aborted')
  })

  it('stops when the caller\'s signal fires', async () => {
    const [a] = multiaddrConnectionPair()
    const controller = new AbortController()
    const pending = rejection((await encrypter()).secureOutbound(a, { signal: controller.signal }))
    controller.abort()
    expect(await pending).to.have.property('name', 'AbortError')
  })

  it('fails with UnexpectedEOFError when the remote hangs up mid-exchange', async () => {
    const [a, b] = multiaddrConnectionPair()
    b.send(Uint8Array.of(40, 1, 2))
    void b.close().catch(() => {})
    const err = await rejection((await encrypter()).secureInbound(a))
    expect(err).to.have.property('name', 'UnexpectedEOFError')
  })
})
