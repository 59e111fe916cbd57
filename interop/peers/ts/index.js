// Our (ts-libp2p) peer of the interop matrix. It follows the command-line
// contract of interop/README.md: environment in, a readiness line
// (`listenAddr=...`) from the listener, one JSON line from the dialer,
// `unsupported: ...` with exit code 3 for what it cannot do. It runs on Node 20
// and later, from the built packages of this repository (npm run build).
import { multiaddr } from '@multiformats/multiaddr'
import { runDht, runGossip, runMesh, serveGossip, setupDhtListener } from './scenarios.js'

const EXIT_FAIL = 1
const EXIT_UNSUPPORTED = 3
const PING_PROTOCOL = '/ipfs/ping/1.0.0'
const ID_PROTOCOL = '/ipfs/id/1.0.0'

const env = (name, def = '') => process.env[name] || def

function unsupported (what) {
  process.stdout.write(`unsupported: ${what}\n`)
  process.exit(EXIT_UNSUPPORTED)
}

function fail (err) {
  process.stderr.write(`error: ${err?.stack ?? err}\n`)
  process.exit(EXIT_FAIL)
}

/** Imports one of our packages, or says the combination is unsupported when it is not built. */
async function ours (name, what) {
  try {
    return await import(`@ts-libp2p/${name}`)
  } catch (err) {
    if (err?.code === 'ERR_MODULE_NOT_FOUND') unsupported(`${what} (@ts-libp2p/${name} is not built)`)
    throw err
  }
}

const millis = (ns) => Number(ns / 1000n) / 1000

const DEFAULT_PERF_BYTES = 1024 * 1024

function envBytes (name) {
  const value = env(name)
  if (!value) return DEFAULT_PERF_BYTES
  const n = Number(value)
  if (!/^[0-9]+$/.test(value) || !Number.isSafeInteger(n)) throw new Error(`bad ${name} ${value}`)
  return n
}

