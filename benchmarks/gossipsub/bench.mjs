// Gossipsub simulation benchmark: N in-process nodes (our node stack: memory transport, plaintext, yamux,
// identify) in a random sparse topology, all subscribed to one topic, running either our router
// (@ts-libp2p/gossipsub) or the official js router (@libp2p/gossipsub) in the same run. A sweep over
// message size and publish rate reports delivery ratio, p50/p99 delivery latency, wire copies per
// delivery (inbound pubsub bytes / delivered bytes), exact duplicates (ours), and CPU per message.
//
//   node --expose-gc benchmarks/gossipsub/bench.mjs [--nodes 100,500] [--messages 100] [--sizes 256,16384] [--rates 20,100]
//                                        [--impls ours,official] [--json out.json]
//
// Official js-libp2p code needs Promise.withResolvers (Node >= 22): the polyfill is loaded first.
import '../../scripts/polyfill-with-resolvers.mjs'
import { writeFileSync } from 'node:fs'
import { gossipsub as officialGossipsub } from '@libp2p/gossipsub'
import { gossipsub } from '@ts-libp2p/gossipsub'
import { identify } from '@ts-libp2p/identify'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { memory } from '@ts-libp2p/memory'
import { plaintext } from '@ts-libp2p/plaintext'
import { StrictNoSign } from '@ts-libp2p/interface'
import { yamux } from '@ts-libp2p/yamux'

const args = process.argv.slice(2)
const option = (name, fallback) => { const i = args.indexOf(name); return i === -1 ? fallback : args[i + 1] }
const list = (s) => String(s).split(',').map(x => x.trim()).filter(Boolean)
const NODES = list(option('--nodes', '100')).map(Number)
const MESSAGES = Number(option('--messages', '100'))
const SIZES = list(option('--sizes', '256,16384')).map(Number)
const RATES = list(option('--rates', '20,100')).map(Number)
const IMPLS = list(option('--impls', 'ours,official'))
const JSON_OUT = option('--json', undefined)
const TOPIC = 'bench'
const PROTOCOLS = ['/meshsub/1.3.0', '/meshsub/1.2.0', '/meshsub/1.1.0', '/meshsub/1.0.0', '/floodsub/1.0.0']

const sleep = (ms) => new Promise(resolve => setTimeout(resolve, ms))

/** A seeded PRNG: both routers get the same topology and publishers. */
function rng (seed) {
  let s = seed
  return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 }
}

/** A metrics component that only keeps counters, so our router reports exact duplicates. */
function counterMetrics () {
  const counters = new Map()
  const noop = () => ({ update () {}, increment () {}, decrement () {}, reset () {}, timer: () => () => {}, observe () {} })
  return {
    counters,
    trackMultiaddrConnection () {},
    streams: [],
    trackProtocolStream (stream) { this.streams.push(stream) },
    traceFunction: (_name, fn) => fn,
    createTrace: () => undefined,
    registerCounter (name, opts) {
      if (opts?.calculate != null) return
      const c = { value: 0, increment (v = 1) { this.value += v }, reset () { this.value = 0 } }
      counters.set(name, c)
      return c
    },
    registerCounterGroup: noop,
    registerMetric: noop,
    registerMetricGroup: noop,
    registerHistogram: noop,
    registerHistogramGroup: noop,
    registerSummary: noop,
    registerSummaryGroup: noop
  }
}

let nextAddr = 0
async function makeNodes (impl, n) {
  const metrics = []
  const nodes = []
  for (let i = 0; i < n; i++) {
    const m = counterMetrics()
    metrics.push(m)
    const router = impl === 'ours'
      ? gossipsub({ globalSignaturePolicy: StrictNoSign, scoreParams: { IPColocationFactorWeight: 0 } })
      : officialGossipsub({ globalSignaturePolicy: StrictNoSign, scoreParams: { IPColocationFactorWeight: 0 } })
    nodes.push(await createLibp2p({
      addresses: { listen: [`/memory/gossipsub-bench-${process.pid}-${nextAddr++}`] },
      transports: [memory()],
      connectionEncrypters: [plaintext()],
      streamMuxers: [yamux()],
      connectionManager: { inboundConnectionThreshold: 100_000, maxConnections: 10_000 },
      metrics: () => m,
      services: { identify: identify(), pubsub: router }
    }))
  }
  // the bytes every node receives on pubsub streams (our yamux streams count them; no listener is added,
  // which would change how the stream delivers data)
  const pubsub = new Set(PROTOCOLS)
  const inbound = {
    get bytes () {
      let sum = 0
      for (const m of metrics) for (const s of m.streams) if (pubsub.has(s.protocol)) sum += s.bytesReceived ?? 0
      return sum
    }
  }
  return { nodes, metrics, inbound }
}

