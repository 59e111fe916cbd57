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
export const transportSymbol: typeof official.transportSymbol = Symbol.for('@libp2p/transport') as any
/** Marks an object as a PeerId (see {@link isPeerId}). */
export const peerIdSymbol: typeof official.peerIdSymbol = Symbol.for('@libp2p/peer-id') as any
/** Marks an object as a Connection (see {@link isConnection}). */
export const connectionSymbol: typeof official.connectionSymbol = Symbol.for('@libp2p/connection') as any
/** A service exposing content routing puts its implementation under this key. */
export const contentRoutingSymbol: typeof official.contentRoutingSymbol = Symbol.for('@libp2p/content-routing') as any
/** A service exposing peer routing puts its implementation under this key. */
export const peerRoutingSymbol: typeof official.peerRoutingSymbol = Symbol.for('@libp2p/peer-routing') as any
/** A service that discovers peers puts its event target under this key. */
export const peerDiscoverySymbol: typeof official.peerDiscoverySymbol = Symbol.for('@libp2p/peer-discovery') as any
/** A service lists what it provides (e.g. `'@libp2p/identify'`) under this key. */
export const serviceCapabilities: typeof official.serviceCapabilities = Symbol.for('@libp2p/service-capabilities') as any
/** A service lists the capabilities it needs from other services under this key. */
export const serviceDependencies: typeof official.serviceDependencies = Symbol.for('@libp2p/service-dependencies') as any
