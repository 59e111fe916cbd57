// The official js-libp2p peer of the ts-libp2p interop matrix. Runs on Node >= 22.
// The command-line contract (environment, output lines, exit codes) is described in
// interop/README.md; every peer in interop/peers follows it.
import { noise } from '@chainsafe/libp2p-noise'
import { yamux } from '@chainsafe/libp2p-yamux'
import { gossipsub } from '@libp2p/gossipsub'
import { identify } from '@libp2p/identify'
import { kadDHT, passthroughMapper } from '@libp2p/kad-dht'
import { mplex } from '@libp2p/mplex'
import { ping } from '@libp2p/ping'
import { tcp } from '@libp2p/tcp'
import { tls } from '@libp2p/tls'
import { webSockets } from '@libp2p/websockets'
import { multiaddr } from '@multiformats/multiaddr'
import { createLibp2p } from 'libp2p'
import { runDht, runGossip, runMesh, runPerf, serveGossip, servePerf, setupDhtListener } from './scenarios.js'

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

const millis = (ns) => Number(ns / 1000n) / 1000

async function main () {
  const scenario = env('scenario', 'ping')
  if (!['ping', 'identify', 'perf', 'dht', 'gossipsub', 'gossipsub-mesh'].includes(scenario)) unsupported(`scenario ${scenario}`)
  const timeoutSeconds = Number(env('test_timeout_seconds', '30'))
  if (!(timeoutSeconds > 0)) throw new Error(`bad test_timeout_seconds ${env('test_timeout_seconds')}`)
  const ip = env('ip', '127.0.0.1')
  const isDialer = env('is_dialer') === 'true'

  const transports = { tcp: [tcp, `/ip4/${ip}/tcp/0`], ws: [webSockets, `/ip4/${ip}/tcp/0/ws`] }
  const encrypters = { noise, tls }
  // @libp2p/mplex closes the connection when the remote opens more than 5 streams in one
  // second (disconnectThreshold): a DHT node that opens a stream per request (ts, rust) does
  // that in its first lookup. Raised like the connection threshold below; see README.
  const muxers = { yamux, mplex: () => mplex({ disconnectThreshold: 1000 }) }
  const [transport, listenAddr] = transports[env('transport')] ?? unsupported(`transport ${env('transport')}`)
  const encrypter = encrypters[env('security')] ?? unsupported(`security ${env('security')}`)
  const muxer = muxers[env('muxer')] ?? unsupported(`muxer ${env('muxer')}`)

  const services = { ping: ping(), identify: identify() }
  if (scenario === 'dht') {
    // A server on loopback: keep private addresses (the default mapper of the amino DHT
    // drops them) and answer queries from the start.
    // The listener stores its own records before it has any peer: let its queries run (and
    // end) with an empty routing table instead of waiting for a first peer.
    services.dht = kadDHT({ clientMode: false, peerInfoMapper: passthroughMapper, protocol: '/ipfs/kad/1.0.0', allowQueryWithZeroPeers: true })
  }
  if (scenario === 'gossipsub' || scenario === 'gossipsub-mesh') {
    // Flood publishing reaches a subscribed peer before a mesh forms; every peer of the
    // matrix is on 127.0.0.1, so IP colocation scoring is turned off.
    services.pubsub = gossipsub({ floodPublish: true, scoreParams: { IPColocationFactorWeight: 0 } })
  }
  // A dht dialer is a server too, with an address to announce (go drops provider records
  // without addresses).
  const createNode = () => createLibp2p({
    addresses: { listen: isDialer && scenario !== 'dht' ? [] : [listenAddr] },
    transports: [transport()],
    connectionEncrypters: [encrypter()],
    streamMuxers: [muxer()],
    services,
    // The default (5 inbound connections per second per host) throttles a matrix on one
    // loopback address; see shared PERF-NOTES.
    connectionManager: { inboundConnectionThreshold: 1000, maxIncomingPendingConnections: 1000 }
  })

  const signal = AbortSignal.timeout(timeoutSeconds * 1000)
  if (isDialer && scenario === 'dht') {
    // The dht dialer runs two nodes, one after the other (scenarios.js).
    console.log(JSON.stringify(await runDht(createNode, multiaddr(env('listener_addr')), signal)))
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
    if (scenario === 'perf') await servePerf(node)
    if (scenario === 'dht') await setupDhtListener(node)
    if (scenario === 'gossipsub') serveGossip(node)
    process.stdout.write(`listenAddr=${addr}\n`)
    // Serve until the runner stops us (SIGTERM) or the test times out.
    await new Promise((resolve) => {
      const timer = setTimeout(resolve, timeoutSeconds * 1000)
      for (const sig of ['SIGTERM', 'SIGINT']) process.once(sig, () => { clearTimeout(timer); resolve() })
    })
    await node.stop()
    return
  }

  const target = multiaddr(env('listener_addr'))
  if (scenario === 'perf' || scenario === 'gossipsub') {
    console.log(JSON.stringify(await (scenario === 'perf' ? runPerf : runGossip)(node, target, signal)))
    await node.stop()
    return
  }
  // js-libp2p identifies every new connection by itself, and its identify handler accepts one
  // inbound stream at a time: wait for that run rather than opening a second, competing one.
  const identified = new Promise((resolve, reject) => {
    const remotePeer = target.getComponents().findLast(c => c.name === 'p2p')?.value
    node.addEventListener('peer:identify', (evt) => {
      if (evt.detail.peerId.toString() === remotePeer) resolve(evt.detail)
    })
    signal.addEventListener('abort', () => reject(new Error(`identify did not finish within ${timeoutSeconds}s`)))
  })
  identified.catch(() => {})
  const start = process.hrtime.bigint()
  await node.dial(target, { signal })
  if (scenario === 'ping') {
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
