// The dht and gossipsub scenarios of our (ts-libp2p) peer. What each does, and the lines it
// prints, is described in interop/README.md; the go peer is the reference the others follow.
import { CID } from 'multiformats/cid'
import { sha256 } from 'multiformats/hashes/sha2'

const RAW_CODEC = 0x55
const millis = (ns) => Number(ns / 1000n) / 1000
const now = () => process.hrtime.bigint()
const encoder = new TextEncoder()
const decoder = new TextDecoder()
const hex = (b) => Buffer.from(b).toString('hex')
const pause = (ms) => new Promise((resolve) => setTimeout(resolve, ms))

// ---- dht: public key records (/pk/<peer id bytes> -> the Ed25519 public key, protobuf
// encoded, which the peer id carries as an identity multihash) and a provider record for
// sha2-256("ts-interop provider <peer id>"), both derived from peer ids.

function concat (a, b) {
  const out = new Uint8Array(a.length + b.length)
  out.set(a)
  out.set(b, a.length)
  return out
}

export const dhtRecordKey = (peerId) => concat(encoder.encode('/pk/'), peerId.toMultihash().bytes)
export const dhtRecordValue = (peerId) => peerId.toMultihash().digest
export async function dhtProviderCid (peerId) {
  return CID.createV1(RAW_CODEC, await sha256.digest(encoder.encode(`ts-interop provider ${peerId}`)))
}

/** Stores the listener's record and provider record locally (there are no peers yet). */
export async function setupDhtListener (node) {
  const dht = node.services.dht
  // quorum 0: stored locally, nobody else to accept it yet
  await dht.put(dhtRecordKey(node.peerId), dhtRecordValue(node.peerId), { quorum: 0 })
  try {
    await dht.provide(await dhtProviderCid(node.peerId))
  } catch (err) {
    process.stderr.write(`dht: provide without peers: ${err.message}\n`)
  }
}

async function connectDht (node, target, remote, signal) {
  await node.dial(target, { signal })
  while (!node.services.dht.routingTable.has(remote)) {
    signal.throwIfAborted()
    await pause(20)
  }
}

async function expectValue (node, key, want, signal) {
  const got = await node.services.dht.get(key, { signal })
  if (hex(got) !== hex(want)) throw new Error(`dht: get ${hex(key)}: got ${hex(got)}, want ${hex(want)}`)
}

async function expectProvider (node, cid, want, signal) {
  const found = []
  for await (const p of node.services.dht.findProviders(cid, { signal })) {
    if (p.id.equals(want)) return
    found.push(p.id.toString())
  }
  throw new Error(`dht: find providers of ${cid}: ${found.length === 0 ? 'none found' : `got ${found}, want ${want}`}`)
}

/** Retries f every 100 ms until it succeeds or the signal fires (ADD_PROVIDER has no answer). */
async function eventually (f, signal) {
  for (;;) {
    try {
      return await f()
    } catch (err) {
      if (signal.aborted) throw err
    }
    await pause(100)
  }
}

/**
 * Node A gets the listener's record and providers, then puts and provides its own, and
 * stops; node B, which knows only the listener, must then find A's record and A.
 */
export async function runDht (createNode, target, listener, signal) {
  const start = now()
  const timings = {}
  const step = async (name, f) => { const t = now(); await f(); timings[name] = millis(now() - t) }
  const a = await createNode()
  const aId = a.peerId
  try {
    await step('connectMillis', () => connectDht(a, target, listener, signal))
    await step('getMillis', () => expectValue(a, dhtRecordKey(listener), dhtRecordValue(listener), signal))
    await step('findProvidersMillis', async () => expectProvider(a, await dhtProviderCid(listener), listener, signal))
    await step('putMillis', () => a.services.dht.put(dhtRecordKey(aId), dhtRecordValue(aId), { signal }))
    await step('provideMillis', async () => a.services.dht.provide(await dhtProviderCid(aId), { signal }))
    // ADD_PROVIDER has no answer: one ping round trip on the same connection before A stops
    await a.services.ping.ping(target, { signal })
  } finally {
    await a.stop()
  }
  const b = await createNode()
  try {
    await connectDht(b, target, listener, signal)
    await step('verifyGetMillis', () => eventually(() => expectValue(b, dhtRecordKey(aId), dhtRecordValue(aId), signal), signal))
    await step('verifyFindProvidersMillis', () => eventually(async () => expectProvider(b, await dhtProviderCid(aId), aId, signal), signal))
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

/** Answers every dialer message with one of its own. */
export function serveGossip (node) {
  const pubsub = node.services.pubsub
  pubsub.subscribe(GOSSIP_TOPIC)
  pubsub.addEventListener('message', (evt) => {
    const { topic, data } = evt.detail
    if (topic !== GOSSIP_TOPIC || !decoder.decode(data).startsWith(DIALER_PREFIX)) return
    Promise.resolve(pubsub.publish(GOSSIP_TOPIC, encoder.encode(LISTENER_PREFIX + node.peerId.toString())))
      .catch((err) => process.stderr.write(`gossipsub: answer: ${err.message}\n`))
  })
}

export async function runGossip (node, target, remote, signal) {
  const pubsub = node.services.pubsub
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
    await pause(20)
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
