import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromMultihash, peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import { CID } from 'multiformats/cid'
import * as Digest from 'multiformats/hashes/digest'
import { sha256 } from 'multiformats/hashes/sha2'
import { MessageType, PROTOCOL } from '../src/index.js'
import { messageChannel } from '../src/message.js'
import { connect, dhtNode, eventually, plainNode, stopNodes } from './fixtures.js'
import type { DHTMessage } from '../src/message.js'
import type { DHTNode } from './fixtures.js'
import type { Libp2pNode } from '@ts-libp2p/libp2p'

const enc = (s: string): Uint8Array => new TextEncoder().encode(s)
const empty = { closerPeers: [], providerPeers: [] }

/** Sends raw requests from a plain node to `server` on one stream; returns the answers (undefined where none came). */
async function ask (client: Libp2pNode<any>, server: DHTNode, ...requests: DHTMessage[]): Promise<DHTMessage[]> {
  const stream = await client.dialProtocol(server.getMultiaddrs()[0], PROTOCOL)
  const channel = messageChannel(stream)
  const out: DHTMessage[] = []
  for (const request of requests) {
    await channel.write(request)
    out.push(await channel.read({ signal: AbortSignal.timeout(2_000) }))
  }
  await stream.close()
  return out
}

async function rejected (promise: Promise<unknown>): Promise<boolean> {
  return await promise.then(() => false, () => true)
}

describe('server handlers', () => {
  let server: DHTNode
  let neighbours: DHTNode[]
  let client: Libp2pNode<any>

  beforeEach(async () => {
    server = await dhtNode({ validators: { test: (_k, v) => { if (v.length > 8) throw new Error('too long') } } })
    neighbours = [await dhtNode(), await dhtNode()]
    for (const n of neighbours) await connect(server, n)
    client = await plainNode()
  })
  afterEach(stopNodes)

  it('FIND_NODE: the closest peers with addresses, ourselves when asked for us, several requests on one stream', async () => {
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const [a, b] = await ask(client, server,
      { type: MessageType.FIND_NODE, key: other.toMultihash().bytes, ...empty },
      { type: MessageType.FIND_NODE, key: server.peerId.toMultihash().bytes, ...empty })
    expect(a.type).to.equal(MessageType.FIND_NODE)
    const ids = a.closerPeers.map(p => peerIdFromMultihashBytes(p.id))
    expect(ids.sort()).to.deep.equal(neighbours.map(n => n.peerId.toString()).sort())
    expect(a.closerPeers.every(p => p.addrs.length > 0)).to.equal(true)
    expect(peerIdFromMultihashBytes(b.closerPeers[0].id)).to.equal(server.peerId.toString())
  })

  it('PUT_VALUE stores a valid record and echoes it; GET_VALUE returns it with closer peers', async () => {
    const key = enc('/test/k')
    const record = { key, value: enc('v1'), timeReceived: '' }
    const [put] = await ask(client, server, { type: MessageType.PUT_VALUE, key, record, ...empty })
    expect(put.record?.value).to.deep.equal(enc('v1'))
    const [get] = await ask(client, server, { type: MessageType.GET_VALUE, key, ...empty })
    expect(get.record?.value).to.deep.equal(enc('v1'))
    expect(get.record?.timeReceived).to.match(/^\d{4}-\d\d-\d\dT/)
    expect(get.closerPeers.length).to.equal(2)
  })

  it('PUT_VALUE with a record failing validation, an unknown namespace or a mismatched key resets the stream and stores nothing', async () => {
    const key = enc('/test/bad')
    expect(await rejected(ask(client, server, { type: MessageType.PUT_VALUE, key, record: { key, value: enc('far too long'), timeReceived: '' }, ...empty }))).to.equal(true)
    const nowhere = enc('/nowhere/x')
    expect(await rejected(ask(client, server, { type: MessageType.PUT_VALUE, key: nowhere, record: { key: nowhere, value: enc('v'), timeReceived: '' }, ...empty }))).to.equal(true)
    expect(await rejected(ask(client, server, { type: MessageType.PUT_VALUE, key, record: { key: enc('/test/other'), value: enc('v'), timeReceived: '' }, ...empty }))).to.equal(true)
    expect(await rejected(ask(client, server, { type: MessageType.PUT_VALUE, key, ...empty }))).to.equal(true)
    const [get] = await ask(client, server, { type: MessageType.GET_VALUE, key, ...empty })
    expect(get.record).to.equal(undefined)
  })

  it('ADD_PROVIDER stores the sender only; GET_PROVIDERS returns it with addresses', async () => {
    const cid = CID.createV1(0x55, await sha256.digest(enc('x')))
    const key = cid.multihash.bytes
    const stranger = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const stream = await client.dialProtocol(server.getMultiaddrs()[0], PROTOCOL)
    const channel = messageChannel(stream)
    const addr = multiaddr('/memory/somewhere').bytes
    await channel.write({ type: MessageType.ADD_PROVIDER, key, closerPeers: [], providerPeers: [{ id: stranger.toMultihash().bytes, addrs: [addr], connection: 0 }, { id: client.peerId.toMultihash().bytes, addrs: [addr], connection: 0 }] })
    await stream.close()
    expect(await eventually(async () => {
      const [res] = await ask(client, server, { type: MessageType.GET_PROVIDERS, key, ...empty })
      return res.providerPeers.length === 1
    })).to.equal(true)
    const [res] = await ask(client, server, { type: MessageType.GET_PROVIDERS, key, ...empty })
    expect(peerIdFromMultihashBytes(res.providerPeers[0].id)).to.equal(client.peerId.toString())
    expect(res.providerPeers[0].addrs).to.deep.equal([addr])
  })

  it('ADD_PROVIDER with a key that is not a multihash is refused', async () => {
    const stream = await client.dialProtocol(server.getMultiaddrs()[0], PROTOCOL)
    const channel = messageChannel(stream)
    await channel.write({ type: MessageType.ADD_PROVIDER, key: Uint8Array.of(0xff, 0xff, 0xff), closerPeers: [], providerPeers: [{ id: client.peerId.toMultihash().bytes, addrs: [], connection: 0 }] })
    // the server resets the stream instead of storing
    expect(await rejected(channel.read({ signal: AbortSignal.timeout(2_000) }))).to.equal(true)
  })

  it('PING is answered (spec: allowed for old peers)', async () => {
    const [pong] = await ask(client, server, { type: MessageType.PING, ...empty })
    expect(pong.type).to.equal(MessageType.PING)
  })

  it('a request without a key, or with an oversize frame, resets the stream', async () => {
    expect(await rejected(ask(client, server, { type: MessageType.GET_VALUE, ...empty }))).to.equal(true)
    const stream = await client.dialProtocol(server.getMultiaddrs()[0], PROTOCOL)
    // a length prefix announcing 64 MiB
    stream.send(Uint8Array.of(0x80, 0x80, 0x80, 0x20))
    expect(await rejected(messageChannel(stream).read({ signal: AbortSignal.timeout(2_000) }))).to.equal(true)
    // the server is still fine
    const [pong] = await ask(client, server, { type: MessageType.PING, ...empty })
    expect(pong.type).to.equal(MessageType.PING)
  })

  it('client mode registers no handler and stays out of routing tables', async () => {
    const c = await dhtNode({ clientMode: true })
    expect(c.services.dht.getMode()).to.equal('client')
    await c.dial(server.getMultiaddrs()[0])
    expect(await eventually(() => c.services.dht.routingTable.has(server.peerId))).to.equal(true)
    // (a lazy protocol select may open the stream: the request is what fails)
    expect(await rejected(ask(client, c, { type: MessageType.PING, ...empty }))).to.equal(true)
    expect(server.services.dht.routingTable.has(c.peerId)).to.equal(false)
    // and it can still use the DHT
    const closest = await server.services.dht.findPeer(neighbours[0].peerId, { useCache: false })
    expect(closest.id.equals(neighbours[0].peerId)).to.equal(true)
    const found = await c.services.dht.findPeer(neighbours[1].peerId, { useCache: false })
    expect(found.id.equals(neighbours[1].peerId)).to.equal(true)
    // switching to server mode registers the handler
    await c.services.dht.setMode('server')
    expect(c.services.dht.getMode()).to.equal('server')
    expect(c.getProtocols()).to.include(PROTOCOL)
    const [pong] = await ask(client, c, { type: MessageType.PING, ...empty })
    expect(pong.type).to.equal(MessageType.PING)
  })

  it('automatic mode: client without a confirmed public address, server with allowPrivateAddresses and a confirmed one', async () => {
    const auto = await dhtNode({ clientMode: undefined, allowPrivateAddresses: false })
    expect(auto.services.dht.getMode()).to.equal('client')
    const autoPrivate = await dhtNode({ clientMode: undefined, allowPrivateAddresses: true })
    expect(autoPrivate.services.dht.getMode()).to.equal('server')
  })
})

