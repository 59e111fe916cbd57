// The perf, dht and gossipsub scenarios of the official js-libp2p peer. What each one does,
// and the lines it prints, is described in interop/README.md; the go peer (peers/go) is the
// reference the others follow.
import { peerIdFromString } from '@libp2p/peer-id'
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'
import * as raw from 'multiformats/codecs/raw'

const millis = (ns) => Number(ns / 1000n) / 1000
const now = () => process.hrtime.bigint()

// ---- perf: libp2p/specs perf/perf.md. @libp2p/perf is not on the npm registry, so the
// protocol is written here over the node's handle/dialProtocol.

export const PERF_PROTOCOL = '/perf/1.0.0'
const PERF_BLOCK = new Uint8Array(64 * 1024)
const DEFAULT_PERF_BYTES = 1024 * 1024

async function sendZeros (stream, n, signal) {
  while (n > 0) {
    const chunk = n >= PERF_BLOCK.length ? PERF_BLOCK : PERF_BLOCK.subarray(0, n)
    n -= chunk.length
    if (!stream.send(chunk)) await stream.onDrain({ signal })
  }
}

/** Makes node a perf server. */
export async function servePerf (node) {
  await node.handle(PERF_PROTOCOL, async (stream) => {
    try {
      const header = new Uint8Array(8)
      let headerBytes = 0
      for await (const chunk of stream) {
        const bytes = chunk.subarray()
        if (headerBytes < 8) {
          const take = Math.min(8 - headerBytes, bytes.length)
          header.set(bytes.subarray(0, take), headerBytes)
          headerBytes += take
        }
      }
      if (headerBytes < 8) throw new Error('perf: the client closed before its 8-byte header')
      const n = new DataView(header.buffer).getBigUint64(0)
      if (n > BigInt(Number.MAX_SAFE_INTEGER)) throw new Error(`perf: ${n} bytes asked for`)
      await sendZeros(stream, Number(n))
      await stream.close()
    } catch (err) {
      stream.abort(err)
    }
  }, { maxInboundStreams: 16 })
}

function envBytes (name) {
  const value = process.env[name]
  if (!value) return DEFAULT_PERF_BYTES
  const n = Number(value)
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n)) throw new Error(`bad ${name} ${value}`)
  return n
}

export async function runPerf (node, target, signal) {
  const upload = envBytes('perf_upload_bytes')
  const download = envBytes('perf_download_bytes')
  const dialStart = now()
  await node.dial(target, { signal })
  const connectMillis = millis(now() - dialStart)
  const start = now()
  const stream = await node.dialProtocol(target, PERF_PROTOCOL, { signal })
  const header = new Uint8Array(8)
  new DataView(header.buffer).setBigUint64(0, BigInt(download))
  if (!stream.send(header)) await stream.onDrain({ signal })
  await sendZeros(stream, upload, signal)
  await stream.close({ signal })
  const uploaded = now()
  let got = 0
  for await (const chunk of stream) got += chunk.byteLength
  const done = now()
  if (got !== download) throw new Error(`perf: downloaded ${got} bytes, asked for ${download}`)
  const up = Number(uploaded - start) / 1e9
  const down = Number(done - uploaded) / 1e9
  return {
    type: 'final',
    connectMillis,
    uploadBytes: upload,
    downloadBytes: download,
    uploadSeconds: up,
    downloadSeconds: down,
    timeSeconds: Number(done - start) / 1e9,
    uploadBytesPerSecond: up > 0 ? upload / up : 0,
    downloadBytesPerSecond: down > 0 ? download / down : 0
  }
}

// ---- dht: public key records (/pk/<peer id bytes> -> the Ed25519 public key, protobuf
// encoded, which the peer id carries as an identity multihash) and a provider record for
// sha2-256("ts-interop provider <peer id>"), both derived from peer ids.

const encoder = new TextEncoder()
const concat = (a, b) => { const out = new Uint8Array(a.length + b.length); out.set(a); out.set(b, a.length); return out }

export const dhtRecordKey = (peerId) => concat(encoder.encode('/pk/'), peerId.toMultihash().bytes)
export const dhtRecordValue = (peerId) => peerId.toMultihash().digest
export async function dhtProviderCid (peerId) {
  return CID.createV1(raw.code, await sha256.digest(encoder.encode(`ts-interop provider ${peerId}`)))
}
const hex = (b) => Buffer.from(b).toString('hex')

