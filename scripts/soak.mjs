#!/usr/bin/env node
/**
 * Soak test: N nodes in this process over loopback TCP (noise, yamux) with
 * identify, ping, kad-dht and gossipsub, under continuous traffic and
 * connection churn, while heap, RSS, active handles, open sockets and
 * connections are sampled. Fails (exit 1) when a resource keeps growing past
 * its bound between the end of the warm-up and the end of the run.
 *
 *   npm run soak -- --minutes 30 [--nodes 20] [--interval 5] [--pubsub gossipsub|floodsub] [--churn on|off] [--report soak.json]
 *
 * Traffic, every tick (250 ms): a few pings between random pairs, a DHT
 * put / get / findPeer by random nodes, a gossipsub publish; churn: a random
 * connection is closed and a random pair dialled. Needs `npm run build`.
 *
 * Bounds (after warm-up, the first fifth of the run, at least 30 s): heap
 * used and RSS may grow by at most 50% + 64 MiB, active handles and sockets
 * by at most 50% + 50. Growth is judged between the mean of the first three
 * samples after warm-up and the mean of the last three, so a single spike
 * does not fail the run.
 */
import fs from 'node:fs'
import path from 'node:path'
import { fileURLToPath, pathToFileURL } from 'node:url'

const root = path.dirname(path.dirname(fileURLToPath(import.meta.url)))
const args = process.argv.slice(2)
const option = (name, fallback) => {
  const i = args.indexOf(`--${name}`)
  return i === -1 ? fallback : args[i + 1]
}
const minutes = Number(option('minutes', '1'))
const count = Number(option('nodes', '20'))
const interval = Number(option('interval', '5')) * 1000
const report = option('report')
const churn = option('churn', 'on') !== 'off'
if (!(minutes > 0) || !(count >= 2) || !(interval >= 500)) {
  console.error('usage: soak.mjs --minutes N [--nodes >=2] [--interval seconds >= 0.5] [--report file]')
  process.exit(2)
}

const load = async (pkg) => {
  const file = path.join(root, 'packages', pkg, 'dist', 'src', 'index.js')
  if (!fs.existsSync(file)) throw new Error(`${file} is missing: run \`npm run build\` first`)
  return await import(pathToFileURL(file).href)
}
const { createLibp2p } = await load('libp2p')
const { tcp } = await load('tcp')
const { noise } = await load('noise')
const { yamux } = await load('yamux')
const { identify } = await load('identify')
const { ping } = await load('ping')
const { kadDHT } = await load('kad-dht')
const pubsubKind = option('pubsub', 'gossipsub')
const pubsubFactory = pubsubKind === 'floodsub' ? (await load('floodsub')).floodsub : (await load('gossipsub')).gossipsub

const escaped = []
process.on('unhandledRejection', (err) => { escaped.push(`unhandledRejection: ${err?.stack ?? err}`) })
process.on('uncaughtException', (err) => { escaped.push(`uncaughtException: ${err?.stack ?? err}`) })

const TOPIC = 'soak'
const latest = (values) => values.reduce((best, v, i) => Number(new TextDecoder().decode(v).slice(1)) > Number(new TextDecoder().decode(values[best]).slice(1)) ? i : best, 0)
const nodes = []
for (let i = 0; i < count; i++) {
  nodes.push(await createLibp2p({
    addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
    transports: [tcp()],
    connectionEncrypters: [noise()],
    streamMuxers: [yamux()],
    connectionManager: { inboundConnectionThreshold: 1000 },
    services: {
      identify: identify(),
      ping: ping(),
      // records under /soak/ are accepted as they are, and the latest (by the timestamp in the value) wins
      dht: kadDHT({ clientMode: false, allowPrivateAddresses: true, validators: { soak: () => {} }, selectors: { soak: (_key, values) => latest(values) } }),
      // every node is on 127.0.0.1: without this gossipsub's IP colocation penalty (P6) graylists them all
      pubsub: pubsubFactory({ allowPublishToZeroTopicPeers: true, ...(pubsubKind === 'gossipsub' ? { scoreParams: { IPColocationFactorWeight: 0 } } : {}) })
    }
  }))
}
let lastPublishError
let lastDhtError
const counters = { publishErrors: 0, pings: 0, pingErrors: 0, puts: 0, gets: 0, finds: 0, dhtErrors: 0, published: 0, received: 0, dials: 0, dialErrors: 0, hangUps: 0 }
for (const n of nodes) {
  n.services.pubsub.subscribe(TOPIC)
  n.services.pubsub.addEventListener('message', () => { counters.received++ })
}
const pick = () => nodes[Math.floor(Math.random() * nodes.length)]
const pair = () => {
  const a = pick()
  let b = pick()
  while (b === a) b = pick()
  return [a, b]
}
// a ring to start from, so the DHT has routes
await Promise.all(nodes.map(async (n, i) => n.dial(nodes[(i + 1) % nodes.length].getMultiaddrs()[0]).catch(() => {})))

const started = Date.now()
const end = started + minutes * 60_000
const warmup = Math.max(30_000, minutes * 60_000 / 5)
const samples = []
let stopping = false

