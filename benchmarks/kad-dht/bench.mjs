// Kademlia DHT lookup benchmark: N in-process nodes (memory transport,
// plaintext, yamux, identify, ping) running either our DHT
// (@ts-libp2p/kad-dht) or the official js one (@libp2p/kad-dht) as a
// service in the same node stack, so only the DHT differs. Measures, over
// random-key getClosestPeers lookups from random nodes: latency (ms), hops
// (ours only: the official DHT does not report them), requests sent per
// lookup, and heap per node after the network formed.
//
//   node --expose-gc benchmarks/kad-dht/bench.mjs --impl ours --nodes 100 --lookups 50
//
// Prints one JSON line. Run by run.mjs; not part of npm test. The official
// DHT needs Promise.withResolvers (Node >= 22): run.mjs loads the polyfill.
import { createLibp2p } from '@ts-libp2p/libp2p'
import { memory } from '@ts-libp2p/memory'
import { plaintext } from '@ts-libp2p/plaintext'
import { yamux } from '@ts-libp2p/yamux'
import { identify } from '@ts-libp2p/identify'
import { ping } from '@ts-libp2p/ping'
import { kadDHT } from '@ts-libp2p/kad-dht'
import { kadDHT as officialKadDHT, passthroughMapper } from '@libp2p/kad-dht'

const args = Object.fromEntries(process.argv.slice(2).reduce((acc, a, i, all) => a.startsWith('--') ? [...acc, [a.slice(2), all[i + 1]]] : acc, []))
const impl = args.impl ?? 'ours'
const N = Number(args.nodes ?? 100)
const LOOKUPS = Number(args.lookups ?? 50)
const JOIN_DIALS = Number(args.dials ?? 3)

const gc = () => { globalThis.gc?.(); globalThis.gc?.() }
gc()
const heapBefore = process.memoryUsage().heapUsed

const makeDHT = () => impl === 'ours'
  ? kadDHT({ clientMode: false, allowPrivateAddresses: true, refreshInterval: 0 })
  : officialKadDHT({ clientMode: false, peerInfoMapper: passthroughMapper })

const started = performance.now()
const nodes = []
for (let i = 0; i < N; i++) {
  nodes.push(await createLibp2p({
    addresses: { listen: [`/memory/kad-bench-${process.pid}-${i}`] },
    transports: [memory()],
    connectionEncrypters: [plaintext()],
    streamMuxers: [yamux()],
    connectionManager: { maxConnections: 10_000 },
    services: { identify: identify(), ping: ping(), dht: makeDHT() }
  }))
}
// each node joins through a few earlier nodes; the DHTs' own bootstrap (self lookups) does the rest
for (let i = 1; i < N; i++) {
  for (let d = 0; d < Math.min(JOIN_DIALS, i); d++) {
    await nodes[i].dial(nodes[Math.floor(Math.random() * i)].getMultiaddrs()[0]).catch(() => {})
  }
}
const size = async (n) => impl === 'ours' ? n.services.dht.routingTable.size : n.services.dht.routingTable.size
if (impl === 'official') {
  // the official DHT's topology handler drops a peer whose addresses are not in the peer store
  // yet when identify reports its protocols, and our identify stores the protocols first: add
  // the connected DHT peers the way that handler would (see packages/kad-dht/test/official-kad-dht.spec.ts)
  await new Promise(resolve => setTimeout(resolve, 1_000))
  for (const n of nodes) {
    for (const c of n.getConnections()) await n.services.dht.routingTable.add(c.remotePeer).catch(() => {})
  }
}
process.stderr.write(`${impl} ${N}: dialled in ${Math.round(performance.now() - started)} ms\n`)
const deadline = Date.now() + Number(args['fill-timeout'] ?? 60_000)
while (Date.now() < deadline) {
  const sizes = await Promise.all(nodes.map(size))
  if (sizes.every(s => s >= Math.min(N - 1, 10))) break
  await new Promise(resolve => setTimeout(resolve, 200))
}
process.stderr.write(`${impl} ${N}: joined in ${Math.round(performance.now() - started)} ms\n`)
// let bootstrap lookups settle
await new Promise(resolve => setTimeout(resolve, 2_000))
const formedMs = performance.now() - started
gc()
const heapPerNode = (process.memoryUsage().heapUsed - heapBefore) / N
const connections = nodes.reduce((s, n) => s + n.getConnections().length, 0) / N
const tableSizes = await Promise.all(nodes.map(size))

const latencies = []
const hops = []
const requests = []
let failures = 0
for (let i = 0; i < LOOKUPS; i++) {
  const from = nodes[Math.floor(Math.random() * N)]
  const key = crypto.getRandomValues(new Uint8Array(32))
  const t = performance.now()
  // a lookup that cannot finish (the official DHT waits for routing table peers) is a failure, not a hang
  const signal = AbortSignal.timeout(Number(args['lookup-timeout'] ?? 30_000))
  try {
    if (impl === 'ours') {
      const before = from.services.dht.getStats().requestsSent
      let h = 0
      for await (const _ of from.services.dht.getClosestPeers(key, { signal, onProgress: (e) => { if (e.type === 'kad-dht:query:done') h = e.detail.hops } })) { /* drain */ }
      requests.push(from.services.dht.getStats().requestsSent - before)
      hops.push(h)
    } else {
      let sent = 0
      for await (const event of from.services.dht.getClosestPeers(key, { signal })) {
        if (event.name === 'SEND_QUERY') sent++
      }
      requests.push(sent)
    }
    latencies.push(performance.now() - t)
  } catch (err) {
    process.stderr.write(`lookup failed: ${err.message}\n`)
    failures++
  }
}

const stat = (xs) => {
  if (xs.length === 0) return null
  const s = [...xs].sort((a, b) => a - b)
  return { mean: s.reduce((a, b) => a + b, 0) / s.length, p50: s[Math.floor(s.length / 2)], p95: s[Math.floor(s.length * 0.95)], max: s[s.length - 1] }
}
console.log(JSON.stringify({
  impl,
  nodes: N,
  lookups: LOOKUPS,
  failures,
  formedMs: Math.round(formedMs),
  heapPerNodeKiB: Math.round(heapPerNode / 1024),
  connectionsPerNode: Number(connections.toFixed(1)),
  routingTable: stat(tableSizes),
  latencyMs: stat(latencies),
  hops: stat(hops),
  requestsPerLookup: stat(requests)
}))
await Promise.all(nodes.map(async n => n.stop()))
process.exit(0)