async function main () {
  const scenario = env('scenario', 'ping')
  if (!['ping', 'identify', 'perf', 'dht', 'gossipsub', 'gossipsub-mesh'].includes(scenario)) unsupported(`scenario ${scenario}`)
  const timeoutSeconds = Number(env('test_timeout_seconds', '30'))
  if (!(timeoutSeconds > 0)) throw new Error(`bad test_timeout_seconds ${env('test_timeout_seconds')}`)
  const ip = env('ip', '127.0.0.1')
  const isDialer = env('is_dialer') === 'true'

  const transports = {
    tcp: async () => [(await ours('tcp', 'transport tcp')).tcp(), `/ip4/${ip}/tcp/0`],
    ws: async () => [(await ours('websockets', 'transport ws')).webSockets(), `/ip4/${ip}/tcp/0/ws`]
  }
  const encrypters = {
    noise: async () => (await ours('noise', 'security noise')).noise(),
    tls: async () => (await ours('tls', 'security tls')).tls()
  }
  const muxers = {
    yamux: async () => (await ours('yamux', 'muxer yamux')).yamux(),
    mplex: async () => (await ours('mplex', 'muxer mplex')).mplex()
  }
  const [transport, listenAddr] = await (transports[env('transport')] ?? (() => unsupported(`transport ${env('transport')}`)))()
  const encrypter = await (encrypters[env('security')] ?? (() => unsupported(`security ${env('security')}`)))()
  const muxer = await (muxers[env('muxer')] ?? (() => unsupported(`muxer ${env('muxer')}`)))()
  const { createLibp2p } = await ours('libp2p', 'the node')
  const { ping } = await ours('ping', 'ping')
  const { identify } = await ours('identify', 'identify')
  const services = { ping: ping(), identify: identify() }
  if (scenario === 'perf') {
    // a test peer: serve whatever the benchmark asks for
    services.perf = (await ours('perf', 'scenario perf')).perf({ maxDownloadBytes: Infinity })
  }
  if (scenario === 'dht') {
    // a server from the start, keeping loopback addresses (every peer is on 127.0.0.1)
    services.dht = (await ours('kad-dht', 'scenario dht')).kadDHT({ clientMode: false, allowPrivateAddresses: true })
  }
  if (scenario === 'gossipsub' || scenario === 'gossipsub-mesh') {
    // flood publishing reaches a subscribed peer before a mesh forms; every peer of the
    // matrix is on 127.0.0.1, so IP colocation scoring is turned off
    services.pubsub = (await ours('gossipsub', 'scenario gossipsub')).gossipsub({ floodPublish: true, scoreParams: { IPColocationFactorWeight: 0 } })
  }

  // a dht dialer is a server too, with an address to announce (go drops provider records
  // without addresses); it runs two nodes, one after the other
  const createNode = () => createLibp2p({
    addresses: { listen: isDialer && scenario !== 'dht' ? [] : [listenAddr] },
    transports: [transport],
    connectionEncrypters: [encrypter],
    streamMuxers: [muxer],
    services,
    // the whole matrix dials one loopback address: do not rate-limit it
    connectionManager: { inboundConnectionThreshold: 1000, maxIncomingPendingConnections: 1000 }
  })
  if (isDialer && scenario === 'dht') {
    const target = multiaddr(env('listener_addr'))
    const { peerIdFromString } = await ours('peer-id', 'peer ids')
    const listener = peerIdFromString(target.getComponents().filter(c => c.name === 'p2p').at(-1)?.value)
    const signal = AbortSignal.timeout(timeoutSeconds * 1000)
    console.log(JSON.stringify(await runDht(createNode, target, listener, signal)))
    return
  }
  const node = await createNode()
  if (scenario === 'gossipsub-mesh') {
    // one node of a line of mesh_size nodes (interop/lib/mesh.mjs), served until killed
    await runMesh(node, multiaddr, AbortSignal.timeout(timeoutSeconds * 1000))
    await node.stop()
    return
  }

  if (!isDialer) {
    const addr = node.getMultiaddrs()[0]
    if (addr == null) throw new Error('no listen address')
    if (scenario === 'dht') await setupDhtListener(node)
    if (scenario === 'gossipsub') serveGossip(node)
    process.stdout.write(`listenAddr=${addr}\n`)
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutSeconds * 1000)
      for (const sig of ['SIGTERM', 'SIGINT']) process.once(sig, () => { clearTimeout(timer); resolve() })
    })
    await node.stop()
    return
  }

  const signal = AbortSignal.timeout(timeoutSeconds * 1000)
  const target = multiaddr(env('listener_addr'))
  // identify runs by itself on every new connection; some listeners (js)
  // take one identify stream at a time, so wait for that run instead of
  // opening a second one
  const remotePeer = target.getComponents().filter(c => c.name === 'p2p').at(-1)?.value
  const identified = new Promise((resolve, reject) => {
    node.addEventListener('peer:identify', (evt) => {
      if (evt.detail.peerId.toString() === remotePeer) resolve(evt.detail)
    })
    signal.addEventListener('abort', () => { reject(new Error(`identify did not finish within ${timeoutSeconds}s`)) })
  })
  identified.catch(() => {})
  if (scenario === 'gossipsub') {
    console.log(JSON.stringify(await runGossip(node, target, remotePeer, signal)))
    await node.stop()
    return
  }
  const start = process.hrtime.bigint()
  await node.dial(target, { signal })
  if (scenario === 'perf') {
    const connectMillis = millis(process.hrtime.bigint() - start)
    const uploadBytes = envBytes('perf_upload_bytes')
    const downloadBytes = envBytes('perf_download_bytes')
    // measure() starts its clock once the stream is negotiated (see packages/perf/README.md)
    const r = await node.services.perf.measure(target, { uploadBytes, downloadBytes, signal })
    console.log(JSON.stringify({
      type: 'final',
      connectMillis,
      uploadBytes: r.uploadBytes,
      downloadBytes: r.downloadBytes,
      uploadSeconds: r.uploadMs / 1000,
      downloadSeconds: r.downloadMs / 1000,
      timeSeconds: r.totalMs / 1000,
      uploadBytesPerSecond: r.uploadBytesPerSecond,
      downloadBytesPerSecond: r.downloadBytesPerSecond
    }))
  } else if (scenario === 'ping') {
    const rtt = await node.services.ping.ping(target, { signal })
    const elapsed = millis(process.hrtime.bigint() - start)
    console.log(JSON.stringify({ handshakePlusOneRTTMillis: elapsed, pingRTTMilllis: rtt }))
  } else {
    const result = await identified
    const protocols = [...result.protocols].sort()
    for (const want of [PING_PROTOCOL, ID_PROTOCOL]) {
      if (!protocols.includes(want)) throw new Error(`identify: remote does not list ${want} (got ${protocols})`)
    }
    if (!result.agentVersion) throw new Error('identify: remote sent no agent version')
    console.log(JSON.stringify({
      agentVersion: result.agentVersion,
      protocolVersion: result.protocolVersion ?? '',
      protocols,
      identifyMillis: millis(process.hrtime.bigint() - start)
    }))
  }
  await node.stop()
}

main().then(() => process.exit(0), fail)
