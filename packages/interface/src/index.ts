/**
 * @packageDocumentation
 *
 * The roles and shared types of ts-libp2p. Every protocol package implements
 * one of these roles (Transport, ConnectionEncrypter, StreamMuxerFactory, a
 * service...) and depends on this package only for types, typed errors, event
 * classes and the brand symbols.
 *
 * The types are structurally compatible with `@libp2p/interface` v3 in both
 * directions (a type-level test in this package fails the build on drift), so
 * our modules run inside the official js-libp2p node and theirs inside ours.
 *
 * @example
 *
 * ```TypeScript
 * import { StreamResetError, isErrorNamed } from '@ts-libp2p/interface'
 *
 * try {
 *   throw new StreamResetError('remote reset stream 3')
 * } catch (err) {
 *   if (isErrorNamed(err, 'StreamResetError')) {
 *     // handle a reset
 *   }
 * }
 * ```
 */

export * from './symbols.js'
export * from './errors.js'
export * from './events.js'
export * from './keys.js'
export * from './peer-id.js'
export * from './message-stream.js'
export * from './stream.js'
export * from './multiaddr-connection.js'
export * from './connection.js'
export * from './stream-muxer.js'
export * from './connection-encrypter.js'
export * from './connection-gater.js'
export * from './connection-protector.js'
export * from './transport.js'
export * from './peer-info.js'
export * from './peer-store.js'
export * from './record.js'
export * from './content-routing.js'
export * from './peer-routing.js'
export * from './peer-discovery.js'
export * from './metrics.js'
export * from './startable.js'
export * from './topology.js'
export * from './stream-handler.js'
export * from './libp2p.js'
export * from './pubsub.js'
export type { TypedEventTarget } from 'main-event'
export { setMaxListeners } from 'main-event'
export { TypedEventEmitter } from './typed-event-emitter.js'
export type { ProgressEvent, ProgressOptions } from 'progress-events'
