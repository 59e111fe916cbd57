import { generateKeyPair } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import * as dnsPacket from 'dns-packet'
import fc from 'fast-check'
import {
  decodePacket, dnsaddrStrings, encodeMetaResponse, encodeQuery, encodeResponse, isSuitableAddress, isValidPeerName,
  peersFromResponse, randomPeerName, readMessage
} from '../src/codec.js'
import { MAX_ADDRESSES_PER_PEER, MAX_PACKET_SIZE, MAX_PEERS_PER_RESPONSE, PEER_NAME_LENGTH, SERVICE_TAG } from '../src/constants.js'
import { InvalidMdnsPacketError } from '../src/errors.js'
import type { PeerId } from '@ts-libp2p/interface'

async function newPeerId (): Promise<PeerId> {
  return peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
}

/** A response built by hand, as another implementation could send it. */
function response (answers: dnsPacket.Answer[], additionals: dnsPacket.Answer[] = []): Uint8Array {
  return dnsPacket.encode({ type: 'response', id: 0, flags: dnsPacket.AUTHORITATIVE_ANSWER, answers, additionals })
}
const ptr = (instance: string, name = SERVICE_TAG): dnsPacket.Answer => ({ type: 'PTR', class: 'IN', name, ttl: 120, data: instance })
const txt = (name: string, ...strings: string[]): dnsPacket.Answer => ({ type: 'TXT', class: 'IN', name, ttl: 120, data: strings.map(s => Buffer.from(s)) })

