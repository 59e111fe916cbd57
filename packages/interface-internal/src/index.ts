/**
 * @packageDocumentation
 *
 * What protocol services consume from the node but applications should not
 * touch directly: the registrar, the connection manager, the transport manager,
 * the address manager and random walk. A service declares the ones it needs in
 * its components type (e.g. `{ registrar: Registrar, connectionManager: ConnectionManager }`).
 *
 * Structurally compatible with `@libp2p/interface-internal` v3 (see the README
 * for the one direction that cannot hold).
 */

export * from './address-manager.js'
export * from './connection-manager.js'
export * from './random-walk.js'
export * from './registrar.js'
export * from './transport-manager.js'
