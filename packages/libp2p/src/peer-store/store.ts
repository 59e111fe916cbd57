import { equals } from 'multiformats/bytes'
import { InvalidParametersError, LimitExceededError, NotFoundError } from '@ts-libp2p/interface'
import { publicKeyFromProtobuf, publicKeyToProtobuf } from '@ts-libp2p/crypto'
import { peerIdFromMultihash, peerIdFromPublicKey } from '@ts-libp2p/peer-id'
import { MAX_ENVELOPE_SIZE, PeerRecord, RecordEnvelope, openPeerRecord } from '@ts-libp2p/peer-record'
import { raceSignal, throwIfAborted } from '@ts-libp2p/utils'
import { isMultiaddr, multiaddr as toMultiaddr } from '@multiformats/multiaddr'
import { MemoryDatastore } from 'datastore-core'
import { Key } from 'interface-datastore'
import { base32 } from 'multiformats/bases/base32'
import * as Digest from 'multiformats/hashes/digest'
import {
  MAX_ADDRESSES_PER_PEER, MAX_PEERS, MAX_METADATA_ENTRIES, MAX_METADATA_KEY_LENGTH, MAX_METADATA_VALUE_SIZE,
  MAX_PROTOCOLS_PER_PEER, MAX_PROTOCOL_LENGTH, MAX_TAGS_PER_PEER, MAX_TAG_NAME_LENGTH, MAX_TAG_VALUE, PEER_KEY_PREFIX
} from './constants.js'
import { InvalidStoredPeerError } from './errors.js'
import { decodeStoredPeer, encodeStoredPeer } from './pb.js'
import type { StoredAddress, StoredPeer, StoredTag } from './pb.js'
import type {
  AbortOptions, Address, ComponentLogger, ConsumePeerRecordOptions, Libp2pEvents, Logger, Peer, PeerData, PeerId,
  PeerInfo, PeerQuery, PeerStore, PublicKey, Tag, TagOptions, TypedEventTarget
} from '@ts-libp2p/interface'
import type { Datastore } from 'interface-datastore'

/** What the peer store needs from the node. */
export interface PersistentPeerStoreComponents {
  /** Our own id: updates to it are announced as `self:peer:update`. */
  peerId: PeerId
  /** Where peers are kept; a fresh MemoryDatastore when absent. */
  datastore?: Datastore
  events: TypedEventTarget<Libp2pEvents>
  logger: ComponentLogger
}

/** Limits of the peer store (defaults in constants.ts). */
export interface PersistentPeerStoreInit {
  /** Peers kept; a new peer beyond this is refused with LimitExceededError. */
  maxPeers?: number
  maxAddressesPerPeer?: number
  maxProtocolsPerPeer?: number
  maxMetadataEntries?: number
  maxMetadataValueSize?: number
  maxTagsPerPeer?: number
}

type UpdateMode = 'save' | 'patch' | 'merge'

/** The identity multihash code: the peer id inlines the public key. */
const IDENTITY_CODE = 0x00

function entries<V> (map?: Map<string, V> | Record<string, V>): Array<[string, V]> {
  if (map == null) return []
  if (map instanceof Map) return [...map.entries()]
  if (typeof map !== 'object') throw new InvalidParametersError('Metadata and tags must be a Map or an object')
  return Object.entries(map)
}

function bytesEqual (a?: Uint8Array, b?: Uint8Array): boolean {
  if (a == null || b == null) return a === b
  return equals(a, b)
}

/**
 * The peer store: what the node knows of other peers (addresses, protocols,
 * metadata, tags, public keys, signed peer records), kept in a datastore so a
 * node restarted over the same datastore remembers them.
 *
 * Every write to one peer is serialized behind the previous one, so
 * concurrent `merge()` calls for the same peer all land. Writes that would
 * exceed a limit (addresses, protocols, metadata, tags) are refused whole
 * with `LimitExceededError`; nothing is trimmed, except the uncertified
 * addresses `consumePeerRecord()` drops to make room for certified ones.
 * Tags with a TTL are dropped from every read once expired. A new peer
 * beyond `maxPeers` is refused with `LimitExceededError` too (the count is
 * taken from the datastore once, then kept by this instance: other writers
 * to the same datastore are not seen until a restart).
 */