describe('codec', () => {
  let id: PeerId
  let other: PeerId
  before(async () => {
    id = await newPeerId()
    other = await newPeerId()
  })

  describe('peer names', () => {
    it('makes random lower-case alphanumeric names of 32 characters, different each time', () => {
      const a = randomPeerName()
      const b = randomPeerName()
      expect(a).to.match(/^[a-z0-9]{32}$/)
      expect(a).to.have.length(PEER_NAME_LENGTH)
      expect(a).to.not.equal(b)
      expect(isValidPeerName(a)).to.equal(true)
    })

    it('rejects names that are not one DNS label', () => {
      expect(isValidPeerName('')).to.equal(false)
      expect(isValidPeerName('a.b')).to.equal(false)
      expect(isValidPeerName('x'.repeat(64))).to.equal(false)
      expect(isValidPeerName('x'.repeat(63))).to.equal(true)
    })
  })

  describe('addresses', () => {
    it('keeps IP and .local addresses, drops loopback, unspecified, relayed and non-IP ones', () => {
      expect(isSuitableAddress(multiaddr('/ip4/192.168.1.2/tcp/4001'))).to.equal(true)
      expect(isSuitableAddress(multiaddr('/ip6/fe80::1/tcp/4001'))).to.equal(true)
      expect(isSuitableAddress(multiaddr('/dns4/host.local/tcp/4001'))).to.equal(true)
      expect(isSuitableAddress(multiaddr('/dns4/example.com/tcp/4001'))).to.equal(false)
      expect(isSuitableAddress(multiaddr('/ip4/127.0.0.1/tcp/4001'))).to.equal(false)
      expect(isSuitableAddress(multiaddr('/ip6/::1/tcp/4001'))).to.equal(false)
      expect(isSuitableAddress(multiaddr('/ip4/0.0.0.0/tcp/4001'))).to.equal(false)
      expect(isSuitableAddress(multiaddr(`/ip4/192.168.1.2/tcp/4001/p2p/${other.toString()}/p2p-circuit`))).to.equal(false)
      expect(isSuitableAddress(multiaddr('/memory/x'))).to.equal(false)
    })

    it('announces dnsaddr strings with our /p2p/ id appended, deduplicated, skipping other ids', () => {
      const strings = dnsaddrStrings(id, [
        multiaddr('/ip4/10.0.0.1/tcp/1'),
        multiaddr(`/ip4/10.0.0.1/tcp/1/p2p/${id.toString()}`),
        multiaddr(`/ip4/10.0.0.2/tcp/1/p2p/${other.toString()}`),
        multiaddr('/ip4/127.0.0.1/tcp/1')
      ])
      expect(strings).to.deep.equal([`dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/${id.toString()}`])
    })
  })

  describe('query', () => {
    it('encodes `<service-name> PTR` and reads it back as a service query', () => {
      const packet = dnsPacket.decode(Buffer.from(encodeQuery(SERVICE_TAG)))
      expect(packet.type).to.equal('query')
      expect(packet.questions).to.deep.include({ name: SERVICE_TAG, type: 'PTR', class: 'IN' })
      expect(readMessage(encodeQuery(SERVICE_TAG), SERVICE_TAG)).to.deep.equal({ type: 'query', service: true, meta: false, instance: false })
    })

    it('recognises the DNS-SD meta query, other services and names case-insensitively', () => {
      expect(readMessage(encodeQuery('_services._dns-sd._udp.local'), SERVICE_TAG)).to.deep.equal({ type: 'query', service: false, meta: true, instance: false })
      expect(readMessage(encodeQuery('_other._udp.local'), SERVICE_TAG)).to.deep.equal({ type: 'query', service: false, meta: false, instance: false })
      expect(readMessage(encodeQuery('_P2P._udp.LOCAL'), SERVICE_TAG)).to.deep.equal({ type: 'query', service: true, meta: false, instance: false })
    })

    it('treats an ANY question for the service as a service query, other record types not', () => {
      const ask = (type: string): Uint8Array => dnsPacket.encode({ type: 'query', questions: [{ type: type as any, class: 'IN', name: SERVICE_TAG }] })
      expect(readMessage(ask('ANY'), SERVICE_TAG)).to.deep.equal({ type: 'query', service: true, meta: false, instance: false })
      expect(readMessage(ask('TXT'), SERVICE_TAG)).to.deep.equal({ type: 'query', service: false, meta: false, instance: false })
    })

    it('recognises a direct TXT or ANY query for our instance name (spec, Gotchas)', () => {
      const ask = (type: string, name: string): Uint8Array => dnsPacket.encode({ type: 'query', questions: [{ type: type as any, class: 'IN', name }] })
      const ours = `abc.${SERVICE_TAG}`
      expect(readMessage(ask('TXT', ours), SERVICE_TAG, undefined, ours)).to.deep.equal({ type: 'query', service: false, meta: false, instance: true })
      expect(readMessage(ask('ANY', 'ABC._p2p._udp.local'), SERVICE_TAG, undefined, ours)).to.deep.equal({ type: 'query', service: false, meta: false, instance: true })
      expect(readMessage(ask('TXT', `xyz.${SERVICE_TAG}`), SERVICE_TAG, undefined, ours)).to.deep.equal({ type: 'query', service: false, meta: false, instance: false })
      expect(readMessage(ask('SRV', ours), SERVICE_TAG, undefined, ours)).to.deep.equal({ type: 'query', service: false, meta: false, instance: false })
    })
  })

  describe('response', () => {
    it('round-trips: PTR answer to the instance, one TXT dnsaddr per address, decoded into the PeerInfo', async () => {
      const bytes = encodeResponse({
        serviceTag: SERVICE_TAG,
        peerName: 'abc',
        peerId: id,
        multiaddrs: [multiaddr('/ip4/10.0.0.1/tcp/4001'), multiaddr('/ip6/fe80::2/tcp/4002'), multiaddr('/ip4/127.0.0.1/tcp/4001')]
      })
      expect(bytes).to.not.equal(undefined)
      const packet = dnsPacket.decode(Buffer.from(bytes!))
      expect(packet.type).to.equal('response')
      expect(packet.answers).to.have.length(1)
      expect(packet.answers?.[0]).to.include({ type: 'PTR', name: SERVICE_TAG, data: `abc.${SERVICE_TAG}` })
      expect(packet.additionals?.map(a => a.type)).to.deep.equal(['TXT', 'TXT', 'SRV', 'A', 'AAAA'])
      const message = readMessage(bytes!, SERVICE_TAG)
      expect(message.type).to.equal('response')
      if (message.type !== 'response') return
      expect(message.peers).to.have.length(1)
      expect(message.peers[0].id.equals(id)).to.equal(true)
      expect(message.peers[0].multiaddrs.map(String)).to.deep.equal([
        `/ip4/10.0.0.1/tcp/4001/p2p/${id.toString()}`,
        `/ip6/fe80::2/tcp/4002/p2p/${id.toString()}`
      ])
    })

    it('puts the TXT records among the answers for a direct TXT query, and they read the same', () => {
      const bytes = encodeResponse({ serviceTag: SERVICE_TAG, peerName: 'abc', peerId: id, multiaddrs: [multiaddr('/ip4/10.0.0.1/tcp/1')], txtInAnswers: true })!
      const packet = dnsPacket.decode(Buffer.from(bytes))
      expect(packet.answers?.map(a => a.type)).to.deep.equal(['PTR', 'TXT'])
      expect(packet.additionals?.map(a => a.type)).to.deep.equal(['SRV', 'A'])
      expect(peersFromResponse(packet, SERVICE_TAG)[0].multiaddrs.map(String)).to.deep.equal([`/ip4/10.0.0.1/tcp/1/p2p/${id.toString()}`])
    })

    it('adds the SRV, A and AAAA host records of the Find All Response (go-libp2p needs an address record)', () => {
      const bytes = encodeResponse({
        serviceTag: SERVICE_TAG,
        peerName: 'abc',
        peerId: id,
        multiaddrs: [
          multiaddr('/ip4/10.0.0.1/tcp/4001'), multiaddr('/ip4/10.0.0.1/udp/4001/quic-v1'),
          multiaddr('/ip6/fe80::2/tcp/4002'), multiaddr('/dns4/x.local/tcp/5'), multiaddr('/ip4/127.0.0.1/tcp/1')
        ]
      })!
      const packet = dnsPacket.decode(Buffer.from(bytes))
      const srv = packet.additionals?.filter(a => a.type === 'SRV') ?? []
      expect(srv).to.have.length(1)
      expect(srv[0]).to.include({ name: `abc.${SERVICE_TAG}` })
      expect((srv[0] as { data: { port: number, target: string } }).data).to.include({ port: 4001, target: 'abc.local' })
      const hosts = packet.additionals?.filter(a => a.type === 'A' || a.type === 'AAAA').map(a => [a.type, a.name, (a as { data: unknown }).data])
      // one record per distinct IP, none for the DNS name nor for loopback
      expect(hosts).to.deep.equal([['A', 'abc.local', '10.0.0.1'], ['AAAA', 'abc.local', 'fe80::2']])
      // what a reader takes from it is unchanged: the TXT records only
      expect(peersFromResponse(packet, SERVICE_TAG)[0].multiaddrs).to.have.length(4)
    })

    it('has nothing to send without a suitable address', () => {
      expect(encodeResponse({ serviceTag: SERVICE_TAG, peerName: 'abc', peerId: id, multiaddrs: [multiaddr('/ip4/127.0.0.1/tcp/1')] })).to.equal(undefined)
    })

    it('answers the meta query with a PTR to the service', () => {
      const packet = dnsPacket.decode(Buffer.from(encodeMetaResponse(SERVICE_TAG)))
      expect(packet.answers?.[0]).to.include({ type: 'PTR', name: '_services._dns-sd._udp.local', data: SERVICE_TAG })
    })

    it('filters out our own id', () => {
      const bytes = encodeResponse({ serviceTag: SERVICE_TAG, peerName: 'me', peerId: id, multiaddrs: [multiaddr('/ip4/10.0.0.1/tcp/1')] })!
      expect(peersFromResponse(decodePacket(bytes), SERVICE_TAG, id)).to.deep.equal([])
      expect(peersFromResponse(decodePacket(bytes), SERVICE_TAG, other)).to.have.length(1)
    })

    it('reads TXT records from the answers too, several strings per record, and several peers', () => {
      const bytes = response([
        ptr('a.' + SERVICE_TAG),
        ptr('b.' + SERVICE_TAG),
        txt('a.' + SERVICE_TAG, `dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/${id.toString()}`, `dnsaddr=/ip4/10.0.0.1/tcp/2/p2p/${id.toString()}`)
      ], [txt('B.' + SERVICE_TAG, `dnsaddr=/ip4/10.0.0.2/tcp/1/p2p/${other.toString()}`)])
      const peers = peersFromResponse(decodePacket(bytes), SERVICE_TAG)
      expect(peers.map(p => p.id.toString())).to.deep.equal([id.toString(), other.toString()])
      expect(peers[0].multiaddrs).to.have.length(2)
      expect(peers[1].multiaddrs.map(String)).to.deep.equal([`/ip4/10.0.0.2/tcp/1/p2p/${other.toString()}`])
    })

    it('skips bad dnsaddr strings: no /p2p/, another id than the first, not a multiaddr, loopback, other attributes', () => {
      const instance = 'a.' + SERVICE_TAG
      const bytes = response([ptr(instance)], [txt(instance,
        'dnsaddr=/ip4/10.0.0.1/tcp/1',
        'dnsaddr=not a multiaddr',
        `dnsaddr=/ip4/127.0.0.1/tcp/1/p2p/${id.toString()}`,
        'other=1',
        `dnsaddr=/ip4/10.0.0.1/tcp/2/p2p/${id.toString()}`,
        `dnsaddr=/ip4/10.0.0.1/tcp/3/p2p/${other.toString()}`,
        'dnsaddr=/ip4/10.0.0.1/tcp/4/p2p/notapeerid'
      )])
      const peers = peersFromResponse(decodePacket(bytes), SERVICE_TAG)
      expect(peers).to.have.length(1)
      expect(peers[0].multiaddrs.map(String)).to.deep.equal([`/ip4/10.0.0.1/tcp/2/p2p/${id.toString()}`])
    })

    it('ignores TXT records without a PTR for them, and PTRs of other services', () => {
      const bytes = response([ptr('a._other._udp.local', '_other._udp.local')], [
        txt('a._other._udp.local', `dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/${id.toString()}`),
        txt('b.' + SERVICE_TAG, `dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/${id.toString()}`)
      ])
      expect(peersFromResponse(decodePacket(bytes), SERVICE_TAG)).to.deep.equal([])
    })

    it('bounds the addresses per peer and the peers per response', async () => {
      const instance = 'a.' + SERVICE_TAG
      const many = Array.from({ length: MAX_ADDRESSES_PER_PEER + 10 }, (_, i) => `dnsaddr=/ip4/10.0.0.1/tcp/${i + 1}/p2p/${id.toString()}`)
      const peers = peersFromResponse(decodePacket(response([ptr(instance)], many.map(s => txt(instance, s)))), SERVICE_TAG)
      expect(peers[0].multiaddrs).to.have.length(MAX_ADDRESSES_PER_PEER)

      const ptrs = Array.from({ length: MAX_PEERS_PER_RESPONSE + 5 }, (_, i) => ptr(`p${i}.${SERVICE_TAG}`))
      const keys = await Promise.all(ptrs.map(async () => newPeerId()))
      const txts = ptrs.map((_, i) => txt(`p${i}.${SERVICE_TAG}`, `dnsaddr=/ip4/10.0.0.1/tcp/1/p2p/${keys[i].toString()}`))
      expect(peersFromResponse(decodePacket(response(ptrs, txts)), SERVICE_TAG)).to.have.length(MAX_PEERS_PER_RESPONSE)
    })

    it('keeps our response under the packet limit by dropping addresses', () => {
      const addrs = Array.from({ length: 200 }, (_, i) => multiaddr(`/dns4/${'h'.repeat(150)}${i}.local/tcp/1`))
      const bytes = encodeResponse({ serviceTag: SERVICE_TAG, peerName: 'abc', peerId: id, multiaddrs: addrs })!
      expect(bytes.byteLength + 28).to.be.at.most(MAX_PACKET_SIZE)
      expect(dnsPacket.decode(Buffer.from(bytes)).additionals?.length).to.be.greaterThan(10)
    })
  })

  describe('malformed packets', () => {
    it('throws InvalidMdnsPacketError for oversize, truncated and empty packets', () => {
      expect(() => decodePacket(new Uint8Array(MAX_PACKET_SIZE + 1))).to.throw(InvalidMdnsPacketError)
      expect(() => decodePacket(new Uint8Array(0))).to.throw(InvalidMdnsPacketError)
      const bytes = encodeQuery(SERVICE_TAG)
      expect(() => decodePacket(bytes.subarray(0, bytes.byteLength - 3))).to.throw(InvalidMdnsPacketError)
    })

    it('random bytes are only ever ignored: a typed error or a message without our peers', () => {
      fc.assert(fc.property(fc.uint8Array({ maxLength: 600 }), (bytes) => {
        try {
          const message = readMessage(bytes, SERVICE_TAG, id)
          if (message.type === 'response') expect(message.peers.every(p => !p.id.equals(id))).to.equal(true)
        } catch (err) {
          expect(err).to.be.instanceOf(InvalidMdnsPacketError)
        }
      }), { numRuns: 2000 })
    })

    it('mutations of a valid response are only ever ignored or read within bounds', () => {
      const valid = encodeResponse({ serviceTag: SERVICE_TAG, peerName: 'abc', peerId: other, multiaddrs: [multiaddr('/ip4/10.0.0.1/tcp/1')] })!
      fc.assert(fc.property(fc.array(fc.tuple(fc.nat(valid.byteLength - 1), fc.integer({ min: 0, max: 255 })), { minLength: 1, maxLength: 8 }), (edits) => {
        const bytes = Uint8Array.from(valid)
        for (const [at, value] of edits) bytes[at] = value
        try {
          const message = readMessage(bytes, SERVICE_TAG, id)
          if (message.type === 'response') {
            expect(message.peers.length).to.be.at.most(MAX_PEERS_PER_RESPONSE)
            for (const p of message.peers) expect(p.multiaddrs.length).to.be.within(1, MAX_ADDRESSES_PER_PEER)
          }
        } catch (err) {
          expect(err).to.be.instanceOf(InvalidMdnsPacketError)
        }
      }), { numRuns: 1000 })
    })
  })
})
