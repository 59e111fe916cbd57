/**
 * Our modules inside the OFFICIAL js-libp2p node (libp2p 3.3), against an
 * official node made only of official modules: the other half of the
 * compatibility rule (official-mixed.spec.ts puts official modules in our
 * node). Each pair: dial, ping, identify, and an echo of 1 MiB both ways.
 * Runs with the Promise.withResolvers polyfill (official code needs Node 22).
 */
import { noise as officialNoise } from '@chainsafe/libp2p-noise'
import { yamux as officialYamux } from '@chainsafe/libp2p-yamux'
import { echo } from '@libp2p/echo'
import { identify } from '@libp2p/identify'
import { mplex as officialMplex } from '@libp2p/mplex'
import { ping } from '@libp2p/ping'
import { tcp as officialTcp } from '@libp2p/tcp'
import { tls as officialTls } from '@libp2p/tls'
import { mplex } from '@ts-libp2p/mplex'
import { noise } from '@ts-libp2p/noise'
import { tcp } from '@ts-libp2p/tcp'
import { tls } from '@ts-libp2p/tls'
import { yamux } from '@ts-libp2p/yamux'
import { expect } from 'chai'
import { createLibp2p } from 'libp2p'

const ECHO = 1024 * 1024

interface Stack { name: string, ours: () => Record<string, any>, official: () => Record<string, any>, encryption: string, multiplexer: string }

const stacks: Stack[] = [
  {
    name: 'our noise + our yamux',
    ours: () => ({ connectionEncrypters: [noise()], streamMuxers: [yamux()] }),
    official: () => ({ connectionEncrypters: [officialNoise()], streamMuxers: [officialYamux()] }),
    encryption: '/noise',
    multiplexer: '/yamux/1.0.0'
  },
  {
    name: 'our tls + our mplex',
    ours: () => ({ connectionEncrypters: [tls()], streamMuxers: [mplex()] }),
    official: () => ({ connectionEncrypters: [officialTls()], streamMuxers: [officialMplex()] }),
    encryption: '/tls/1.0.0',
    multiplexer: '/mplex/6.7.0'
  },
  {
    name: 'our tcp + our noise + our mplex',
    ours: () => ({ transports: [tcp()], connectionEncrypters: [noise()], streamMuxers: [mplex()] }),
    official: () => ({ connectionEncrypters: [officialNoise()], streamMuxers: [officialMplex()] }),
    encryption: '/noise',
    multiplexer: '/mplex/6.7.0'
  }
]

async function officialNode (modules: Record<string, any>): Promise<any> {
  return await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [officialTcp()],
    ...modules,
    services: { identify: identify(), ping: ping(), echo: echo() }
  } as any)
}

function pattern (length: number): Uint8Array {
  const bytes = new Uint8Array(length)
  for (let i = 0; i < length; i++) bytes[i] = (i * 31 + 7) & 0xff
  return bytes
}

describe('our modules inside the official js-libp2p node, against an official node', function () {
  this.timeout(30_000)

  for (const stack of stacks) {
    for (const oursDials of [true, false]) {
      it(`${stack.name}: ${oursDials ? 'ours dials' : 'official dials'}`, async () => {
        const ours = await officialNode(stack.ours())
        const official = await officialNode(stack.official())
        try {
          const [dialer, listener] = oursDials ? [ours, official] : [official, ours]
          const identified = new Promise<any>((resolve) => {
            dialer.addEventListener('peer:identify', (evt: any) => { resolve(evt.detail) }, { once: true })
          })
          const connection = await dialer.dial(listener.getMultiaddrs()[0], { signal: AbortSignal.timeout(10_000) })
          expect(connection.encryption).to.equal(stack.encryption)
          expect(connection.multiplexer).to.equal(stack.multiplexer)

          const rtt = await dialer.services.ping.ping(listener.peerId, { signal: AbortSignal.timeout(10_000) })
          expect(rtt).to.be.a('number')

          const info = await identified
          expect(info.peerId.toString()).to.equal(listener.peerId.toString())
          expect(info.protocols).to.include('/ipfs/ping/1.0.0')

          const sent = pattern(ECHO)
          const back = await dialer.services.echo.echo(listener.peerId, sent, { signal: AbortSignal.timeout(15_000) })
          expect(back.byteLength).to.equal(ECHO)
          expect(Buffer.from(back.subarray()).equals(Buffer.from(sent))).to.equal(true)
        } finally {
          await ours.stop()
          await official.stop()
        }
      })
    }
  }
})