export class PersistentPeerStore implements PeerStore {
  readonly #peerId: PeerId
  readonly #datastore: Datastore
  readonly #events: TypedEventTarget<Libp2pEvents>
  readonly #log: Logger
  readonly #locks = new Map<string, Promise<void>>()
  readonly #maxAddresses: number
  readonly #maxProtocols: number
  readonly #maxMetadataEntries: number
  readonly #maxMetadataValueSize: number
  readonly #maxTags: number
  readonly #maxPeers: number
  /** Entries under /peers/, counted from the datastore on first need, then kept up to date. */
  #peerCount?: number
  #counting?: Promise<number>

  constructor (components: PersistentPeerStoreComponents, init: PersistentPeerStoreInit = {}) {
    this.#peerId = components.peerId
    this.#datastore = components.datastore ?? new MemoryDatastore()
    this.#events = components.events
    this.#log = components.logger.forComponent('peer-store')
    this.#maxAddresses = init.maxAddressesPerPeer ?? MAX_ADDRESSES_PER_PEER
    this.#maxProtocols = init.maxProtocolsPerPeer ?? MAX_PROTOCOLS_PER_PEER
    this.#maxMetadataEntries = init.maxMetadataEntries ?? MAX_METADATA_ENTRIES
    this.#maxMetadataValueSize = init.maxMetadataValueSize ?? MAX_METADATA_VALUE_SIZE
    this.#maxTags = init.maxTagsPerPeer ?? MAX_TAGS_PER_PEER
    this.#maxPeers = init.maxPeers ?? MAX_PEERS
  }

  readonly [Symbol.toStringTag] = '@ts-libp2p/peer-store'

  async forEach (fn: (peer: Peer) => void, query?: PeerQuery): Promise<void> {
    for (const peer of await this.all(query)) fn(peer)
  }

