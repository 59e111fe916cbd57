import { InvalidMessageError } from '@ts-libp2p/interface'
import { peerIdFromMultihash, peerIdFromString } from '@ts-libp2p/peer-id'
import { anySignal } from '@ts-libp2p/utils'
import { equals as equalBytes } from 'multiformats/bytes'
import * as Digest from 'multiformats/hashes/digest'
import { isPublicAddress } from './addresses.js'
import { INBOUND_IDLE_TIMEOUT, MAX_ADDRS_PER_PEER, MAX_KEY_LENGTH, MAX_MESSAGE_SIZE, MAX_PROVIDERS_PER_RESPONSE, MAX_REQUESTS_PER_STREAM } from './constants.js'
import { kadKey } from './distance.js'
import { InvalidDHTMessageError } from './errors.js'
import { ConnectionType, MessageType, messageChannel, messageTypeName } from './message.js'
import { toWirePeer } from './network.js'
import type { DHTMessage, WirePeer } from './message.js'
import type { DHTStats } from './network.js'
import type { Providers } from './providers.js'
import type { RecordStore } from './record-store.js'
import type { RecordValidation } from './records.js'
import type { RoutingTable } from './routing-table.js'
import type { PeerInfoCache } from './peer-info-cache.js'
import type { Connection, Logger, MemoryScope, PeerId, PeerInfo, Stream } from '@ts-libp2p/interface'
import type { ConnectionManager } from '@ts-libp2p/interface-internal'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What the request handlers need. */
export interface HandlerContext {
  self: PeerId
  selfAddresses(): Multiaddr[]
  routingTable: RoutingTable
  records: RecordStore
  providers: Providers
  validation: RecordValidation
  peerInfo: PeerInfoCache
  connectionManager: Pick<ConnectionManager, 'getConnections'>
  allowPrivateAddresses: boolean
  maxMessageSize?: number
  log: Logger
  stats: DHTStats
  /** Aborts every inbound stream when the DHT stops. */
  shutdown(): AbortSignal | undefined
  /**
   * The DHT's service scope in the node's resource manager: each inbound
   * request's bytes are reserved in it while the request is answered; a
   * refusal (ResourceLimitError) resets the stream.
   */
  memory?: MemoryScope
}

/**
 * The server side: reads requests from an inbound stream (several may come
 * on one stream, spec "RPC messages"), answers each, resets the stream on
 * any error. Each request must arrive within the idle timeout.
 */
export async function handleStream (ctx: HandlerContext, stream: Stream, connection: Connection): Promise<void> {
  const peer = connection.remotePeer
  const log = stream.log?.newScope('kad-dht') ?? ctx.log
  const channel = messageChannel(stream, ctx.maxMessageSize ?? MAX_MESSAGE_SIZE)
  let answered = 0
  try {
    while (answered < MAX_REQUESTS_PER_STREAM) {
      const signal = anySignal([ctx.shutdown(), AbortSignal.timeout(INBOUND_IDLE_TIMEOUT)])
      try {
        let request: DHTMessage
        try {
          request = await channel.read({ signal })
        } catch (err: any) {
          // the remote closing its side between requests is the normal end
          if (err?.name === 'UnexpectedEOFError' && /before a length-prefixed frame/.test(String(err.message))) break
          throw err
        }
        ctx.stats.requestsReceived++
        // throws ResourceLimitError: the catch below resets the stream
        const held = reserve(ctx.memory, channel.lastReadBytes)
        try {
          const response = await handleRequest(ctx, peer, request)
          if (response != null) await channel.write(response, { signal })
        } finally {
          ctx.memory?.releaseMemory(held)
        }
        answered++
      } finally {
        signal.clear()
      }
    }
    await stream.close({ signal: AbortSignal.timeout(INBOUND_IDLE_TIMEOUT) })
  } catch (err: any) {
    log('DHT stream from %p failed after %d request(s) - %e', peer, answered, err)
    stream.abort(err instanceof Error ? err : new Error(String(err)))
  }
}

/** Reserves `bytes` in `memory` (if any) and returns what was reserved. */
function reserve (memory: MemoryScope | undefined, bytes: number): number {
  if (memory == null) return 0
  memory.reserveMemory(bytes)
  return bytes
}