function sample () {
  const mem = process.memoryUsage()
  const handles = process._getActiveHandles()
  const row = {
    t: Math.round((Date.now() - started) / 1000),
    heapMiB: +(mem.heapUsed / 1048576).toFixed(1),
    rssMiB: +(mem.rss / 1048576).toFixed(1),
    handles: handles.length,
    sockets: handles.filter(h => h?.constructor?.name === 'Socket').length,
    connections: nodes.reduce((sum, n) => sum + n.getConnections().length, 0),
    ...counters
  }
  samples.push(row)
  console.info(`${String(row.t).padStart(5)} s  heap ${String(row.heapMiB).padStart(7)} MiB  rss ${String(row.rssMiB).padStart(7)} MiB  handles ${String(row.handles).padStart(5)}  sockets ${String(row.sockets).padStart(5)}  conns ${String(row.connections).padStart(4)}  pings ${counters.pings}/${counters.pingErrors}  dht ${counters.puts}p ${counters.gets}g ${counters.finds}f /${counters.dhtErrors}${lastDhtError == null ? '' : ' ' + lastDhtError}  pubsub ${counters.published}->${counters.received} (${counters.publishErrors} failed${lastPublishError == null ? "" : ", " + lastPublishError})  churn ${counters.dials}/${counters.hangUps}`)
}

async function tick () {
  // one deadline per operation: a shared signal would collect listeners from every operation
  const deadline = () => AbortSignal.timeout(5_000)
  const work = []
  for (let i = 0; i < 3; i++) {
    const [a, b] = pair()
    work.push(a.services.ping.ping(b.getMultiaddrs()[0], { signal: deadline() }).then(() => { counters.pings++ }, () => { counters.pingErrors++ }))
  }
  const key = new TextEncoder().encode(`/soak/${Math.floor(Math.random() * 50)}`)
  const r = Math.random()
  if (r < 0.3) {
    work.push(pick().services.dht.put(key, new TextEncoder().encode(`v${Date.now()}`), { signal: deadline() }).then(() => { counters.puts++ }, (err) => { counters.dhtErrors++; lastDhtError = String(err?.name ?? err) }))
  } else if (r < 0.6) {
    work.push(pick().services.dht.get(key, { signal: deadline() }).then(() => { counters.gets++ }, (err) => { if (err?.name === 'NotFoundError') counters.gets++; else { counters.dhtErrors++; lastDhtError = String(err?.name ?? err) } }))
  } else {
    const [a, b] = pair()
    work.push(a.services.dht.findPeer(b.peerId, { signal: deadline() }).then(() => { counters.finds++ }, (err) => { counters.dhtErrors++; lastDhtError = String(err?.name ?? err) }))
  }
  work.push(pick().services.pubsub.publish(TOPIC, new TextEncoder().encode(`m${Date.now()}`)).then(() => { counters.published++ }, (err) => { counters.publishErrors++; lastPublishError = String(err?.name ?? err) }))
  // churn: drop one connection, dial one pair
  const victim = pick()
  const conns = victim.getConnections()
  if (churn && conns.length > 2) {
    const c = conns[Math.floor(Math.random() * conns.length)]
    work.push(c.close().then(() => { counters.hangUps++ }, () => {}))
  }
  const [a, b] = pair()
  if (churn) work.push(a.dial(b.getMultiaddrs()[0], { signal: deadline() }).then(() => { counters.dials++ }, () => { counters.dialErrors++ }))
  await Promise.all(work)
}

console.info(`soak (${pubsubKind}): ${count} nodes for ${minutes} min, sampling every ${interval / 1000} s, warm-up ${Math.round(warmup / 1000)} s`)
sample()
const sampler = setInterval(sample, interval)
const inFlight = new Set()
while (Date.now() < end && !stopping) {
  // at most 4 ticks overlap: a slow DHT query must not let work pile up without bound
  if (inFlight.size < 4) {
    const p = tick().finally(() => { inFlight.delete(p) })
    inFlight.add(p)
  }
  await new Promise(resolve => setTimeout(resolve, 250))
}
await Promise.all(inFlight)
clearInterval(sampler)
sample()
await Promise.all(nodes.map(async n => n.stop()))

const after = samples.filter(s => s.t * 1000 >= warmup)
const mean = (rows, key) => rows.reduce((sum, r) => sum + r[key], 0) / Math.max(1, rows.length)
const failures = []
if (after.length >= 6) {
  const first = after.slice(0, 3)
  const last = after.slice(-3)
  const bounds = { heapMiB: [1.5, 64], rssMiB: [1.5, 64], handles: [1.5, 50], sockets: [1.5, 50] }
  for (const [key, [factor, slack]] of Object.entries(bounds)) {
    const from = mean(first, key)
    const to = mean(last, key)
    const limit = from * factor + slack
    console.info(`${key.padEnd(8)} ${from.toFixed(1).padStart(8)} -> ${to.toFixed(1).padStart(8)}  (bound ${limit.toFixed(1)})`)
    if (to > limit) failures.push(`${key} grew from ${from.toFixed(1)} to ${to.toFixed(1)}, past ${limit.toFixed(1)}`)
  }
} else {
  console.info(`only ${after.length} samples after warm-up: growth not judged (run longer, or sample more often)`)
}
if (counters.pings === 0) failures.push('no ping succeeded')
for (const e of escaped) failures.push(e)
if (report != null) fs.writeFileSync(report, JSON.stringify({ nodes: count, minutes, interval, samples, counters, failures }, null, 2))
if (failures.length > 0) {
  console.error(`SOAK FAILED:\n- ${failures.join('\n- ')}`)
  process.exit(1)
}
console.info(`soak passed: ${counters.pings} pings, ${counters.puts + counters.gets + counters.finds} DHT operations, ${counters.published} publishes (${counters.received} deliveries), ${counters.dials} dials and ${counters.hangUps} hang-ups`)
process.exit(0)
