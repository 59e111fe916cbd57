#!/usr/bin/env node
// `npm run demo`: three ts-libp2p nodes, built with createLibp2p from our
// packages, doing real work in one process:
//
//   A: tcp,          encrypters noise then tls, muxers yamux then mplex
//   B: tcp + memory, encrypters tls then noise, muxers mplex then yamux
//   C: memory,       encrypter tls only,        muxer mplex only
//
// A dials B over TCP on 127.0.0.1 (A proposes noise, which agrees the muxer
// inside its handshake), C dials B over the memory transport (tls, whose ALPN
// agrees mplex). Over those connections they negotiate protocols with
// multistream-select (offering one B does not speak first), ping per the ping
// spec, have B sign a random challenge that the dialer verifies with the key in
// B's peer id, and echo several MiB checking every byte. Every step is printed;
// the exit code is 0 only when every step succeeded. The whole run is bounded.
import { createHash, randomBytes } from 'node:crypto'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { memory } from '@ts-libp2p/memory'
import { mplex } from '@ts-libp2p/mplex'
import { noise } from '@ts-libp2p/noise'
import { tcp } from '@ts-libp2p/tcp'
import { tls } from '@ts-libp2p/tls'
import { byteStream } from '@ts-libp2p/utils'
import { yamux } from '@ts-libp2p/yamux'

const PING = '/ipfs/ping/1.0.0'
const SIGN = '/ts-libp2p/demo/sign/1.0.0'
const ECHO = '/ts-libp2p/demo/echo/1.0.0'
// mplex has no flow control: a stream whose unread bytes pass the receiver's
// buffer limit is reset (mplex/README.md), so the echo over mplex stays well
// under it; yamux's windows carry any amount
const ECHO_BYTES = { '/yamux/1.0.0': 8 * 1024 * 1024, '/mplex/6.7.0': 1024 * 1024 }
const deadline = AbortSignal.timeout(60_000)
let failures = 0

async function step (title, fn) {
  const start = performance.now()
  try {
    const detail = await fn()
    console.log(`  ✔ ${title}${detail != null ? `: ${detail}` : ''} (${(performance.now() - start).toFixed(1)} ms)`)
    return true
  } catch (err) {
    failures++
    console.log(`  ✘ ${title}: ${err.name}: ${err.message}`)
    return false
  }
}

console.log('ts-libp2p demo: three nodes, two transports, two encrypters, two muxers\n')
const a = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise(), tls()],
  streamMuxers: [yamux(), mplex()]
})
const b = await createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0', `/memory/ts-libp2p-demo-${process.pid}`] },
  transports: [tcp(), memory()],
  connectionEncrypters: [tls(), noise()],
  streamMuxers: [mplex(), yamux()]
})
const c = await createLibp2p({
  transports: [memory()],
  connectionEncrypters: [tls()],
  streamMuxers: [mplex()]
})
for (const [name, node] of [['A', a], ['B', b], ['C', c]]) {
  console.log(`  node ${name} ${node.peerId}${node.getMultiaddrs().length > 0 ? `\n         listening on ${node.getMultiaddrs().map(String).join('\n                      ')}` : ''}`)
}
console.log()

// B's protocols: ping echoes 32-byte payloads (ping/ping.md), sign signs what it is sent, echo echoes
await b.handle(PING, async (stream) => {
  const bytes = byteStream(stream)
  try {
    while (true) {
      const payload = await bytes.read({ bytes: 32, signal: deadline })
      if (!stream.send(payload)) await stream.onDrain({ signal: deadline })
    }
  } catch {
    // the dialer closed the stream: the ping session is over
  }
  await stream.close().catch(() => {})
})
await b.handle(SIGN, async (stream) => {
  const challenge = await byteStream(stream).read({ bytes: 32, signal: deadline })
  stream.send(await b.components.privateKey.sign(challenge.subarray()))
  await stream.close()
})
await b.handle(ECHO, async (stream) => {
  for await (const chunk of stream) {
    if (!stream.send(chunk)) await stream.onDrain({ signal: deadline })
  }
  await stream.close()
})

const tcpAddr = b.getMultiaddrs().find(ma => ma.toString().includes('/tcp/'))
const memoryAddr = b.getMultiaddrs().find(ma => ma.toString().includes('/memory/'))