/** Answers one request; undefined for requests without a response (ADD_PROVIDER). Throws on invalid ones. */
export async function handleRequest (ctx: HandlerContext, from: PeerId, request: DHTMessage): Promise<DHTMessage | undefined> {
  ctx.log.trace('%s from %p', messageTypeName(request.type), from)
  switch (request.type) {
    case MessageType.FIND_NODE: return await findNode(ctx, from, request)
    case MessageType.GET_VALUE: return await getValue(ctx, from, request)
    case MessageType.PUT_VALUE: return await putValue(ctx, request)
    case MessageType.ADD_PROVIDER: await addProvider(ctx, from, request); return undefined
    case MessageType.GET_PROVIDERS: return await getProviders(ctx, from, request)
    case MessageType.PING: return { type: MessageType.PING, closerPeers: [], providerPeers: [] }
    default: throw new InvalidDHTMessageError(`Unknown DHT message type ${String(request.type)}`)
  }
}

function requireKey (request: DHTMessage): Uint8Array {
  if (request.key == null || request.key.byteLength === 0) throw new InvalidDHTMessageError(`${messageTypeName(request.type)} without a key`)
  if (request.key.byteLength > MAX_KEY_LENGTH) throw new InvalidDHTMessageError(`${messageTypeName(request.type)} key of ${request.key.byteLength} bytes is over ${MAX_KEY_LENGTH}`)
  return request.key
}

/** The k closest peers of our table to `key`, with their addresses, the requester left out. */
async function closerPeers (ctx: HandlerContext, key: Uint8Array, from: PeerId): Promise<WirePeer[]> {
  const ids = ctx.routingTable.closest(kadKey(key), ctx.routingTable.k + 1).filter(id => !id.equals(from)).slice(0, ctx.routingTable.k)
  const out: WirePeer[] = []
  for (const id of ids) {
    const info = await peerInfo(ctx, id)
    if (info.multiaddrs.length > 0) out.push(toWirePeer(info, connectionType(ctx, id)))
  }
  return out
}

/** A peer's advertisable addresses from the peer store. */
async function peerInfo (ctx: HandlerContext, id: PeerId): Promise<PeerInfo> {
  const info = await ctx.peerInfo.get(id)
  return { id, multiaddrs: filterAddrs(ctx, info.multiaddrs) }
}

function filterAddrs (ctx: HandlerContext, addrs: Multiaddr[]): Multiaddr[] {
  return addrs.filter(a => ctx.allowPrivateAddresses || isPublicAddress(a)).slice(0, MAX_ADDRS_PER_PEER)
}

function connectionType (ctx: HandlerContext, id: PeerId): ConnectionType {
  return ctx.connectionManager.getConnections(id).length > 0 ? ConnectionType.CONNECTED : ConnectionType.NOT_CONNECTED
}

/** FIND_NODE: the k closest peers; ourselves when asked for us; the target itself when we are connected to it. */
async function findNode (ctx: HandlerContext, from: PeerId, request: DHTMessage): Promise<DHTMessage> {
  const key = requireKey(request)
  if (equalBytes(key, ctx.self.toMultihash().bytes)) {
    return { type: MessageType.FIND_NODE, closerPeers: [toWirePeer({ id: ctx.self, multiaddrs: filterAddrs(ctx, ctx.selfAddresses()) }, ConnectionType.CONNECTED)], providerPeers: [] }
  }
  const closer = await closerPeers(ctx, key, from)
  // a client-mode target is never in routing tables, but we can vouch for it while connected
  const target = targetPeer(key)
  if (target != null && !target.equals(from) && !closer.some(p => equalBytes(p.id, key)) && ctx.connectionManager.getConnections(target).length > 0) {
    const info = await peerInfo(ctx, target)
    if (info.multiaddrs.length > 0) closer.unshift(toWirePeer(info, ConnectionType.CONNECTED))
  }
  return { type: MessageType.FIND_NODE, closerPeers: closer, providerPeers: [] }
}

