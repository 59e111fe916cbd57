/**
 * Property tests of the mDNS codec on datagrams from the LAN (any host on
 * the link can send them): DNS decoding, query and response reading, and the
 * dnsaddr TXT records a response carries. Run longer with
 * `npm run fuzz -- --target mdns`.
 */
import { multiaddr } from '@multiformats/multiaddr'
import { generateKeyPairFromSeed } from '@ts-libp2p/crypto'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { expect } from 'chai'
import fc from 'fast-check'
import { corpus, expectTyped, params, peerBytes, RUNS } from '@ts-libp2p/fuzz-harness'
import { encodeQuery, encodeResponse, readMessage } from '../src/codec.js'
import type { PeerId } from '@ts-libp2p/interface'

const TAG = '_p2p._udp.local'

describe('fuzz: mdns codec', function () {
  this.timeout(Math.max(5_000, RUNS * 40))
  let peerId: PeerId
  let seeds: Uint8Array[]

  before(async () => {
    peerId = peerIdFromPrivateKey(await generateKeyPairFromSeed('Ed25519', new Uint8Array(32).fill(5)))
    seeds = [
      ...corpus('mdns'),
      encodeQuery(TAG),
      encodeResponse({ serviceTag: TAG, peerName: 'abcdefghijklmnop', peerId, multiaddrs: [multiaddr('/ip4/192.168.1.2/tcp/4001'), multiaddr('/ip4/192.168.1.2/udp/4001/quic-v1')] }) ?? new Uint8Array()
    ]
  })

  it('readMessage reads a query or a response, or throws InvalidMdnsPacketError', () => {
    fc.assert(fc.property(fc.constant(null).chain(() => peerBytes(seeds, 600)), (bytes) => {
      try {
        const message = readMessage(bytes, TAG)
        expect(message).to.be.an('object')
      } catch (err) { expectTyped(err, ['InvalidMdnsPacketError']) }
    }), params())
  })

  it('a response announces its peer with the addresses it carries', () => {
    fc.assert(fc.property(fc.array(fc.tuple(fc.ipV4(), fc.integer({ min: 1, max: 65535 })), { minLength: 1, maxLength: 5 }), ([...addrs]) => {
      const multiaddrs = addrs.map(([ip, port]) => multiaddr(`/ip4/${ip}/tcp/${port}`))
      const bytes = encodeResponse({ serviceTag: TAG, peerName: 'abcdefghijklmnop', peerId, multiaddrs })
      if (bytes == null) return
      const message: any = readMessage(bytes, TAG)
      expect(message.type).to.equal('response')
      const peers = message.peers ?? []
      expect(peers.length).to.be.at.most(1)
      const sent = multiaddrs.map(String)
      for (const p of peers) {
        expect(p.id.equals(peerId)).to.equal(true)
        for (const ma of p.multiaddrs) expect(sent).to.include(ma.toString().split('/p2p/')[0])
      }
    }), params())
  })
})
