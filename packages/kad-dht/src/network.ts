import { TimeoutError } from '@ts-libp2p/interface'
import { anySignal } from '@ts-libp2p/utils'
import { multiaddr } from '@multiformats/multiaddr'
import { peerIdFromMultihash } from '@ts-libp2p/peer-id'
import * as Digest from 'multiformats/hashes/digest'
import { isPublicAddress } from './addresses.js'
import { MAX_ADDRS_PER_PEER, MAX_MESSAGE_SIZE, MAX_PEERS_PER_RESPONSE, RPC_TIMEOUT } from './constants.js'
import { InvalidDHTMessageError } from './errors.js'
import { ConnectionType, messageChannel, messageTypeName } from './message.js'
import type { DHTMessage, WirePeer } from './message.js'
import type { AbortOptions, Logger, PeerId, PeerInfo, Stream } from '@ts-libp2p/interface'
import type { ConnectionManager } from '@ts-libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/** Counters of DHT traffic, for metrics and benchmarks. */
export interface DHTStats {
  /** Requests we sent (one per stream opened). */
  requestsSent: number
  /** Requests that failed (dial, stream, timeout, bad answer). */
  requestsFailed: number
  /** Requests we answered. */
  requestsReceived: number
}

export interface NetworkInit {
  protocol: string
  connectionManager: Pick<ConnectionManager, 'openStream'>
  log: Logger
  timeout?: number
  maxMessageSize?: number
  stats: DHTStats
}

/**
 * The client side of the RPCs (spec, "RPC messages"): open a stream, send
 * the request, read the response (none for ADD_PROVIDER), close. Every
 * exchange is bounded by a timeout; on any error the stream is reset.
 */
export class Network {
  readonly #init: NetworkInit
  readonly #timeout: number

  constructor (init: NetworkInit) {
    this.#init = init
    this.#timeout = init.timeout ?? RPC_TIMEOUT
  }

  /** Sends `request` and returns the response; ADD_PROVIDER (`expectResponse` false) returns undefined. */
  async request (peer: PeerId, request: DHTMessage, options: AbortOptions & { expectResponse?: boolean } = {}): Promise<DHTMessage | undefined> {
    const timeout = new AbortController()
    const timer = setTimeout(() => { timeout.abort(new TimeoutError(`${messageTypeName(request.type)} to ${peer} took over ${this.#timeout} ms`)) }, this.#timeout)
    const signal = anySignal([options.signal, timeout.signal])
    this.#init.stats.requestsSent++
    let stream: Stream | undefined
    try {
      stream = await this.#init.connectionManager.openStream(peer, this.#init.protocol, { signal })
      const channel = messageChannel(stream, this.#init.maxMessageSize ?? MAX_MESSAGE_SIZE)
      await channel.write(request, { signal })
      if (options.expectResponse === false) {
        await stream.close({ signal })
        return undefined
      }
      const response = await channel.read({ signal })
      if (response.type !== request.type) {
        throw new InvalidDHTMessageError(`${peer} answered ${messageTypeName(request.type)} with ${messageTypeName(response.type)}`)
      }
      await stream.close({ signal }).catch(() => {})
      return response
    } catch (err: any) {
      this.#init.stats.requestsFailed++
      stream?.abort(err)
      if (signal.aborted && signal.reason instanceof Error && err?.name !== 'InvalidDHTMessageError') throw signal.reason
      throw err
    } finally {
      clearTimeout(timer)
      signal.clear()
    }
  }
}

/** Options for reading peers out of a message. */
export interface PeerParseOptions {
  /** Keep private, loopback and in-process (`/memory`) addresses. */
  allowPrivateAddresses: boolean
  log?: Logger
}

/**
 * Turns the `closerPeers`/`providerPeers` of a response into PeerInfo: at
 * most {@link MAX_PEERS_PER_RESPONSE} peers, invalid peer ids and
 * unparseable addresses dropped, at most {@link MAX_ADDRS_PER_PEER} addresses
 * each, non-public addresses dropped unless allowed.
 */
export function parsePeers (peers: WirePeer[], options: PeerParseOptions): PeerInfo[] {
  const out: PeerInfo[] = []
  const seen = new Set<string>()
  for (const peer of peers.slice(0, MAX_PEERS_PER_RESPONSE)) {
    let id: PeerId
    try {
      id = peerIdFromMultihash(Digest.decode(peer.id))
    } catch {
      options.log?.trace('dropping a peer with an invalid id')
      continue
    }
    const key = id.toString()
    if (seen.has(key)) continue
    seen.add(key)
    const multiaddrs: Multiaddr[] = []
    for (const bytes of peer.addrs.slice(0, MAX_ADDRS_PER_PEER)) {
      try {
        const ma = multiaddr(bytes)
        if (options.allowPrivateAddresses || isPublicAddress(ma)) multiaddrs.push(ma)
      } catch {
        options.log?.trace('dropping an invalid address of %p', id)
      }
    }
    out.push({ id, multiaddrs })
  }
  return out
}

/** A peer for the wire. */
export function toWirePeer (info: PeerInfo, connection: ConnectionType = ConnectionType.NOT_CONNECTED): WirePeer {
  return { id: info.id.toMultihash().bytes, addrs: info.multiaddrs.map(ma => ma.bytes), connection }
}
