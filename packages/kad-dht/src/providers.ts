import { Key } from 'interface-datastore'
import { base32 } from 'multiformats/bases/base32'
import { MAX_PROVIDERS_PER_KEY, PROVIDERS_CACHE_SIZE, PROVIDER_ADDRS_TTL, PROVIDER_KEY_PREFIX, PROVIDER_RECORD_TTL, STORE_ENTRY_OVERHEAD } from './constants.js'
import type { StoreMemory } from './store-memory.js'
import type { AbortOptions, Logger } from '@ts-libp2p/interface'
import type { Datastore } from 'interface-datastore'

/** A provider of a key as stored. */
export interface ProviderEntry {
  /** The provider's peer id string. */
  peer: string
  /** When the provider record was (re)published to us, ms since the epoch. */
  added: number
  /** Its addresses as announced (bytes), served only within the addresses TTL. */
  addrs: Uint8Array[]
}

/** Options of a {@link Providers} store. */
export interface ProvidersInit {
  /** How long a provider record lives. Default {@link PROVIDER_RECORD_TTL} (48 h). */
  ttl?: number
  /** How long its addresses are served. Default {@link PROVIDER_ADDRS_TTL} (30 min). */
  addrsTtl?: number
  /** Keys held in memory. Default {@link PROVIDERS_CACHE_SIZE}. */
  cacheSize?: number
  /** Providers kept per key. Default {@link MAX_PROVIDERS_PER_KEY}. */
  maxPerKey?: number
  now?(): number
  log?: Logger
  /**
   * Charged per provider entry (its encoded size, its addresses once more
   * for the in-memory cache, plus STORE_ENTRY_OVERHEAD); a refusal throws
   * and nothing is stored.
   */
  memory?: StoreMemory
}

/**
 * Provider records keyed by multihash bytes ("the keys for provider records
 * are multihashes", spec "Content provider advertisement and discovery"),
 * persisted in the datastore under `/dht/provider/<base32 multihash>/<peer>`
 * with an LRU of recently used keys in memory. Records expire after the TTL
 * and are swept.
 */
export class Providers {
  readonly #datastore: Datastore
  readonly #ttl: number
  readonly #addrsTtl: number
  readonly #cacheSize: number
  readonly #maxPerKey: number
  readonly #now: () => number
  readonly #log?: Logger
  readonly #memory?: StoreMemory
  /** base32 key -> providers; Map order is the LRU order (oldest first). */
  readonly #cache = new Map<string, Map<string, ProviderEntry>>()

  constructor (datastore: Datastore, init: ProvidersInit = {}) {
    this.#datastore = datastore
    this.#ttl = init.ttl ?? PROVIDER_RECORD_TTL
    this.#addrsTtl = init.addrsTtl ?? PROVIDER_ADDRS_TTL
    this.#cacheSize = init.cacheSize ?? PROVIDERS_CACHE_SIZE
    this.#maxPerKey = init.maxPerKey ?? MAX_PROVIDERS_PER_KEY
    this.#now = init.now ?? Date.now
    this.#log = init.log
    this.#memory = init.memory
  }

  /** Records `peer` as a provider of `key` (a multihash), replacing its older record. */
  async add (key: Uint8Array, peer: string, addrs: Uint8Array[], options?: AbortOptions): Promise<void> {
    const k = base32.encode(key)
    const providers = await this.#load(k, options)
    const entry: ProviderEntry = { peer, added: this.#now(), addrs }
    const key_ = dsKey(k, peer)
    const encoded = encodeEntry(entry)
    // throws the scope's error (ResourceLimitError) before anything is stored
    this.#memory?.charge(key_.toString(), entrySize(key_, encoded, addrs))
    if (!providers.has(peer) && providers.size >= this.#maxPerKey) {
      // full: the oldest record gives way
      let oldest: ProviderEntry | undefined
      for (const p of providers.values()) if (oldest == null || p.added < oldest.added) oldest = p
      if (oldest != null) {
        providers.delete(oldest.peer)
        await this.#delete(dsKey(k, oldest.peer), options)
      }
    }
    providers.set(peer, entry)
    try {
      await this.#datastore.put(key_, encoded, options)
    } catch (err) {
      providers.delete(peer)
      this.#memory?.release(key_.toString())
      throw err
    }
  }

  async #delete (key: Key, options?: AbortOptions): Promise<void> {
    await this.#datastore.delete(key, options)
    this.#memory?.release(key.toString())
  }