async function sparse (nodes, random) {
  const edges = new Set()
  const link = async (i, j) => {
    if (i === j) return
    const key = i < j ? `${i}-${j}` : `${j}-${i}`
    if (edges.has(key)) return
    edges.add(key)
    await nodes[i].dial(nodes[j].getMultiaddrs()[0])
  }
  for (let i = 1; i < nodes.length; i++) await link(i, Math.floor(random() * i))
  for (let i = 0; i < nodes.length; i++) for (let k = 0; k < 2; k++) await link(i, Math.floor(random() * nodes.length))
  return edges.size
}

function quantile (sorted, q) {
  if (sorted.length === 0) return NaN
  const pos = (sorted.length - 1) * q
  const lo = Math.floor(pos); const hi = Math.ceil(pos)
  return sorted[lo] + (sorted[hi] - sorted[lo]) * (pos - lo)
}

async function runImpl (impl, n) {
  const random = rng(12345)
  const setupStart = performance.now()
  const { nodes, metrics, inbound } = await makeNodes(impl, n)
  const edges = await sparse(nodes, random)
  const latencies = []
  let deliveries = 0
  let current = 0
  const view = new DataView(new ArrayBuffer(8))
  for (const node of nodes) {
    node.services.pubsub.subscribe(TOPIC)
    node.services.pubsub.addEventListener('message', (evt) => {
      const data = evt.detail.data
      // byte 8 marks the configuration: late copies of earlier ones (or of the warm-up) are not counted
      if (data[8] !== current) return
      const sent = new DataView(data.buffer, data.byteOffset, 8).getFloat64(0)
      latencies.push(performance.now() - sent)
      deliveries++
    })
  }
  // meshes: every node has a mesh peer, then two more heartbeats to settle
  const deadline = Date.now() + 60_000
  while (!nodes.every(x => x.services.pubsub.getMeshPeers(TOPIC).length > 0)) {
    if (Date.now() > deadline) throw new Error(`${impl}: meshes did not form in 60 s`)
    await sleep(100)
  }
  await sleep(2000)
  const setupMs = performance.now() - setupStart
  // warm-up (not measured): the JIT and every stream's buffers, so the first configuration is not penalised
  for (let i = 0; i < 20; i++) {
    const data = new Uint8Array(64)
    crypto.getRandomValues(data.subarray(9))
    view.setFloat64(0, performance.now())
    data.set(new Uint8Array(view.buffer), 0)
    await nodes[i % n].services.pubsub.publish(TOPIC, data).catch(() => {})
    await sleep(20)
  }
  await sleep(1000)
  const results = []
  for (const size of SIZES) {
    for (const rate of RATES) {
      latencies.length = 0
      deliveries = 0
      current++
      const bytesBefore = inbound.bytes
      const dupBefore = metrics.reduce((s, m) => s + (m.counters.get('libp2p_gossipsub_duplicate_total')?.value ?? 0), 0)
      const cpuBefore = process.cpuUsage()
      const wallStart = performance.now()
      let published = 0
      for (let i = 0; i < MESSAGES; i++) {
        const target = wallStart + (i * 1000) / rate
        const wait = target - performance.now()
        if (wait > 0) await sleep(wait)
        const data = new Uint8Array(size)
        crypto.getRandomValues(data.subarray(9, Math.min(size, 40)))
        view.setFloat64(0, performance.now())
        data.set(new Uint8Array(view.buffer), 0)
        data[8] = current
        const from = nodes[Math.floor(random() * n)]
        try {
          await from.services.pubsub.publish(TOPIC, data)
          published++
        } catch (err) {
          console.error(`${impl}: publish failed - ${err.message}`)
        }
      }
      // drain: until every delivery arrived or 5 s of quiet
      const expected = published * (n - 1)
      let last = deliveries; let quietSince = performance.now()
      while (deliveries < expected && performance.now() - quietSince < 5000) {
        await sleep(50)
        if (deliveries !== last) { last = deliveries; quietSince = performance.now() }
      }
      const wallMs = performance.now() - wallStart
      const cpu = process.cpuUsage(cpuBefore)
      const sorted = [...latencies].sort((a, b) => a - b)
      const dup = metrics.reduce((s, m) => s + (m.counters.get('libp2p_gossipsub_duplicate_total')?.value ?? 0), 0) - dupBefore
      results.push({
        impl, nodes: n, size, rate, published,
        deliveryRatio: expected === 0 ? 0 : deliveries / expected,
        p50ms: quantile(sorted, 0.5),
        p99ms: quantile(sorted, 0.99),
        copiesPerDelivery: deliveries === 0 ? NaN : (inbound.bytes - bytesBefore) / (deliveries * size),
        duplicatesPerMessage: impl === 'ours' && published > 0 ? dup / published : null,
        cpuMsPerMessage: (cpu.user + cpu.system) / 1000 / Math.max(1, published),
        wallMs
      })
      const r = results.at(-1)
      console.log(`${impl.padEnd(8)} n=${n} size=${size} rate=${rate}/s delivered=${(r.deliveryRatio * 100).toFixed(2)}% p50=${r.p50ms.toFixed(1)}ms p99=${r.p99ms.toFixed(1)}ms copies/delivery=${r.copiesPerDelivery.toFixed(2)}${r.duplicatesPerMessage != null ? ` dup/msg=${r.duplicatesPerMessage.toFixed(1)}` : ''} cpu/msg=${r.cpuMsPerMessage.toFixed(2)}ms`)
    }
  }
  globalThis.gc?.()
  const heap = process.memoryUsage().heapUsed
  await Promise.all(nodes.map(x => x.stop()))
  return { impl, nodes: n, edges, setupMs, heapMiB: heap / 1048576, results }
}