/** Stores the listener's record and provider record locally (there are no peers yet). */
export async function setupDhtListener (node) {
  const dht = node.services.dht
  const self = node.peerId
  // The listener answers GET_PROVIDERS with the addresses its peer store has for each
  // provider, itself included, and leaves out providers without any. libp2p records its own
  // addresses there a moment after it starts listening (self:peer:update): wait for that.
  const hasOwnAddresses = async () => (await node.peerStore.get(self)).addresses.length > 0
  if (!await hasOwnAddresses()) {
    await new Promise((resolve) => {
      const onUpdate = () => {
        hasOwnAddresses().then((yes) => {
          if (yes) { node.removeEventListener('self:peer:update', onUpdate); resolve() }
        }, () => {})
      }
      node.addEventListener('self:peer:update', onUpdate)
      onUpdate()
    })
  }
  // Both store locally first, then look for peers to send to; there are none yet.
  try {
    for await (const _ of dht.put(dhtRecordKey(self), dhtRecordValue(self))) {} // eslint-disable-line no-unused-vars
  } catch (err) {
    process.stderr.write(`dht: put without peers: ${err.message}\n`)
  }
  try {
    for await (const _ of dht.provide(await dhtProviderCid(self))) {} // eslint-disable-line no-unused-vars
  } catch (err) {
    process.stderr.write(`dht: provide without peers: ${err.message}\n`)
  }
}

