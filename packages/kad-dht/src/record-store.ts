import { Key } from 'interface-datastore'
import { base32 } from 'multiformats/bases/base32'
import { MAX_RECORD_AGE, RECORD_KEY_PREFIX, STORE_ENTRY_OVERHEAD } from './constants.js'
import { Record as pbRecord } from './pb/dht.js'
import type { WireRecord } from './message.js'
import type { StoreMemory } from './store-memory.js'
import type { AbortOptions, Logger } from '@ts-libp2p/interface'
import type { Datastore } from 'interface-datastore'

/** Options of a {@link RecordStore}. */
export interface RecordStoreInit {
  /** How long a record is kept from when it was received. Default {@link MAX_RECORD_AGE}. */
  maxRecordAge?: number
  now?(): number
  log?: Logger
  /** Charged per stored record (its encoded size plus STORE_ENTRY_OVERHEAD); a refusal throws and nothing is stored. */
  memory?: StoreMemory
}

/**
 * Value records in the node's datastore under `/dht/record/<base32 key>`,
 * encoded as the spec's `Record` with `timeReceived` set when stored. A
 * record older than `maxRecordAge` is treated as absent and deleted.
 */
export class RecordStore {
  readonly #datastore: Datastore
  readonly #maxRecordAge: number
  readonly #now: () => number
  readonly #log?: Logger
  readonly #memory?: StoreMemory

  constructor (datastore: Datastore, init: RecordStoreInit = {}) {
    this.#datastore = datastore
    this.#maxRecordAge = init.maxRecordAge ?? MAX_RECORD_AGE
    this.#now = init.now ?? Date.now
    this.#log = init.log
    this.#memory = init.memory
  }

  static keyOf (key: Uint8Array): Key {
    return new Key(`${RECORD_KEY_PREFIX}/${base32.encode(key)}`, false)
  }

  /** Stores a record (already validated), stamping `timeReceived`. */
  async put (key: Uint8Array, value: Uint8Array, options?: AbortOptions): Promise<WireRecord> {
    const record: WireRecord = { key, value, timeReceived: new Date(this.#now()).toISOString() }
    const dsKey = RecordStore.keyOf(key)
    const bytes = pbRecord.encode(record).finish()
    // throws the scope's error (ResourceLimitError) before anything is stored
    this.#memory?.charge(dsKey.toString(), bytes.byteLength + dsKey.toString().length + STORE_ENTRY_OVERHEAD)
    try {
      await this.#datastore.put(dsKey, bytes, options)
    } catch (err) {
      this.#memory?.release(dsKey.toString())
      throw err
    }
    return record
  }

  /** The stored record, or undefined when absent, unreadable or older than `maxRecordAge`. */
  async get (key: Uint8Array, options?: AbortOptions): Promise<WireRecord | undefined> {
    const dsKey = RecordStore.keyOf(key)
    let bytes: Uint8Array
    try {
      bytes = await this.#datastore.get(dsKey, options)
    } catch (err: any) {
      if (err?.name === 'NotFoundError') return undefined
      throw err
    }
    let record: WireRecord
    try {
      const decoded = pbRecord.decode(bytes)
      record = { key: decoded.key ?? key, value: decoded.value ?? new Uint8Array(0), timeReceived: decoded.timeReceived ?? '' }
    } catch (err: any) {
      this.#log?.error('dropping an unreadable stored record - %e', err)
      await this.delete(key, options)
      return undefined
    }
    const received = Date.parse(record.timeReceived)
    if (Number.isNaN(received) || this.#now() - received > this.#maxRecordAge) {
      await this.delete(key, options)
      return undefined
    }
    return record
  }

  async delete (key: Uint8Array, options?: AbortOptions): Promise<void> {
    const dsKey = RecordStore.keyOf(key)
    await this.#datastore.delete(dsKey, options)
    this.#memory?.release(dsKey.toString())
  }

  /** Deletes every record older than `maxRecordAge`; returns how many. */
  async sweep (options?: AbortOptions): Promise<number> {
    const stale: Key[] = []
    for await (const { key, value } of this.#datastore.query({ prefix: RECORD_KEY_PREFIX }, options)) {
      try {
        const received = Date.parse(pbRecord.decode(value).timeReceived ?? '')
        if (Number.isNaN(received) || this.#now() - received > this.#maxRecordAge) stale.push(key)
      } catch {
        stale.push(key)
      }
    }
    for (const key of stale) {
      await this.#datastore.delete(key, options)
      this.#memory?.release(key.toString())
    }
    return stale.length
  }
}
