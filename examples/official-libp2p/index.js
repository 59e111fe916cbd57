// Our noise inside the official js-libp2p node. Two official `libp2p` nodes
// (with the official TCP transport, yamux, identify and ping) take
// `@ts-libp2p/noise` as their connection encrypter: the ConnectionEncrypter role
// is the same, so the official node cannot tell. One node dials the other, pings
// it and prints what identify learnt.
//
// Official js-libp2p 3 needs Node >= 22 (it uses Promise.withResolvers); in this
// repository run it with the Node 24 binary that `npm ci` installs:
//
//   node_modules/node24/bin/node examples/official-libp2p/index.js
import { yamux } from '@chainsafe/libp2p-yamux'
import { identify } from '@libp2p/identify'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { noise } from '@ts-libp2p/noise'
import { createLibp2p } from 'libp2p'

if (typeof Promise.withResolvers !== 'function') {
  console.error(`official js-libp2p 3 needs Node >= 22 (this is ${process.version}): run node_modules/node24/bin/node examples/official-libp2p/index.js`)
  process.exit(1)
}

const options = () => ({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { identify: identify(), ping: ping() }
})

const a = await createLibp2p(options())
const b = await createLibp2p(options())
console.log('official node A', a.peerId.toString())
console.log('official node B', b.peerId.toString(), 'on', b.getMultiaddrs().map(String).join(' '))

const identified = new Promise((resolve) => {
  a.addEventListener('peer:identify', (evt) => resolve(evt.detail), { once: true })
})
const signal = AbortSignal.timeout(10_000)
const connection = await a.dial(b.getMultiaddrs()[0], { signal })
console.log(`A connected to B with ${connection.encryption} from @ts-libp2p/noise and ${connection.multiplexer}`)

const rtt = await a.services.ping.ping(b.getMultiaddrs()[0], { signal })
console.log(`A pinged B over the noise channel: ${rtt} ms`)
const result = await identified
console.log(`A identified B: ${result.agentVersion}, protocols ${result.protocols.join(' ')}`)

await a.stop()
await b.stop()
