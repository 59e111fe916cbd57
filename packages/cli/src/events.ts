import { DISCOVERY_DIAL_TIMEOUT, MAX_DISCOVERY_DIALS } from './constants.js'
import type { CliNode } from './stack.js'
import type { Output } from './output.js'
import type { Connection, PeerInfo } from '@ts-libp2p/interface'

/** One connection, as the command prints it. */
export function describeConnection (connection: Connection): Record<string, unknown> {
  return {
    peer: connection.remotePeer.toString(),
    remoteAddr: connection.remoteAddr.toString(),
    direction: connection.direction,
    encryption: connection.encryption,
    multiplexer: connection.multiplexer
  }
}

function shortPeer (id: string): string {
  return id.length > 16 ? `${id.slice(0, 8)}…${id.slice(-6)}` : id
}

/**
 * Prints the node's connection, discovery and identify events as they happen; returns a function that stops
 * printing.
 */
export function printNodeEvents (node: CliNode, output: Output): () => void {
  const listeners: Array<[string, (evt: any) => void]> = [
    ['connection:open', (evt) => {
      const c = describeConnection(evt.detail)
      output.result(`+ connected ${shortPeer(String(c.peer))} ${String(c.direction)} ${String(c.remoteAddr)} (${String(c.encryption)}, ${String(c.multiplexer)})`, { event: 'connection:open', ...c })
    }],
    ['connection:close', (evt) => {
      const c = describeConnection(evt.detail)
      output.result(`- disconnected ${shortPeer(String(c.peer))} ${String(c.remoteAddr)}`, { event: 'connection:close', ...c })
    }],
    ['peer:discovery', (evt) => {
      const id = evt.detail.id.toString()
      output.result(`? discovered ${shortPeer(id)} ${evt.detail.multiaddrs.map(String).join(' ')}`, { event: 'peer:discovery', peer: id, multiaddrs: evt.detail.multiaddrs.map(String) })
    }],
    ['peer:identify', (evt) => {
      const r = evt.detail
      output.result(`i identified ${shortPeer(r.peerId.toString())}: ${String(r.agentVersion)}, ${r.protocols.length} protocols`, {
        event: 'peer:identify', peer: r.peerId.toString(), agentVersion: r.agentVersion, protocolVersion: r.protocolVersion, protocols: r.protocols, listenAddrs: r.listenAddrs.map(String)
      })
    }]
  ]
  for (const [name, fn] of listeners) node.addEventListener(name as any, fn)
  return () => { for (const [name, fn] of listeners) node.removeEventListener(name as any, fn) }
}

/**
 * Dials every discovered peer (mDNS announcements) we are not connected to: the node only records
 * discovered peers, it does not dial them. At most {@link MAX_DISCOVERY_DIALS} dials run at once, each
 * bounded by {@link DISCOVERY_DIAL_TIMEOUT}; a failed dial is retried on the peer's next announcement.
 * Returns a function that stops dialing.
 */
export function dialDiscoveredPeers (node: CliNode): () => void {
  const dialing = new Set<string>()
  const onDiscovery = (evt: CustomEvent<PeerInfo>): void => {
    const peer = evt.detail.id
    const key = peer.toString()
    if (peer.equals(node.peerId) || dialing.has(key) || dialing.size >= MAX_DISCOVERY_DIALS || node.getConnections(peer).length > 0) return
    dialing.add(key)
    const target = evt.detail.multiaddrs.length > 0 ? evt.detail.multiaddrs : peer
    node.dial(target as any, { signal: AbortSignal.timeout(DISCOVERY_DIAL_TIMEOUT) })
      .catch(() => {})
      .finally(() => { dialing.delete(key) })
  }
  node.addEventListener('peer:discovery', onDiscovery)
  return () => { node.removeEventListener('peer:discovery', onDiscovery) }
}
