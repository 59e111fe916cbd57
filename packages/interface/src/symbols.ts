/**
 * Brand symbols shared with the wider js-libp2p ecosystem.
 *
 * They are registered with `Symbol.for()` under the same keys the official
 * `@libp2p/interface` uses, so a transport, peer id, connection or service of
 * ours is recognised by official modules (and theirs by ours) at run time.
 * Their TypeScript types are the `unique symbol` types declared by
 * `@libp2p/interface`: a `unique symbol` is nominal, so declaring our own
 * would make our roles unassignable to theirs.
 */
import type * as official from '@libp2p/interface'

/** Marks an object as a Transport (see {@link isTransport}). */
export const transportSymbol = Symbol.for('@libp2p/transport') as typeof official.transportSymbol
/** Marks an object as a PeerId (see {@link isPeerId}). */
export const peerIdSymbol = Symbol.for('@libp2p/peer-id') as typeof official.peerIdSymbol
/** Marks an object as a Connection (see {@link isConnection}). */
export const connectionSymbol = Symbol.for('@libp2p/connection') as typeof official.connectionSymbol
/** A service exposing content routing puts its implementation under this key. */
export const contentRoutingSymbol = Symbol.for('@libp2p/content-routing') as typeof official.contentRoutingSymbol
/** A service exposing peer routing puts its implementation under this key. */
export const peerRoutingSymbol = Symbol.for('@libp2p/peer-routing') as typeof official.peerRoutingSymbol
/** A service that discovers peers puts its event target under this key. */
export const peerDiscoverySymbol = Symbol.for('@libp2p/peer-discovery') as typeof official.peerDiscoverySymbol
/** A service lists what it provides (e.g. `'@libp2p/identify'`) under this key. */
export const serviceCapabilities = Symbol.for('@libp2p/service-capabilities') as typeof official.serviceCapabilities
/** A service lists the capabilities it needs from other services under this key. */
export const serviceDependencies = Symbol.for('@libp2p/service-dependencies') as typeof official.serviceDependencies
