import type { AbortOptions, Connection, Listener, Transport, TransportManagerDialProgressEvents } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'
import type { ProgressOptions } from 'progress-events'

/** Options for a dial through the transport manager. */
export interface TransportManagerDialOptions extends AbortOptions, ProgressOptions<TransportManagerDialProgressEvents> {}

/** Holds the node's transports and listeners and picks a transport per address. */
export interface TransportManager {
  add(transport: Transport): void
  dial(ma: Multiaddr, options?: TransportManagerDialOptions): Promise<Connection>
  /** Every address every listener listens on. */
  getAddrs(): Multiaddr[]
  getTransports(): Transport[]
  getListeners(): Listener[]
  dialTransportForMultiaddr(ma: Multiaddr): Transport | undefined
  listenTransportForMultiaddr(ma: Multiaddr): Transport | undefined
  listen(addrs: Multiaddr[]): Promise<void>
  remove(key: string): Promise<void>
  removeAll(): Promise<void>
}
