import { gossipNode, stopNodes } from './dist/test/fixtures.js'
import { StrictNoSign } from '@ts-libp2p/interface'
function rng (seed) { let s = seed; return () => { s = (s * 1103515245 + 12345) % 2147483648; return s / 2147483648 } }
const random = rng(12345)
const n = 20
const nodes = []
for (let i = 0; i < n; i++) nodes.push(await gossipNode({ globalSignaturePolicy: StrictNoSign, heartbeatInterval: 1000 }))
const edges = new Set()
const link = async (i, j) => { if (i === j) return; const key = i < j ? `${i}-${j}` : `${j}-${i}`; if (edges.has(key)) return; edges.add(key); await nodes[i].dial(nodes[j].getMultiaddrs()[0]) }
for (let i = 1; i < n; i++) await link(i, Math.floor(random() * i))
for (let i = 0; i < n; i++) for (let k = 0; k < 2; k++) await link(i, Math.floor(random() * n))
const counts = nodes.map(() => 0)
nodes.forEach((x, i) => { x.services.pubsub.subscribe('bench'); x.services.pubsub.addEventListener('message', () => counts[i]++) })
while (!nodes.every(x => x.services.pubsub.getMeshPeers('bench').length > 0)) await new Promise(r => setTimeout(r, 100))
await new Promise(r => setTimeout(r, 2000))
for (let m = 0; m < 20; m++) { await nodes[Math.floor(random() * n)].services.pubsub.publish('bench', new TextEncoder().encode('m' + m + Math.random())); await new Promise(r => setTimeout(r, 20)) }
await new Promise(r => setTimeout(r, 4000))
console.log(counts.join(' '))
nodes.forEach((x, i) => {
  const gs = x.services.pubsub
  const bad = [...gs.peers.values()].filter(p => p.stream == null || !p.stream.open).map(p => `${p.key.slice(-4)}:${p.protocol}:${p.pending.length}`)
  console.log(i, 'conns', x.getConnections().length, 'peers', gs.peers.size, 'mesh', gs.getMeshPeers('bench').length, 'subs', gs.getSubscribers('bench').length, 'no-stream', bad.join(','))
})
await stopNodes()