  /** Every known peer but ourselves, filtered, ordered, then paged by `offset` and `limit`. */
  async all (query: PeerQuery = {}): Promise<Peer[]> {
    throwIfAborted(query.signal)
    const peers: Peer[] = []
    for await (const { key, value } of this.#datastore.query({ prefix: PEER_KEY_PREFIX }, { signal: query.signal })) {
      let peer: Peer
      try {
        const id = peerIdFromKey(key)
        if (id.equals(this.#peerId)) continue
        peer = this.#toPeer(id, decodeStoredPeer(value))
      } catch (err: any) {
        this.#log.error('skipping unreadable peer entry %s - %s', key.toString(), err.message)
        continue
      }
      if ((query.filters ?? []).every(filter => filter(peer))) peers.push(peer)
    }
    const orders = query.orders ?? []
    if (orders.length > 0) {
      peers.sort((a, b) => {
        for (const order of orders) {
          const result = order(a, b)
          if (result !== 0) return result
        }
        return 0
      })
    }
    const offset = query.offset ?? 0
    const end = query.limit == null ? undefined : offset + query.limit
    return peers.slice(offset, end)
  }

  async delete (peerId: PeerId, options?: AbortOptions): Promise<void> {
    await this.#withLock(peerId, options, async () => {
      const key = peerKey(peerId)
      if (!await this.#datastore.has(key, options)) return
      await this.#datastore.delete(key, options)
      if (this.#peerCount != null) this.#peerCount--
    })
  }

  async has (peerId: PeerId, options?: AbortOptions): Promise<boolean> {
    throwIfAborted(options?.signal)
    return this.#datastore.has(peerKey(peerId), options)
  }

  /** The peer's entry; NotFoundError when the peer is unknown. */
  async get (peerId: PeerId, options?: AbortOptions): Promise<Peer> {
    throwIfAborted(options?.signal)
    const stored = await this.#load(peerId, options)
    if (stored == null) throw new NotFoundError(`Peer ${peerId.toString()} is not in the peer store`)
    return this.#toPeer(peerId, stored)
  }

  async getInfo (peerId: PeerId, options?: AbortOptions): Promise<PeerInfo> {
    const peer = await this.get(peerId, options)
    return { id: peer.id, multiaddrs: peer.addresses.map(address => address.multiaddr) }
  }

  async save (id: PeerId, data: PeerData, options?: AbortOptions): Promise<Peer> {
    return this.#update(id, data, 'save', options)
  }

  async patch (id: PeerId, data: PeerData, options?: AbortOptions): Promise<Peer> {
    return this.#update(id, data, 'patch', options)
  }

  async merge (id: PeerId, data: PeerData, options?: AbortOptions): Promise<Peer> {
    return this.#update(id, data, 'merge', options)
  }

  /**
   * Verifies a signed peer record (domain `libp2p-peer-record`, signer = the
   * record's peer) and stores its addresses as certified, with the envelope.
   * False, and nothing stored, when the envelope is invalid, from another
   * peer than `expectedPeer`, or not newer (by seq) than the one stored.
   */
  async consumePeerRecord (buf: Uint8Array, options: ConsumePeerRecordOptions = {}): Promise<boolean> {
    throwIfAborted(options.signal)
    let opened: Awaited<ReturnType<typeof openPeerRecord>>
    try {
      opened = await openPeerRecord(buf, options)
    } catch (err: any) {
      if (err?.name === 'AbortError' || options.signal?.aborted === true) throw err
      this.#log('refusing a signed peer record - %s', err.message)
      return false
    }
    const { envelope, record } = opened
    const peerId = record.peerId
    if (options.expectedPeer != null && !options.expectedPeer.equals(peerId)) {
      this.#log('refusing the peer record of %s: expected one of %s', peerId.toString(), options.expectedPeer.toString())
      return false
    }
    return this.#withLock(peerId, options, async () => {
      const previous = await this.#load(peerId, options)
      const storedSeq = previous == null ? undefined : storedRecordSeq(previous)
      if (storedSeq != null && storedSeq >= record.seq) {
        this.#log('ignoring the peer record of %s: seq %s is not newer than %s', peerId.toString(), record.seq, storedSeq)
        return false
      }
      const certified = dedupeAddresses(record.multiaddrs.map(multiaddr => ({ multiaddr, isCertified: true })))
      const certifiedKeys = new Set(certified.map(a => a.multiaddr.toString()))
      // previously certified addresses are superseded; uncertified ones stay while there is room
      const uncertified = (previous?.addresses ?? [])
        .filter(a => !a.isCertified)
        .map(a => ({ multiaddr: toMultiaddr(a.multiaddr), isCertified: false }))
        .filter(a => !certifiedKeys.has(a.multiaddr.toString()))
      const addresses = [...certified, ...uncertified].slice(0, Math.max(this.#maxAddresses, certified.length))
      const next: StoredPeer = {
        ...(previous ?? emptyStoredPeer()),
        addresses: addresses.map(toStoredAddress),
        publicKey: storedPublicKey(peerId, envelope.publicKey),
        peerRecordEnvelope: envelope.marshal()
      }
      await this.#store(peerId, next, previous, options)
      return true
    })
  }

  async #update (id: PeerId, data: PeerData, mode: UpdateMode, options?: AbortOptions): Promise<Peer> {
    if (id == null || typeof id.toMultihash !== 'function') throw new InvalidParametersError('A peer id is required')
    if (data == null || typeof data !== 'object') throw new InvalidParametersError('Peer data must be an object')
    return this.#withLock(id, options, async () => {
      const previous = await this.#load(id, options)
      const next = this.#apply(id, previous ?? emptyStoredPeer(), data, mode)
      return this.#store(id, next, previous, options)
    })
  }

  /** The entry after `data` is applied to `base` in `mode`; throws before anything is stored. */
  #apply (id: PeerId, base: StoredPeer, data: PeerData, mode: UpdateMode): StoredPeer {
    const now = Date.now()
    const next: StoredPeer = mode === 'save'
      ? { ...emptyStoredPeer(), publicKey: base.publicKey }
      : { ...base, tags: base.tags.filter(tag => !expired(tag, now)) }

    // addresses
    if (data.addresses != null || data.multiaddrs != null) {
      const given = validateAddresses(data)
      const addresses = mode === 'merge'
        ? dedupeAddresses([...base.addresses.map(fromStoredAddress), ...given])
        : dedupeAddresses(given)
      if (addresses.length > this.#maxAddresses) {
        throw new LimitExceededError(`Peer ${id.toString()} would have ${addresses.length} addresses, more than the ${this.#maxAddresses} allowed`)
      }
      next.addresses = addresses.map(toStoredAddress)
    }

    // protocols
    if (data.protocols != null) {
      const given = validateProtocols(data.protocols)
      const protocols = [...new Set(mode === 'merge' ? [...base.protocols, ...given] : given)].sort()
      if (protocols.length > this.#maxProtocols) {
        throw new LimitExceededError(`Peer ${id.toString()} would have ${protocols.length} protocols, more than the ${this.#maxProtocols} allowed`)
      }
      next.protocols = protocols
    }

    // metadata: an undefined value deletes the key
    if (data.metadata != null) {
      const metadata = new Map(mode === 'merge' ? base.metadata : [])
      for (const [key, value] of entries(data.metadata)) {
        if (typeof key !== 'string' || key === '' || key.length > MAX_METADATA_KEY_LENGTH) {
          throw new InvalidParametersError(`Metadata keys must be 1 to ${MAX_METADATA_KEY_LENGTH} characters`)
        }
        if (value === undefined) {
          metadata.delete(key)
          continue
        }
        if (!(value instanceof Uint8Array)) throw new InvalidParametersError(`Metadata value "${key}" must be a Uint8Array`)
        if (value.byteLength > this.#maxMetadataValueSize) {
          throw new LimitExceededError(`Metadata value "${key}" of ${value.byteLength} bytes is larger than the ${this.#maxMetadataValueSize} allowed`)
        }
        metadata.set(key, value.slice())
      }
      if (metadata.size > this.#maxMetadataEntries) {
        throw new LimitExceededError(`Peer ${id.toString()} would have ${metadata.size} metadata entries, more than the ${this.#maxMetadataEntries} allowed`)
      }
      next.metadata = [...metadata.entries()].sort(([a], [b]) => a < b ? -1 : a > b ? 1 : 0)
    }

    // tags: an undefined value deletes the tag
    if (data.tags != null) {
      const tags = new Map((mode === 'merge' ? next.tags : []).map(tag => [tag.name, tag]))
      for (const [name, options] of entries<TagOptions | undefined>(data.tags)) {
        if (typeof name !== 'string' || name === '' || name.length > MAX_TAG_NAME_LENGTH) {
          throw new InvalidParametersError(`Tag names must be 1 to ${MAX_TAG_NAME_LENGTH} characters`)
        }
        if (options === undefined) {
          tags.delete(name)
          continue
        }
        tags.set(name, toStoredTag(name, options, now))
      }
      if (tags.size > this.#maxTags) {
        throw new LimitExceededError(`Peer ${id.toString()} would have ${tags.size} tags, more than the ${this.#maxTags} allowed`)
      }
      next.tags = [...tags.values()].sort((a, b) => a.name < b.name ? -1 : a.name > b.name ? 1 : 0)
    }

    // public key: must be the key of this peer id
    const publicKey = data.publicKey ?? idPublicKey(id)
    if (publicKey != null) {
      next.publicKey = checkedPublicKey(id, publicKey)
    }

    // a signed peer record handed in directly: only its bytes are kept (use consumePeerRecord to verify)
    if (data.peerRecordEnvelope != null) {
      if (!(data.peerRecordEnvelope instanceof Uint8Array) || data.peerRecordEnvelope.byteLength > MAX_ENVELOPE_SIZE) {
        throw new InvalidParametersError(`peerRecordEnvelope must be a Uint8Array of at most ${MAX_ENVELOPE_SIZE} bytes`)
      }
      next.peerRecordEnvelope = data.peerRecordEnvelope.slice()
    } else if (mode === 'save') {
      next.peerRecordEnvelope = undefined
    }

    return next
  }

  async #load (peerId: PeerId, options?: AbortOptions): Promise<StoredPeer | undefined> {
    const key = peerKey(peerId)
    let bytes: Uint8Array
    try {
      bytes = await this.#datastore.get(key, options)
    } catch (err: any) {
      if (err?.name === 'NotFoundError') return undefined
      throw err
    }
    return decodeStoredPeer(bytes)
  }

  async #store (peerId: PeerId, next: StoredPeer, previous: StoredPeer | undefined, options?: AbortOptions): Promise<Peer> {
    const bytes = encodeStoredPeer(next)
    const peer = this.#toPeer(peerId, next)
    if (previous != null && bytesEqual(bytes, encodeStoredPeer(previous))) {
      return peer
    }
    throwIfAborted(options?.signal)
    if (previous == null) {
      if (this.#peerCount == null) {
        // one count shared by every writer that needs it, so none overwrites another's increment
        this.#counting ??= this.#countPeers().finally(() => { this.#counting = undefined })
        const counted = await this.#counting
        this.#peerCount ??= counted
      }
      // checked and counted without an await in between, so concurrent new peers cannot overshoot
      if (this.#peerCount >= this.#maxPeers) {
        throw new LimitExceededError(`The peer store is full (${this.#maxPeers} peers): not adding ${peerId.toString()}`)
      }
      this.#peerCount++
      try {
        await this.#datastore.put(peerKey(peerId), bytes, options)
      } catch (err) {
        this.#peerCount--
        throw err
      }
    } else {
      await this.#datastore.put(peerKey(peerId), bytes, options)
    }
    const event = peerId.equals(this.#peerId) ? 'self:peer:update' : 'peer:update'
    this.#events.safeDispatchEvent(event, {
      detail: { peer, previous: previous == null ? undefined : this.#toPeer(peerId, previous) }
    })
    return peer
  }

  async #countPeers (): Promise<number> {
    let count = 0
    for await (const _ of this.#datastore.queryKeys({ prefix: PEER_KEY_PREFIX })) count++
    return count
  }

  /** The public view of a stored entry; expired tags are left out. */
  #toPeer (peerId: PeerId, stored: StoredPeer): Peer {
    const now = Date.now()
    let id = peerId
    if (stored.publicKey != null && peerId.publicKey == null) {
      try {
        id = peerIdFromPublicKey(publicKeyFromProtobuf(stored.publicKey))
      } catch (err: any) {
        throw new InvalidStoredPeerError(`The stored public key of ${peerId.toString()} is invalid: ${err.message}`)
      }
    }
    const addresses: Address[] = []
    for (const address of stored.addresses) {
      try {
        addresses.push(fromStoredAddress(address))
      } catch (err: any) {
        throw new InvalidStoredPeerError(`A stored address of ${peerId.toString()} is invalid: ${err.message}`)
      }
    }
    const tags = new Map<string, Tag>()
    for (const tag of stored.tags) {
      if (!expired(tag, now)) tags.set(tag.name, { value: tag.value })
    }
    return {
      id,
      addresses,
      protocols: [...stored.protocols],
      metadata: new Map(stored.metadata.map(([key, value]) => [key, value.slice()])),
      tags,
      ...(stored.peerRecordEnvelope == null ? {} : { peerRecordEnvelope: stored.peerRecordEnvelope.slice() })
    }
  }

  /** Runs `fn` after every earlier operation on the same peer has finished. */
  async #withLock<T> (peerId: PeerId, options: AbortOptions | undefined, fn: () => Promise<T>): Promise<T> {
    throwIfAborted(options?.signal)
    const key = peerId.toString()
    const previous = this.#locks.get(key) ?? Promise.resolve()
    let release!: () => void
    const mine = new Promise<void>(resolve => { release = resolve })
    const tail = previous.then(() => mine)
    this.#locks.set(key, tail)
    try {
      await raceSignal(previous, options?.signal)
      return await fn()
    } finally {
      release()
      if (this.#locks.get(key) === tail) this.#locks.delete(key)
    }
  }
}

