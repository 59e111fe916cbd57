// The ts side of the mDNS interop check (interop/mdns/run.mjs): our node (tcp + noise + yamux + ping + identify)
// from the built workspace, discovering with @ts-libp2p/mdns on the interface of <listen ip>. Started inside a
// network namespace made by the runner. It prints one JSON object per line on stdout:
//   {"event":"ready","id":...,"addrs":[...]}
//   {"event":"found","id":...,"addrs":[...]}                       each peer:discovery
//   {"event":"connected","id":...,"rttMs":n,"agent":"..."}        after dialing a found peer, pinging and identifying it
//   {"event":"inbound","id":...}                                   peer:connect (either direction)
//   {"event":"dial-error","id":...,"error":"..."}
// Usage: node ts-node.mjs <listen ip> <timeout seconds> [dial|no-dial] (no-dial: only report what is found). It stops when stdin ends or the timeout passes.
import { createLibp2p } from '@ts-libp2p/libp2p'
import { mdns } from '@ts-libp2p/mdns'
import { noise } from '@ts-libp2p/noise'
import { tcp } from '@ts-libp2p/tcp'
import { yamux } from '@ts-libp2p/yamux'
import { ping } from '@ts-libp2p/ping'
import { identify } from '@ts-libp2p/identify'

const [ip, seconds, dial = 'dial'] = process.argv.slice(2)
if (ip == null || seconds == null) {
  console.error('usage: node ts-node.mjs <listen ip> <timeout seconds> [dial|no-dial]')
  process.exit(2)
}
const emit = (v) => { process.stdout.write(JSON.stringify(v) + '\n') }

const node = await createLibp2p({
  addresses: { listen: [`/ip4/${ip}/tcp/0`] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  services: { ping: ping(), identify: identify() },
  peerDiscovery: [mdns({ interval: 1000, interface: ip })]
})

const dialed = new Set()
node.addEventListener('peer:discovery', (evt) => {
  const id = evt.detail.id
  emit({ event: 'found', id: id.toString(), addrs: evt.detail.multiaddrs.map(String) })
  if (dial !== 'dial' || dialed.has(id.toString())) return
  dialed.add(id.toString())
  void (async () => {
    const signal = AbortSignal.timeout(10_000)
    try {
      await node.dial(id, { signal })
      const rtt = await node.services.ping.ping(id, { signal })
      // identify runs on its own after the connection opens: wait (bounded) for its agent version
      let agent
      for (let i = 0; i < 30 && agent == null; i++) {
        try {
          const raw = (await node.peerStore.get(id)).metadata.get('AgentVersion')
          if (raw != null) agent = new TextDecoder().decode(raw)
        } catch {}
        if (agent == null) await new Promise((resolve) => setTimeout(resolve, 100))
      }
      emit({ event: 'connected', id: id.toString(), rttMs: rtt, agent })
    } catch (err) {
      emit({ event: 'dial-error', id: id.toString(), error: err.message })
    }
  })()
})
node.addEventListener('peer:connect', (evt) => { emit({ event: 'inbound', id: evt.detail.toString() }) })

emit({ event: 'ready', id: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })

let stopping = false
const stop = () => {
  if (stopping) return
  stopping = true
  clearTimeout(timer)
  void Promise.resolve(node.stop()).finally(() => process.exit(0))
}
const timer = setTimeout(stop, Number(seconds) * 1000)
process.stdin.resume()
process.stdin.on('end', stop)
