// A libp2p node assembled from exactly three ts-libp2p protocol packages: TCP
// for transport, noise to encrypt and authenticate, yamux to multiplex streams.
// Two such nodes start on 127.0.0.1, one dials the other, and they talk over a
// protocol of our own: the listener answers every line with it in upper case.
//
//   node examples/custom-stack/index.js
import { createLibp2p } from '@ts-libp2p/libp2p'
import { noise } from '@ts-libp2p/noise'
import { tcp } from '@ts-libp2p/tcp'
import { yamux } from '@ts-libp2p/yamux'

const PROTOCOL = '/example/shout/1.0.0'

const stack = () => ({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()]
})

const listener = await createLibp2p(stack())
const dialer = await createLibp2p(stack())
console.log('listener', listener.peerId.toString(), 'on', listener.getMultiaddrs().map(String).join(' '))
console.log('dialer  ', dialer.peerId.toString())

// the listener's protocol: read what arrives, send it back in upper case, close when the dialer closes
await listener.handle(PROTOCOL, async (stream) => {
  for await (const chunk of stream) {
    stream.send(new TextEncoder().encode(new TextDecoder().decode(chunk.subarray()).toUpperCase()))
  }
  await stream.close()
})

const signal = AbortSignal.timeout(10_000)
const connection = await dialer.dial(listener.getMultiaddrs()[0], { signal })
console.log(`connected over ${connection.remoteAddr} with ${connection.encryption} and ${connection.multiplexer}`)

const stream = await connection.newStream(PROTOCOL, { signal })
const sent = 'hello from a three-package stack'
stream.send(new TextEncoder().encode(sent))
await stream.close({ signal })
let answer = ''
for await (const chunk of stream) answer += new TextDecoder().decode(chunk.subarray())
console.log(`sent "${sent}", got "${answer}"`)

await dialer.stop()
await listener.stop()
if (answer !== sent.toUpperCase()) {
  console.error('unexpected answer')
  process.exit(1)
}
