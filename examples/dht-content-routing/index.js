// Content routing with the Kademlia DHT: five ts-libp2p nodes on 127.0.0.1 form
// a DHT through one bootstrap node. One node announces that it provides a piece
// of content (by its CID); another node, which never talked to it, finds it
// through the DHT, dials it and fetches the content over a protocol of our own.
// The same network also stores and finds a value record.
//
//   node examples/dht-content-routing/index.js
import { bootstrap } from '@ts-libp2p/bootstrap'
import { identify } from '@ts-libp2p/identify'
import { kadDHT } from '@ts-libp2p/kad-dht'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { noise } from '@ts-libp2p/noise'
import { tcp } from '@ts-libp2p/tcp'
import { yamux } from '@ts-libp2p/yamux'
import { CID } from 'multiformats/cid'
import * as raw from 'multiformats/codecs/raw'
import { sha256 } from 'multiformats/hashes/sha2'

const FETCH = '/example/fetch/1.0.0'
const signal = AbortSignal.timeout(30_000)

const makeNode = (bootstrapList = []) => createLibp2p({
  addresses: { listen: ['/ip4/127.0.0.1/tcp/0'] },
  transports: [tcp()],
  connectionEncrypters: [noise()],
  streamMuxers: [yamux()],
  peerDiscovery: bootstrapList.length > 0 ? [bootstrap({ list: bootstrapList, timeout: 0 })] : [],
  services: {
    identify: identify(),
    // loopback addresses are private: keep them, and serve the DHT without waiting for a public address
    dht: kadDHT({
      clientMode: false,
      allowPrivateAddresses: true,
      // records under /example/ are accepted if they are short text
      validators: { example: (key, value) => { if (value.byteLength > 256) throw new Error('too long') } },
      selectors: { example: () => 0 }
    })
  }
})

const first = await makeNode()
const rest = await Promise.all([1, 2, 3, 4].map(() => makeNode([first.getMultiaddrs()[0].toString()])))
const nodes = [first, ...rest]
const provider = nodes[1]
const seeker = nodes[4]

// wait until every routing table has a few peers (identify tells each node who speaks the DHT)
while (nodes.some(n => n.services.dht.routingTable.size < 2)) {
  if (signal.aborted) throw new Error('the DHT did not form')
  await new Promise(resolve => setTimeout(resolve, 50))
}
console.log('DHT formed: routing table sizes', nodes.map(n => n.services.dht.routingTable.size).join(' '))

// the provider holds some content, serves it by CID, and announces it
const content = new TextEncoder().encode('the content everybody wants')
const cid = CID.createV1(raw.code, await sha256.digest(content))
await provider.handle(FETCH, async (stream) => {
  let asked = ''
  for await (const chunk of stream) asked += new TextDecoder().decode(chunk.subarray())
  if (asked === cid.toString()) stream.send(content)
  await stream.close()
})
await provider.contentRouting.provide(cid, { signal })
console.log(`node 1 provides ${cid}`)

// the seeker finds a provider through the DHT, then fetches from it
await seeker.hangUp(provider.peerId).catch(() => {})
let found
for await (const p of seeker.contentRouting.findProviders(cid, { signal })) {
  found = p
  break
}
if (found == null) throw new Error('no provider found')
console.log(`node 4 found provider ${found.id.equals(provider.peerId) ? 'node 1' : found.id}`)
const stream = await seeker.dialProtocol(found.id, FETCH, { signal })
stream.send(new TextEncoder().encode(cid.toString()))
await stream.close({ signal })
const parts = []
for await (const chunk of stream) parts.push(chunk.subarray())
const fetched = Buffer.concat(parts)
const check = CID.createV1(raw.code, await sha256.digest(fetched))
console.log(`node 4 fetched "${fetched}" (${check.equals(cid) ? 'hash matches the CID' : 'HASH MISMATCH'})`)

// a value record: put by one node, read by another
const key = new TextEncoder().encode('/example/greeting')
await nodes[2].contentRouting.put(key, new TextEncoder().encode('hello from node 2'), { signal })
const value = await nodes[3].contentRouting.get(key, { signal })
console.log(`node 3 read /example/greeting: "${new TextDecoder().decode(value)}"`)

await Promise.all(nodes.map(n => n.stop()))
if (!check.equals(cid)) process.exit(1)
