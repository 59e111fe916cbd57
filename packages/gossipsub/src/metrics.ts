/**
 * Gossipsub metrics through the node's optional metrics component. Names
 * follow `libp2p_gossipsub_<thing>[_total]`. Mesh sizes and the score
 * distribution are computed when scraped.
 */
import type { Counter, Metrics } from '@ts-libp2p/interface'

interface RouterView {
  mesh: Map<string, Set<string>>
  peers: Map<string, unknown>
  score: { score(peer: string): number }
}

const COUNTERS = [
  ['rpcReceived', 'RPC frames received'],
  ['rpcSent', 'RPC frames sent'],
  ['dropped', 'RPC frames dropped because a peer\'s queue was full'],
  ['graylisted', 'RPCs ignored from graylisted peers'],
  ['delivered', 'messages validated and delivered'],
  ['duplicate', 'duplicate messages received'],
  ['rejected', 'messages rejected by validation'],
  ['ignored', 'messages ignored by validation'],
  ['throttled', 'messages dropped because too many were being validated'],
  ['published', 'messages we published'],
  ['iwantSent', 'message ids requested with IWANT'],
  ['iwantIgnored', 'IWANT requests over the retransmission limit'],
  ['idontwantSent', 'IDONTWANT messages sent'],
  ['idontwantIgnored', 'IDONTWANT ids over the per-heartbeat limit'],
  ['idontwantSkipped', 'forwards skipped because the peer sent IDONTWANT'],
  ['brokenPromises', 'IWANT promises broken by peers'],
  ['pxIgnored', 'PRUNE peer exchanges ignored (score below accept PX threshold)'],
  ['pxConnected', 'connections made to peers learnt through PX']
] as const

type CounterName = typeof COUNTERS[number][0]

export type GossipsubMetrics = Record<CounterName, Counter> & { onHeartbeat(): void }

function snakeCase (name: string): string {
  return name.replace(/[A-Z]/g, c => `_${c.toLowerCase()}`)
}

export function createGossipsubMetrics (metrics: Metrics, router: RouterView): GossipsubMetrics {
  const out: Partial<Record<CounterName, Counter>> = {}
  for (const [name, help] of COUNTERS) {
    out[name] = metrics.registerCounter(`libp2p_gossipsub_${snakeCase(name)}_total`, { help })
  }
  metrics.registerMetricGroup('libp2p_gossipsub_mesh_peers', {
    label: 'topic',
    help: 'peers in our mesh per topic',
    calculate: () => Object.fromEntries([...router.mesh].map(([topic, peers]) => [topic, peers.size]))
  })
  metrics.registerMetric('libp2p_gossipsub_peers', { help: 'peers with a pubsub stream', calculate: () => router.peers.size })
  metrics.registerMetricGroup('libp2p_gossipsub_peer_scores', {
    label: 'bucket',
    help: 'peers per score bucket',
    calculate: () => {
      const buckets: Record<string, number> = { negative: 0, zero: 0, positive: 0 }
      for (const peer of router.peers.keys()) {
        const s = router.score.score(peer)
        buckets[s < 0 ? 'negative' : s === 0 ? 'zero' : 'positive']++
      }
      return buckets
    }
  })
  return { ...(out as Record<CounterName, Counter>), onHeartbeat: () => {} }
}
