/**
 * @packageDocumentation
 *
 * The libp2p identify protocols
 * ([spec](https://github.com/libp2p/specs/blob/master/identify/README.md)):
 *
 * - `/ipfs/id/1.0.0`: ask a connected peer who it is. It answers with an
 *   Identify message (protocol and agent versions, public key, listen
 *   addresses, the address it sees us on, its protocols and a signed peer
 *   record, RFC 0003) and closes the stream.
 * - `/ipfs/id/push/1.0.0`: tell connected peers that our addresses or
 *   protocols changed.
 *
 * The service identifies the peer of every new connection, checks what it
 * says (the public key must be the key of the connection's peer id, a signed
 * peer record must verify and be that peer's), stores it in the peer store
 * and emits `peer:identify`. It reports our observed address to the address
 * manager and confirms it once 4 distinct peers reported it.
 *
 * @example
 *
 * ```TypeScript
 * import { createLibp2p } from '@ts-libp2p/libp2p'
 * import { identify } from '@ts-libp2p/identify'
 *
 * const node = await createLibp2p({ ..., services: { identify: identify() } })
 * node.addEventListener('peer:identify', (evt) => { console.log(evt.detail.protocols) })
 * ```
 */

import { IdentifyService } from './identify.js'
import type { AbortOptions, ComponentLogger, Connection, IdentifyResult, Libp2pEvents, NodeInfo, PeerId, PeerStore, PrivateKey, TypedEventTarget } from '@ts-libp2p/interface'
import type { AddressManager, ConnectionManager, Registrar } from '@ts-libp2p/interface-internal'

export {
  IDENTIFY_PROTOCOL, IDENTIFY_PUSH_PROTOCOL, PROTOCOL_VERSION, MAX_MESSAGE_SIZE, MAX_MESSAGES, TIMEOUT,
  MAX_INBOUND_STREAMS, MAX_OUTBOUND_STREAMS, PUSH_DEBOUNCE, MAX_PUSH_CONCURRENCY, OBSERVED_ADDR_ACTIVATION_THRESHOLD,
  AGENT_VERSION_KEY, PROTOCOL_VERSION_KEY
} from './constants.js'
export { MessageTooLargeError, PublicKeyMismatchError } from './errors.js'
export type { IdentifyMessage } from './message.js'

/** The identify service. */
export interface Identify {
  /** `/ipfs/id/1.0.0`. */
  readonly protocol: string
  /** `/ipfs/id/push/1.0.0`. */
  readonly pushProtocol: string
  /**
   * Identifies the peer of `connection`: asks, verifies, stores, emits
   * `peer:identify` and resolves with what it learnt. A call while one is
   * running on the same connection shares its result. Rejects with
   * TimeoutError after the timeout, the signal's reason when
   * `options.signal` fires, MessageTooLargeError, InvalidMessageError or
   * PublicKeyMismatchError for a bad answer.
   */
  identify(connection: Connection, options?: AbortOptions): Promise<IdentifyResult>
  /**
   * Pushes our current Identify message to every connected peer that speaks
   * identify/push, if our addresses or protocols changed since the last
   * push. The service calls it (debounced) on `self:peer:update`.
   */
  push(): Promise<void>
}

/** Options of the identify service. */
export interface IdentifyInit {
  /** Sent as `protocolVersion`. Default `ipfs/0.1.0`. */
  protocolVersion?: string
  /** Sent as `agentVersion`. Default the node's `nodeInfo.userAgent`. */
  agentVersion?: string
  /** Milliseconds for one identify, one push, or answering one. Default 5 000. */
  timeout?: number
  /** Largest Identify frame read. Default 8 KiB (go-libp2p, js-libp2p). */
  maxMessageSize?: number
  /** Identify (and push) streams per connection, inbound. Default 1. */
  maxInboundStreams?: number
  /** Identify (and push) streams per connection, outbound. Default 1. */
  maxOutboundStreams?: number
  /** Identify each new connection's peer. Default true. */
  runOnConnectionOpen?: boolean
  /** Push our changes to connected peers on `self:peer:update`. Default true. */
  runOnSelfUpdate?: boolean
  /** Run over limited (relayed) connections. Default true. */
  runOnLimitedConnection?: boolean
  /** At most one push per this many milliseconds (the first change goes at once). Default 1 000. */
  pushDebounce?: number
  /** Pushes in flight at once. Default 32. */
  pushConcurrency?: number
  /** Distinct peers reporting an observed address before it is confirmed. Default 4. */
  observedAddrThreshold?: number
}

/** What the identify service needs from the node. */
export interface IdentifyComponents {
  peerId: PeerId
  privateKey: PrivateKey
  nodeInfo: Pick<NodeInfo, 'userAgent'>
  logger: ComponentLogger
  events: TypedEventTarget<Libp2pEvents>
  registrar: Pick<Registrar, 'handle' | 'unhandle' | 'getProtocols'>
  addressManager: Pick<AddressManager, 'getAddresses' | 'addObservedAddr' | 'confirmObservedAddr'>
  connectionManager: Pick<ConnectionManager, 'getConnections'>
  peerStore: Pick<PeerStore, 'get' | 'patch' | 'merge' | 'consumePeerRecord'>
}

/** Creates the identify service for a node's `services`. */
export function identify (init: IdentifyInit = {}): (components: IdentifyComponents) => Identify {
  return (components) => new IdentifyService(components, init)
}