/** `/peers/<base32 multihash>`: the key of a peer's entry. */
export function peerKey (peerId: PeerId): Key {
  return new Key(`${PEER_KEY_PREFIX}${base32.encode(peerId.toMultihash().bytes)}`)
}

/** The peer id a `/peers/...` key names. */
export function peerIdFromKey (key: Key): PeerId {
  const text = key.toString()
  if (!text.startsWith(PEER_KEY_PREFIX)) throw new InvalidStoredPeerError(`${text} is not a peer key`)
  return peerIdFromMultihash(Digest.decode(base32.decode(text.slice(PEER_KEY_PREFIX.length))))
}

function emptyStoredPeer (): StoredPeer {
  return { addresses: [], protocols: [], metadata: [], tags: [] }
}

function expired (tag: StoredTag, now: number): boolean {
  return tag.expiry !== 0 && tag.expiry <= now
}

function toStoredTag (name: string, options: TagOptions, now: number): StoredTag {
  if (options == null || typeof options !== 'object') throw new InvalidParametersError(`Tag "${name}" needs an options object`)
  const value = options.value ?? 0
  if (!Number.isInteger(value) || value < 0 || value > MAX_TAG_VALUE) {
    throw new InvalidParametersError(`Tag "${name}" value must be an integer from 0 to ${MAX_TAG_VALUE}, got ${String(value)}`)
  }
  let expiry = 0
  if (options.ttl != null) {
    if (typeof options.ttl !== 'number' || !Number.isFinite(options.ttl) || options.ttl < 0) {
      throw new InvalidParametersError(`Tag "${name}" ttl must be a non-negative number of milliseconds, got ${String(options.ttl)}`)
    }
    // a ttl of 0 makes a tag that has already expired, as in js-libp2p
    expiry = Math.max(1, Math.ceil(now + options.ttl))
  }
  return { name, value, expiry }
}

