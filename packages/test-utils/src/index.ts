/**
 * @packageDocumentation
 *
 * In-memory helpers for testing ts-libp2p packages without sockets:
 *
 * - {@link streamPair}, {@link messageStreamPair},
 *   {@link multiaddrConnectionPair}: two connected ends built on
 *   `@ts-libp2p/utils`' message stream base classes, with real backpressure
 *   (`send()` returns false while the link is full), and close, half-close,
 *   closeRead and reset carried across. Options add delivery delay.
 * - {@link echo}: a protocol handler that sends everything back.
 * - {@link captureLogger}, {@link stubEvents}: stub components.
 *
 * @example
 *
 * ```TypeScript
 * import { echo, streamPair } from '@ts-libp2p/test-utils'
 *
 * const [client, server] = streamPair()
 * void echo(server)
 * client.send(new TextEncoder().encode('hello'))
 * await client.close()
 * for await (const chunk of client) {
 *   // chunk.subarray() holds the echoed "hello"
 * }
 * ```
 */

export { streamPair, messageStreamPair, multiaddrConnectionPair } from './stream-pair.js'
export type { PairOptions } from './stream-pair.js'
export { echo } from './echo.js'
export { RawUpgrader, delay, waitFor } from './raw-upgrader.js'
export { SocketConnection, socketPair } from './socket-pair.js'
export { echoStream, roundTrip } from './round-trip.js'
export { captureLogger, stubEvents, StubEvents } from './components.js'
export { Partition } from './partition.js'
export type { PartitionGater, PartitionSide } from './partition.js'
export { NetnsLink, NetnsLinkError, netnsUnavailable, removeStaleNamespaces, NETEM_LINK_SCRIPT, NETNS_PREFIX } from './netns-link.js'
export { JsonChild } from './json-child.js'
export { countingMemoryScope, ScopeLimitError } from './memory-scope.js'
export type { CountingMemoryScope } from './memory-scope.js'
export type { LinkShape, LinkStats, LinkDirectionStats, NetnsLinkInit } from './netns-link.js'
export type { CapturedLine, CapturingLogger } from './components.js'
export * from './constants.js'