function peerIdFromMultihashBytes (bytes: Uint8Array): string {
  return peerIdFromMultihash(Digest.decode(bytes)).toString()
}

describe('server handlers and the resource manager', () => {
  afterEach(stopNodes)

  it('reserves each request in the kad-dht service scope while it is answered; past the limit the stream is reset; usage returns to zero', async () => {
    const server = await dhtNode({}, { resourceManager: { limits: { services: { 'kad-dht': { memory: 200 } } } } })
    const client = await plainNode()
    const rm = server.components.resourceManager
    const seen: number[] = []
    const scope = rm.serviceScope('kad-dht')
    const reserve = scope.reserveMemory.bind(scope)
    const refused: string[] = []
    scope.reserveMemory = (bytes: number) => {
      try {
        reserve(bytes)
      } catch (err: any) {
        refused.push(err.name)
        throw err
      }
      seen.push(rm.stat().services['kad-dht'].memory)
    }
    const other = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    const [found] = await ask(client, server, { type: MessageType.FIND_NODE, key: other.toMultihash().bytes, ...empty })
    expect(found.type).to.equal(MessageType.FIND_NODE)
    expect(seen).to.have.length(1)
    expect(seen[0]).to.be.greaterThan(30)
    expect(rm.stat().services['kad-dht'].memory).to.equal(0)
    // a request larger than the whole scope is refused: the stream is reset, nothing is held
    const key = enc('/test/big')
    expect(await rejected(ask(client, server, { type: MessageType.PUT_VALUE, key, record: { key, value: new Uint8Array(300), timeReceived: '' }, ...empty }))).to.equal(true)
    expect(seen).to.have.length(1)
    expect(refused).to.deep.equal(['ResourceLimitError'])
    expect(await eventually(() => rm.stat().services['kad-dht'].memory === 0, 2_000)).to.equal(true)
    // and the server still answers small requests
    const [again] = await ask(client, server, { type: MessageType.FIND_NODE, key: other.toMultihash().bytes, ...empty })
    expect(again.type).to.equal(MessageType.FIND_NODE)
    expect(rm.stat().services['kad-dht'].memory).to.equal(0)
  })
})
