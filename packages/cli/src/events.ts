import type { CliNode } from './stack.js'
import type { Output } from './output.js'
import type { Connection } from '@ts-libp2p/interface'

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