function validateAddresses (data: PeerData): Address[] {
  const out: Address[] = []
  for (const address of data.addresses ?? []) {
    if (address == null || !isMultiaddr(address.multiaddr)) throw new InvalidParametersError('Every address must carry a Multiaddr')
    out.push({ multiaddr: address.multiaddr, isCertified: address.isCertified === true })
  }
  for (const multiaddr of data.multiaddrs ?? []) {
    if (!isMultiaddr(multiaddr)) throw new InvalidParametersError('Every multiaddr must be a Multiaddr')
    out.push({ multiaddr, isCertified: false })
  }
  return out
}

/** One entry per multiaddr, in first-seen order; certified if any copy was. */
function dedupeAddresses (addresses: Address[]): Address[] {
  const byKey = new Map<string, Address>()
  for (const address of addresses) {
    const key = address.multiaddr.toString()
    const seen = byKey.get(key)
    if (seen == null) byKey.set(key, { multiaddr: address.multiaddr, isCertified: address.isCertified })
    else if (address.isCertified) seen.isCertified = true
  }
  return [...byKey.values()]
}

function validateProtocols (protocols: string[]): string[] {
  if (!Array.isArray(protocols)) throw new InvalidParametersError('protocols must be an array of strings')
  for (const protocol of protocols) {
    if (typeof protocol !== 'string' || protocol === '' || protocol.length > MAX_PROTOCOL_LENGTH) {
      throw new InvalidParametersError(`Protocol ids must be 1 to ${MAX_PROTOCOL_LENGTH} characters`)
    }
  }
  return protocols
}

