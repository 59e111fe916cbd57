import type { Connection } from './connection.js'
import type { PeerId } from './peer-id.js'

/** Remembers which peers a topology has been told about. */
export interface TopologyFilter {
  has(peerId: PeerId): boolean
  add(peerId: PeerId): void
  remove(peerId: PeerId): void
}

/** Callbacks for peers that support a protocol connecting and disconnecting. */
export interface Topology {
  filter?: TopologyFilter
  /** Also call onConnect for limited connections. */
  notifyOnLimitedConnection?: boolean
  onConnect?(peerId: PeerId, conn: Connection): void | Promise<void>
  onDisconnect?(peerId: PeerId): void | Promise<void>
}
