// Publish/subscribe with gossipsub: four ts-libp2p nodes on 127.0.0.1 in a
// line (a - b - c - d, each dialing the next), all subscribed to one topic.
// Gossipsub builds its mesh over those connections; a message published by `a`
// reaches `d` through `b` and `c`, and every message is signed by its author.
//
//   node examples/pubsub/index.js
import { gossipsub } from '@ts-libp2p/gossipsub'
import { identify } from '@ts-libp2p/identify'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { noise } from '@ts-libp2p/noise'
import { tcp } from '@ts-libp2p/tcp'
import { yamux } from '@ts-libp2p/yamux'

const TOPIC = 'example-news'
const deadline = Date.now() + 20_000

const makeNode = () => createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  // gossipsub learns which peers speak it through identify
  services: { identify: identify(), pubsub: gossipsub() }
})

const nodes = await Promise.all([0, 1, 2, 3].map(makeNode))
const names = ['a', 'b', 'c', 'd']
const received = new Map(names.map(n => [n, []]))
nodes.forEach((node, i) => {
  node.services.pubsub.subscribe(TOPIC)
  node.services.pubsub.addEventListener('message', (evt) => {
    const from = names[nodes.findIndex(n => n.peerId.equals(evt.detail.from))]
    received.get(names[i]).push(`${from}: ${new TextDecoder().decode(evt.detail.data)}`)
  })
})
for (let i = 0; i < 3; i++) await nodes[i].dial(nodes[i + 1].getMultiaddrs()[0])

// wait for the mesh: every node has its neighbours in its mesh for the topic
const expected = [1, 2, 2, 1]
while (nodes.some((n, i) => n.services.pubsub.getMeshPeers(TOPIC).length < expected[i])) {
  if (Date.now() > deadline) throw new Error('the mesh did not form')
  await new Promise(resolve => setTimeout(resolve, 50))
}
console.log('mesh formed:', nodes.map((n, i) => `${names[i]} has ${n.services.pubsub.getMeshPeers(TOPIC).length}`).join(', '))

await nodes[0].services.pubsub.publish(TOPIC, new TextEncoder().encode('hello from a'))
await nodes[3].services.pubsub.publish(TOPIC, new TextEncoder().encode('and hello from d'))

// everyone gets the other's message; b and c get both (a node is not delivered its own messages)
while (names.some((name, i) => received.get(name).length < [1, 2, 2, 1][i])) {
  if (Date.now() > deadline) throw new Error(`not delivered everywhere: ${JSON.stringify(Object.fromEntries(received))}`)
  await new Promise(resolve => setTimeout(resolve, 50))
}
for (const [name, list] of received) console.log(`${name} received: ${list.join(' | ')}`)

await Promise.all(nodes.map(n => n.stop()))