function toStoredAddress (address: Address): StoredAddress {
  return { multiaddr: address.multiaddr.bytes, isCertified: address.isCertified }
}

function fromStoredAddress (address: StoredAddress): Address {
  return { multiaddr: toMultiaddr(address.multiaddr), isCertified: address.isCertified }
}

function idPublicKey (id: PeerId): PublicKey | undefined {
  return id.publicKey ?? undefined
}

/**
 * The key's protobuf form when the id does not carry it (sha2-256 ids: RSA,
 * ECDSA); undefined for identity-multihash ids (Ed25519, secp256k1), whose
 * key is in the id itself.
 */
function storedPublicKey (id: PeerId, key: PublicKey): Uint8Array | undefined {
  return id.toMultihash().code === IDENTITY_CODE ? undefined : publicKeyToProtobuf(key)
}

/** The key's protobuf form (see storedPublicKey), after checking it is the key `id` was made from. */
function checkedPublicKey (id: PeerId, key: PublicKey): Uint8Array | undefined {
  let keyId: PeerId
  try {
    keyId = peerIdFromPublicKey(key)
  } catch (err: any) {
    throw new InvalidParametersError(`Not a usable public key: ${String(err?.message ?? err)}`)
  }
  // InvalidParametersError, as the official js-libp2p peer store throws for a mismatched key
  if (!keyId.equals(id)) {
    throw new InvalidParametersError(`The public key of ${keyId.toString()} does not belong to peer ${id.toString()}`)
  }
  return storedPublicKey(id, key)
}

/** The seq of the stored signed peer record, if any (stored envelopes were verified when consumed). */
function storedRecordSeq (stored: StoredPeer): bigint | undefined {
  if (stored.peerRecordEnvelope == null) return undefined
  try {
    return PeerRecord.createFromProtobuf(RecordEnvelope.createFromProtobuf(stored.peerRecordEnvelope).payload).seq
  } catch {
    return undefined
  }
}
