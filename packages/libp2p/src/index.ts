/**
 * @packageDocumentation
 *
 * The ts-libp2p node. This first part holds the upgrader (raw connection ->
 * secured, multiplexed Connection, per `connections/README.md`), the
 * connection it produces, and the registrar of protocol handlers. Issue 8 adds
 * `createLibp2p`, the dialer, the connection manager, the peer store and the
 * address manager on top of them.
 *
 * @example
 *
 * ```TypeScript
 * import { Registrar, Upgrader } from '@ts-libp2p/libp2p'
 *
 * const registrar = new Registrar()
 * await registrar.handle('/echo/1.0.0', (stream) => { stream.addEventListener('message', (evt) => stream.send(evt.data)) })
 * const upgrader = new Upgrader({ peerId, registrar, logger }, { connectionEncrypters, streamMuxers })
 * // give `upgrader` to a transport's dial() and createListener()
 * ```
 */

export { Upgrader, remotePeerOf } from './upgrader.js'
export type { UpgraderComponents, UpgraderInit } from './upgrader.js'
export { UpgradedConnection } from './connection.js'
export type { UpgradedConnectionInit } from './connection.js'
export { TransportManager } from './transport-manager.js'
export type { TransportManagerComponents, TransportManagerInit } from './transport-manager.js'
export { ConnectionManager } from './connection-manager.js'
export type { ConnectionManagerComponents, ConnectionManagerInit } from './connection-manager.js'
export { Dialer } from './dialer.js'
export type { DialerComponents, DialerInit, DialerDialOptions } from './dialer.js'
export { sortAddresses } from './address-sort.js'
export { PeerMap } from './peer-map.js'
export { AddressManager } from './address-manager.js'
export type { AddressManagerComponents, AddressManagerInit } from './address-manager.js'
export { Registrar } from './registrar.js'
export type { RegistrarInit } from './registrar.js'
export * from './errors.js'
export * from './constants.js'