function targetPeer (key: Uint8Array): PeerId | undefined {
  try {
    const digest = Digest.decode(key)
    // peer ids are identity or sha2-256 multihashes
    if (digest.code !== 0x00 && digest.code !== 0x12) return undefined
    return peerIdFromMultihash(digest)
  } catch {
    return undefined
  }
}


/** GET_VALUE: our record for the key (if valid and fresh) and the closer peers. */
async function getValue (ctx: HandlerContext, from: PeerId, request: DHTMessage): Promise<DHTMessage> {
  const key = requireKey(request)
  const response: DHTMessage = { type: MessageType.GET_VALUE, key, closerPeers: await closerPeers(ctx, key, from), providerPeers: [] }
  const record = await ctx.records.get(key)
  if (record != null) {
    try {
      // a record can become invalid while stored (an IPNS EOL passing)
      await ctx.validation.validate(key, record.value)
      response.record = record
    } catch (err: any) {
      ctx.log('dropping a stored record that no longer validates - %e', err)
      await ctx.records.delete(key)
    }
  }
  return response
}

/**
 * PUT_VALUE: the record's key must equal the message key, the record must
 * validate, and it replaces a stored one only if the selector prefers it.
 * The response echoes the request (spec). An invalid record resets the
 * stream, so the sender knows it was not stored.
 */
async function putValue (ctx: HandlerContext, request: DHTMessage): Promise<DHTMessage> {
  const key = requireKey(request)
  const record = request.record
  if (record == null) throw new InvalidDHTMessageError('PUT_VALUE without a record')
  if (!equalBytes(record.key, key)) throw new InvalidDHTMessageError('PUT_VALUE record key differs from the message key')
  await ctx.validation.validate(key, record.value)
  const existing = await ctx.records.get(key)
  if (existing != null && !equalBytes(existing.value, record.value)) {
    let existingValid = true
    try { await ctx.validation.validate(key, existing.value) } catch { existingValid = false }
    if (existingValid && ctx.validation.select(key, [existing.value, record.value]) === 0) {
      throw new InvalidMessageError('PUT_VALUE record is older than the one stored')
    }
  }
  await ctx.records.put(key, record.value)
  return { type: MessageType.PUT_VALUE, key, record: request.record, closerPeers: [], providerPeers: [] }
}

/** ADD_PROVIDER: the key must be a multihash; only provider entries for the sender itself are stored (spec). */
async function addProvider (ctx: HandlerContext, from: PeerId, request: DHTMessage): Promise<void> {
  const key = requireKey(request)
  try {
    Digest.decode(key)
  } catch {
    throw new InvalidDHTMessageError('ADD_PROVIDER key is not a multihash')
  }
  const self = from.toMultihash().bytes
  let stored = 0
  for (const provider of request.providerPeers) {
    if (!equalBytes(provider.id, self)) {
      ctx.log('%p sent a provider entry for another peer: ignored', from)
      continue
    }
    const addrs = provider.addrs.slice(0, MAX_ADDRS_PER_PEER)
    await ctx.providers.add(key, from.toString(), addrs)
    stored++
    break
  }
  if (stored === 0) ctx.log('ADD_PROVIDER from %p named no provider it could be', from)
}

/** GET_PROVIDERS: the providers we hold (with addresses while fresh, else from the peer store) and closer peers. */
async function getProviders (ctx: HandlerContext, from: PeerId, request: DHTMessage): Promise<DHTMessage> {
  const key = requireKey(request)
  const providers = await ctx.providers.get(key)
  const providerPeers: WirePeer[] = []
  for (const p of providers.slice(0, MAX_PROVIDERS_PER_RESPONSE)) {
    const id = parsePeerId(p.peer)
    if (id == null) continue
    let addrs = p.addrs
    if (addrs.length === 0) addrs = (await peerInfo(ctx, id)).multiaddrs.map(a => a.bytes)
    providerPeers.push({ id: id.toMultihash().bytes, addrs, connection: connectionType(ctx, id) })
  }
  return { type: MessageType.GET_PROVIDERS, key, closerPeers: await closerPeers(ctx, key, from), providerPeers }
}

function parsePeerId (text: string): PeerId | undefined {
  try {
    return peerIdFromString(text)
  } catch {
    return undefined
  }
}