/** Dials the listener and waits until it is in the node's routing table. */
async function connectDht (node, target, remote, signal) {
  await node.dial(target, { signal })
  const table = node.services.dht.routingTable
  while (await table.find(remote) == null) {
    signal.throwIfAborted()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
}

async function expectValue (node, key, want, signal) {
  let got = null
  for await (const event of node.services.dht.get(key, { signal })) {
    if (event.name === 'VALUE') got = event.value
  }
  if (got == null) throw new Error(`dht: get ${hex(key)}: no value`)
  if (hex(got) !== hex(want)) throw new Error(`dht: get ${hex(key)}: got ${hex(got)}, want ${hex(want)}`)
}

async function expectProvider (node, cid, want, signal) {
  const found = []
  for await (const event of node.services.dht.findProviders(cid, { signal })) {
    if (event.name === 'PROVIDER') {
      for (const p of event.providers) {
        if (p.id.equals(want)) return
        found.push(p.id.toString())
      }
    }
  }
  throw new Error(`dht: find providers of ${cid}: ${found.length === 0 ? 'none found' : `got ${found}, want ${want}`}`)
}

/**
 * Retries f every 100 ms until it succeeds or the signal fires: the listener stores what A
 * sent (ADD_PROVIDER has no answer) in its own time.
 */
async function eventually (f, signal) {
  for (;;) {
    try {
      return await f()
    } catch (err) {
      if (signal.aborted) throw err
    }
    await new Promise((resolve) => setTimeout(resolve, 100))
  }
}

/**
 * Node A gets the listener's record and providers, then puts and provides its own, and
 * stops; node B, which knows only the listener, must then find A's record and A.
 */
export async function runDht (createNode, target, signal) {
  const remote = target.getComponents().findLast(c => c.name === 'p2p').value
  const listener = peerIdFromString(remote)
  const start = now()
  const timings = {}
  const step = async (name, f) => { const t = now(); await f(); timings[name] = millis(now() - t) }

  const a = await createNode()
  let aId
  try {
    aId = a.peerId
    await step('connectMillis', () => connectDht(a, target, listener, signal))
    await step('getMillis', () => expectValue(a, dhtRecordKey(listener), dhtRecordValue(listener), signal))
    await step('findProvidersMillis', async () => expectProvider(a, await dhtProviderCid(listener), listener, signal))
    await step('putMillis', async () => { for await (const _ of a.services.dht.put(dhtRecordKey(aId), dhtRecordValue(aId), { signal })) {} }) // eslint-disable-line no-unused-vars
    await step('provideMillis', async () => { for await (const _ of a.services.dht.provide(await dhtProviderCid(aId), { signal })) {} }) // eslint-disable-line no-unused-vars
    // ADD_PROVIDER has no answer: one ping round trip on the same connection before A stops,
    // so that the message is not lost with the connection.
    await a.services.ping.ping(target, { signal })
  } finally {
    // A goes away: what B finds next can only come from the listener.
    await a.stop()
  }
  const b = await createNode()
  try {
    await connectDht(b, target, listener, signal)
    await step('verifyGetMillis', () => eventually(() => expectValue(b, dhtRecordKey(aId), dhtRecordValue(aId), signal), signal))
    await step('verifyFindProvidersMillis', async () => eventually(async () => expectProvider(b, await dhtProviderCid(aId), aId, signal), signal))
  } finally {
    await b.stop()
  }
  timings.totalMillis = millis(now() - start)
  return timings
}

// ---- gossipsub: both join "ts-interop"; the dialer publishes until the listener answers.

export const GOSSIP_TOPIC = 'ts-interop'
const DIALER_PREFIX = 'ts-interop gossip from dialer '
const LISTENER_PREFIX = 'ts-interop gossip from listener '
const REPUBLISH_MILLIS = 1000
const decoder = new TextDecoder()

/** Answers every dialer message with one of its own. */
export function serveGossip (node) {
  const pubsub = node.services.pubsub
  pubsub.subscribe(GOSSIP_TOPIC)
  pubsub.addEventListener('message', (evt) => {
    const { topic, data } = evt.detail
    if (topic !== GOSSIP_TOPIC || !decoder.decode(data).startsWith(DIALER_PREFIX)) return
    pubsub.publish(GOSSIP_TOPIC, encoder.encode(LISTENER_PREFIX + node.peerId.toString()))
      .catch((err) => process.stderr.write(`gossipsub: answer: ${err.message}\n`))
  })
}

export async function runGossip (node, target, signal) {
  const pubsub = node.services.pubsub
  const remote = target.getComponents().findLast(c => c.name === 'p2p').value
  const start = now()
  pubsub.subscribe(GOSSIP_TOPIC)
  let answered
  const answer = new Promise((resolve) => { answered = resolve })
  pubsub.addEventListener('message', (evt) => {
    const text = decoder.decode(evt.detail.data)
    if (evt.detail.topic === GOSSIP_TOPIC && text.startsWith(LISTENER_PREFIX)) answered(text)
  })
  await node.dial(target, { signal })
  while (!pubsub.getSubscribers(GOSSIP_TOPIC).some(p => p.toString() === remote)) {
    signal.throwIfAborted()
    await new Promise((resolve) => setTimeout(resolve, 20))
  }
  const subscribedMillis = millis(now() - start)
  const published = now()
  for (let n = 1; ; n++) {
    await pubsub.publish(GOSSIP_TOPIC, encoder.encode(`${DIALER_PREFIX}${node.peerId} #${n}`))
    let timer
    const got = await Promise.race([
      answer,
      new Promise((resolve) => { timer = setTimeout(resolve, REPUBLISH_MILLIS, null) })
    ]).finally(() => clearTimeout(timer))
    signal.throwIfAborted()
    if (got == null) continue
    if (got !== LISTENER_PREFIX + remote) throw new Error(`gossipsub: answer ${JSON.stringify(got)} is not from the listener`)
    return { subscribedMillis, roundTripMillis: millis(now() - published), published: n, totalMillis: millis(now() - start) }
  }
}

// ---- gossipsub-mesh: one node of a line (interop/lib/mesh.mjs).

const MESH_PREFIX = 'ts-interop mesh from '

/**
 * Prints the readiness line, dials mesh_dial, publishes every second once it has a subscribed
 * peer, and prints the publishers heard from once there are mesh_size-1; serves until killed.
 */
export async function runMesh (node, multiaddr, signal) {
  const size = Number(process.env.mesh_size)
  if (!(size >= 2)) throw new Error(`bad mesh_size ${process.env.mesh_size}`)
  const pubsub = node.services.pubsub
  const start = now()
  const heard = new Set()
  let reported = false
  pubsub.subscribe(GOSSIP_TOPIC)
  pubsub.addEventListener('message', (evt) => {
    const { topic, data, from } = evt.detail
    if (topic !== GOSSIP_TOPIC || from == null || from.equals(node.peerId) || !decoder.decode(data).startsWith(MESH_PREFIX)) return
    heard.add(from.toString())
    if (!reported && heard.size >= size - 1) {
      reported = true
      console.log(JSON.stringify({ receivedFrom: [...heard].sort(), meshMillis: millis(now() - start) }))
    }
  })
  process.stdout.write(`listenAddr=${node.getMultiaddrs()[0]}\n`)
  for (const addr of (process.env.mesh_dial ?? '').split(',').filter(Boolean)) await node.dial(multiaddr(addr), { signal })
  for (let n = 1; !signal.aborted; await new Promise((resolve) => setTimeout(resolve, 1000))) {
    if (pubsub.getSubscribers(GOSSIP_TOPIC).length === 0) continue
    await pubsub.publish(GOSSIP_TOPIC, encoder.encode(`${MESH_PREFIX}${node.peerId} #${n++}`))
      .catch((err) => process.stderr.write(`gossipsub: publish: ${err.message}\n`))
  }
}