async function work (dialer, name, address) {
  let connection
  const connected = await step(`${name} dials B at ${address.toString().replace(/\/p2p\/.*/, '')}`, async () => {
    connection = await dialer.dial(address, { signal: deadline })
    if (!connection.remotePeer.equals(b.peerId)) throw new Error(`connected to ${connection.remotePeer}, not B`)
    return `${connection.encryption} + ${connection.multiplexer}, remote proved to be B`
  })
  if (!connected) return

  await step(`${name}: protocol negotiation falls back past a protocol B does not speak`, async () => {
    const stream = await connection.newStream(['/ts-libp2p/demo/not-spoken/1.0.0', PING], { signal: deadline })
    await stream.close()
    if (stream.protocol !== PING) throw new Error(`negotiated ${stream.protocol}`)
    return `agreed on ${stream.protocol}`
  })

  await step(`${name}: ping (32 random bytes echoed, 5 round trips on one stream)`, async () => {
    const stream = await connection.newStream(PING, { signal: deadline })
    const bytes = byteStream(stream)
    const rtts = []
    for (let i = 0; i < 5; i++) {
      const payload = randomBytes(32)
      const start = performance.now()
      stream.send(payload)
      const echoed = await bytes.read({ bytes: 32, signal: deadline })
      rtts.push(performance.now() - start)
      if (!Buffer.from(echoed.subarray()).equals(payload)) throw new Error('ping payload came back different')
    }
    await stream.close()
    return `RTTs ${rtts.map(r => r.toFixed(2)).join(', ')} ms`
  })

  await step(`${name}: B signs a random challenge, verified with the key in B's peer id`, async () => {
    const stream = await connection.newStream(SIGN, { signal: deadline })
    const challenge = randomBytes(32)
    stream.send(challenge)
    const chunks = []
    for await (const chunk of stream) chunks.push(chunk.subarray())
    const signature = Buffer.concat(chunks)
    const key = connection.remotePeer.publicKey
    if (key == null || !(await key.verify(challenge, signature))) throw new Error('the signature does not verify')
    const forged = Buffer.from(signature); forged[0] ^= 1
    if (await key.verify(challenge, forged)) throw new Error('a forged signature verified')
    return `${signature.length}-byte ${key.type} signature verified, a forged one refused`
  })

  const echoBytes = ECHO_BYTES[connection.multiplexer] ?? 1024 * 1024
  await step(`${name}: echo ${echoBytes / 1024 / 1024} MiB through B over ${connection.multiplexer} and check every byte (sha256)`, async () => {
    const stream = await connection.newStream(ECHO, { signal: deadline })
    const sent = createHash('sha256')
    const received = createHash('sha256')
    let receivedBytes = 0
    const start = performance.now()
    const reading = (async () => {
      for await (const chunk of stream) {
        received.update(chunk.subarray())
        receivedBytes += chunk.byteLength
      }
    })()
    const writing = (async () => {
      for (let offset = 0; offset < echoBytes; offset += 65536) {
        const chunk = randomBytes(65536)
        sent.update(chunk)
        if (!stream.send(chunk)) await stream.onDrain({ signal: deadline })
      }
      await stream.close({ signal: deadline })
    })()
    // wait for both, so a failure of either is reported and neither is left unhandled
    const [w, r] = await Promise.allSettled([writing, reading])
    if (w.status === 'rejected') throw w.reason
    if (r.status === 'rejected') throw r.reason
    const seconds = (performance.now() - start) / 1000
    if (receivedBytes !== echoBytes || sent.digest('hex') !== received.digest('hex')) throw new Error(`got ${receivedBytes} bytes back, or different bytes`)
    return `${(2 * echoBytes / 1024 / 1024 / seconds).toFixed(0)} MiB/s both ways, content identical`
  })
}

await work(a, 'A', tcpAddr)
await work(c, 'C', memoryAddr)

await step('B sees both peers connected', async () => {
  const peers = b.getPeers().map(String).sort()
  const expected = [a.peerId.toString(), c.peerId.toString()].sort()
  if (JSON.stringify(peers) !== JSON.stringify(expected)) throw new Error(`B's peers are ${peers.join(', ')}`)
  return `${b.getConnections().length} connections`
})

await step('A and C hang up; B sees both disconnect; every node stops', async () => {
  const gone = new Promise((resolve) => {
    let left = 2
    b.addEventListener('peer:disconnect', () => { if (--left === 0) resolve() })
  })
  await a.hangUp(b.peerId)
  await c.hangUp(b.peerId)
  await Promise.race([gone, new Promise((resolve, reject) => { deadline.addEventListener('abort', () => { reject(deadline.reason) }) })])
  await Promise.all([a.stop(), b.stop(), c.stop()])
  const open = a.getConnections().length + b.getConnections().length + c.getConnections().length
  if (open !== 0) throw new Error(`${open} connections still open`)
  return 'no connection left open'
})

console.log(failures === 0 ? '\ndemo finished: every step succeeded' : `\ndemo finished: ${failures} step(s) failed`)
process.exitCode = failures === 0 ? 0 : 1
