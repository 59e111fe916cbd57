import { publicKeyFromProtobuf } from '@ts-libp2p/crypto'
import { equals as equalBytes } from 'multiformats/bytes'
import { InvalidRecordError, MissingValidatorError } from './errors.js'
import { ipnsSelector, ipnsValidator } from './ipns.js'

/**
 * Checks a record before it is stored (PUT_VALUE) or accepted from a
 * GET_VALUE answer; throws (an {@link InvalidRecordError}) when it is
 * invalid: bad signature, expired, not matching its key (spec, "Entry
 * validation").
 */
export interface Validator {
  (key: Uint8Array, value: Uint8Array): void | Promise<void>
}

/**
 * Picks the best of two or more valid records for a key (the newest, the
 * one with the highest sequence...) and returns its index. Must be stable:
 * the same input gives the same answer.
 */
export interface Selector {
  (key: Uint8Array, values: Uint8Array[]): number
}

const SLASH = 0x2f

/**
 * The namespace of a key: the text between its first two slashes
 * (`/pk/...` is `pk`, `/ipns/...` is `ipns`), or undefined when the key has
 * none.
 */
export function namespaceOf (key: Uint8Array): string | undefined {
  if (key[0] !== SLASH) return undefined
  const end = key.indexOf(SLASH, 1)
  if (end < 2) return undefined
  return new TextDecoder().decode(key.subarray(1, end))
}

/**
 * The `/pk/` validator: the key is `/pk/` + a peer id's multihash and the
 * value is that peer's public key in its protobuf form, whose multihash must
 * be the one in the key.
 */
export const publicKeyValidator: Validator = (key, value) => {
  const prefix = 4 // '/pk/'
  if (namespaceOf(key) !== 'pk' || key.byteLength <= prefix) throw new InvalidRecordError('A /pk/ key needs a multihash after the prefix')
  let publicKey
  try {
    publicKey = publicKeyFromProtobuf(value)
  } catch (err: any) {
    throw new InvalidRecordError(`A /pk/ record value is not a public key: ${String(err?.message ?? err)}`)
  }
  if (!equalBytes(publicKey.toMultihash().bytes, key.subarray(prefix))) {
    throw new InvalidRecordError('The public key of a /pk/ record does not hash to the key')
  }
}

/** Public key records for one key are all the same key: the first one is as good as any. */
export const publicKeySelector: Selector = () => 0

/** The validators and selectors per namespace, with the built-in `pk` and `ipns`. */
export class RecordValidation {
  readonly #validators = new Map<string, Validator>()
  readonly #selectors = new Map<string, Selector>()

  constructor (validators: Record<string, Validator> = {}, selectors: Record<string, Selector> = {}) {
    this.#validators.set('pk', publicKeyValidator)
    this.#selectors.set('pk', publicKeySelector)
    this.#validators.set('ipns', ipnsValidator)
    this.#selectors.set('ipns', ipnsSelector)
    for (const [ns, v] of Object.entries(validators)) this.#validators.set(ns, v)
    for (const [ns, s] of Object.entries(selectors)) this.#selectors.set(ns, s)
  }

  /** Validates a record; MissingValidatorError for a key without a known namespace (go rejects those too). */
  async validate (key: Uint8Array, value: Uint8Array): Promise<void> {
    const ns = namespaceOf(key)
    const validator = ns == null ? undefined : this.#validators.get(ns)
    if (validator == null) throw new MissingValidatorError(`No validator for the namespace ${ns == null ? '(none)' : `"/${ns}/"`} of the key`)
    try {
      await validator(key, value)
    } catch (err: any) {
      if (err?.name === 'InvalidRecordError') throw err
      throw new InvalidRecordError(`The record for /${ns}/ failed validation: ${String(err?.message ?? err)}`)
    }
  }

  /** The index of the best value; without a selector for the namespace, the first. */
  select (key: Uint8Array, values: Uint8Array[]): number {
    if (values.length < 2) return 0
    const ns = namespaceOf(key)
    const selector = ns == null ? undefined : this.#selectors.get(ns)
    if (selector == null) return 0
    const index = selector(key, values)
    return Number.isInteger(index) && index >= 0 && index < values.length ? index : 0
  }

  /** Whether a namespace has a validator. */
  has (namespace: string): boolean {
    return this.#validators.has(namespace)
  }
}