const all = []
for (const n of NODES) {
  for (const impl of IMPLS) {
    console.log(`--- ${impl}, ${n} nodes`)
    const run = await runImpl(impl, n)
    console.log(`${impl}: setup ${(run.setupMs / 1000).toFixed(1)} s, ${run.edges} connections, heap ${run.heapMiB.toFixed(0)} MiB`)
    all.push(run)
    global.gc?.()
    await sleep(500)
  }
}

// ratios ours / official per configuration
const rows = []
for (const ours of all.filter(r => r.impl === 'ours')) {
  const off = all.find(r => r.impl === 'official' && r.nodes === ours.nodes)
  for (const a of ours.results) {
    const b = off?.results.find(x => x.size === a.size && x.rate === a.rate)
    rows.push({
      nodes: a.nodes, size: a.size, rate: a.rate,
      delivery: `${(a.deliveryRatio * 100).toFixed(2)}% / ${b != null ? (b.deliveryRatio * 100).toFixed(2) + '%' : '-'}`,
      p50: `${a.p50ms.toFixed(1)} / ${b?.p50ms.toFixed(1) ?? '-'} ms`,
      p99: `${a.p99ms.toFixed(1)} / ${b?.p99ms.toFixed(1) ?? '-'} ms`,
      copies: `${a.copiesPerDelivery.toFixed(2)} / ${b?.copiesPerDelivery.toFixed(2) ?? '-'}`,
      cpu: `${a.cpuMsPerMessage.toFixed(2)} / ${b?.cpuMsPerMessage.toFixed(2) ?? '-'} ms`,
      cpuRatio: b != null ? (a.cpuMsPerMessage / b.cpuMsPerMessage).toFixed(2) : '-'
    })
  }
}
console.log('\n| nodes | size | rate/s | delivered (ours / official) | p50 | p99 | wire copies per delivery | CPU per message | CPU ratio |')
console.log('|---|---|---|---|---|---|---|---|---|')
for (const r of rows) console.log(`| ${r.nodes} | ${r.size} | ${r.rate} | ${r.delivery} | ${r.p50} | ${r.p99} | ${r.copies} | ${r.cpu} | ${r.cpuRatio}x |`)
if (JSON_OUT != null) writeFileSync(JSON_OUT, JSON.stringify(all, null, 2))
process.exit(0)