  /** The live providers of `key`, newest first; addresses only while within the addresses TTL. */
  async get (key: Uint8Array, options?: AbortOptions): Promise<ProviderEntry[]> {
    const k = base32.encode(key)
    const providers = await this.#load(k, options)
    const now = this.#now()
    const live: ProviderEntry[] = []
    for (const p of [...providers.values()]) {
      if (now - p.added > this.#ttl) {
        providers.delete(p.peer)
        await this.#delete(dsKey(k, p.peer), options)
        continue
      }
      live.push({ ...p, addrs: now - p.added > this.#addrsTtl ? [] : p.addrs })
    }
    return live.sort((a, b) => b.added - a.added)
  }

  /** Deletes expired provider records from the datastore and the cache; returns how many. */
  async sweep (options?: AbortOptions): Promise<number> {
    const now = this.#now()
    const stale: Key[] = []
    for await (const { key, value } of this.#datastore.query({ prefix: PROVIDER_KEY_PREFIX }, options)) {
      const entry = decodeEntry(value)
      if (entry == null || now - entry.added > this.#ttl) stale.push(key)
    }
    for (const key of stale) await this.#delete(key, options)
    for (const [k, providers] of this.#cache) {
      for (const p of providers.values()) if (now - p.added > this.#ttl) providers.delete(p.peer)
      if (providers.size === 0) this.#cache.delete(k)
    }
    if (stale.length > 0) this.#log?.('swept %d expired provider records', stale.length)
    return stale.length
  }

  async #load (k: string, options?: AbortOptions): Promise<Map<string, ProviderEntry>> {
    const cached = this.#cache.get(k)
    if (cached != null) {
      this.#cache.delete(k)
      this.#cache.set(k, cached)
      return cached
    }
    const providers = new Map<string, ProviderEntry>()
    for await (const { value } of this.#datastore.query({ prefix: `${PROVIDER_KEY_PREFIX}/${k}/` }, options)) {
      const entry = decodeEntry(value)
      if (entry != null && providers.size < this.#maxPerKey) providers.set(entry.peer, entry)
    }
    this.#cache.set(k, providers)
    while (this.#cache.size > this.#cacheSize) {
      const oldest = this.#cache.keys().next().value as string
      this.#cache.delete(oldest)
    }
    return providers
  }
}

/** The approximate bytes an entry holds: the stored value and key, the addresses in the cache, the objects around them. */
function entrySize (key: Key, encoded: Uint8Array, addrs: Uint8Array[]): number {
  let size = encoded.byteLength + key.toString().length + STORE_ENTRY_OVERHEAD
  for (const addr of addrs) size += addr.byteLength
  return size
}

function dsKey (k: string, peer: string): Key {
  return new Key(`${PROVIDER_KEY_PREFIX}/${k}/${peer}`, false)
}

/** Our own storage format: JSON with base64 addresses (small, readable, versioned by its fields). */
function encodeEntry (entry: ProviderEntry): Uint8Array {
  return new TextEncoder().encode(JSON.stringify({ peer: entry.peer, added: entry.added, addrs: entry.addrs.map(a => base32.encode(a)) }))
}

function decodeEntry (bytes: Uint8Array): ProviderEntry | undefined {
  try {
    const json = JSON.parse(new TextDecoder().decode(bytes))
    if (typeof json.peer !== 'string' || typeof json.added !== 'number' || !Array.isArray(json.addrs)) return undefined
    return { peer: json.peer, added: json.added, addrs: json.addrs.map((a: string) => base32.decode(a)) }
  } catch {
    return undefined
  }
}
