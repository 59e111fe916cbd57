import debug from 'debug'
import { base32 } from 'multiformats/bases/base32'
import { base58btc } from 'multiformats/bases/base58'
import { base64 } from 'multiformats/bases/base64'
import { LOG_PREFIX } from './constants.js'
import type { ComponentLogger, Logger } from '@ts-libp2p/interface'

function toBytes (value: any): Uint8Array {
  if (value instanceof Uint8Array) {
    return value
  }
  if (typeof value?.subarray === 'function') {
    // a Uint8ArrayList
    return value.subarray()
  }
  throw new TypeError('not bytes')
}

function bytesFormatter (encode: (bytes: Uint8Array) => string): (value: any) => string {
  return (value) => {
    if (value == null) {
      return 'undefined'
    }
    try {
      return encode(toBytes(value))
    } catch {
      return String(value)
    }
  }
}

function formatError (value: any): string {
  if (value == null) {
    return 'undefined'
  }
  if (!(value instanceof Error)) {
    return String(value)
  }
  const stack = value.stack ?? `${value.name}: ${value.message}`
  // AggregateError hides its causes unless they are listed
  if (value instanceof AggregateError && value.errors.length > 0) {
    return `${stack}\n  caused by:\n${value.errors.map(err => `    ${formatError(err)}`).join('\n')}`
  }
  return stack
}

// The `debug` formatters are process-wide. These are the letters the js-libp2p
// ecosystem uses, with the same meaning, so log lines read alike whichever
// implementation wrote them.
/** `%b`: bytes as base58btc (Uint8Array or Uint8ArrayList). */
debug.formatters.b = bytesFormatter(bytes => base58btc.baseEncode(bytes))
/** `%t`: bytes as base32. */
debug.formatters.t = bytesFormatter(bytes => base32.baseEncode(bytes))
/** `%m`: bytes as base64. */
debug.formatters.m = bytesFormatter(bytes => base64.baseEncode(bytes))
/** `%p`: a peer id. */
debug.formatters.p = (value: any) => value == null ? 'undefined' : String(value)
/** `%c`: a CID. */
debug.formatters.c = (value: any) => value == null ? 'undefined' : String(value)
/** `%k`: a datastore key. */
debug.formatters.k = (value: any) => value == null ? 'undefined' : String(value)
/** `%a`: a multiaddr. */
debug.formatters.a = (value: any) => value == null ? 'undefined' : String(value)
/** `%e`: an error with its stack (and an AggregateError's causes). */
debug.formatters.e = formatError

// `debug` asks the terminal whether to use colours (an isatty system call) for
// every logger it makes, and we make one per connection and stream scope: ask
// once, unless the user set DEBUG_COLORS (then inspectOpts.colors is set already)
const inspectOpts = (debug as unknown as { inspectOpts?: Record<string, unknown> }).inspectOpts
if (inspectOpts != null && !('colors' in inspectOpts) && typeof process !== 'undefined') {
  inspectOpts.colors = process.stderr?.isTTY === true
}

/**
 * A `debug`-style logger for one namespace. `log(...)` writes under `name`,
 * `log.error(...)` under `name:error`, `log.trace(...)` under `name:trace`;
 * enable them with the `DEBUG` environment variable (`DEBUG=ts-libp2p:*`,
 * `DEBUG=ts-libp2p:tcp*,-*:trace`) or {@link enable}.
 *
 * Format letters beyond `debug`'s own: `%p` peer id, `%a` multiaddr, `%b`
 * bytes in base58btc, `%t` base32, `%m` base64, `%c` CID, `%k` key, `%e` error.
 *
 * @example
 *
 * ```ts
 * const log = logger('ts-libp2p:example')
 * log('dialled %a as %p', addr, peerId)
 * const streamLog = log.newScope('stream:1') // ts-libp2p:example:stream:1
 * ```
 */
export function logger (name: string): Logger {
  return channel(name, loggerPrototype) as unknown as Logger
}

/** A log namespace's state, kept off the logger function itself. */
interface ChannelState {
  namespace: string
  /** The `debug.namespaces` value `enabled` was computed for. */
  checkedFor: unknown
  enabled: boolean
  /** The `debug` instance, made on the first enabled write. */
  instance?: debug.Debugger
  error?: Logger['error']
  trace?: Logger['trace']
}

const STATE = Symbol('ts-libp2p logger state')

interface WithState { [STATE]: ChannelState }

function isEnabled (state: ChannelState): boolean {
  const current = (debug as unknown as { namespaces?: unknown }).namespaces
  if (current !== state.checkedFor || state.checkedFor === undefined) {
    state.checkedFor = current
    state.enabled = debug.enabled(state.namespace)
  }
  return state.enabled
}

// Loggers are made per connection and per stream, and almost never write. So
// a logger is one small arrow function plus its state: the `debug` instance
// (a colour hash, an options copy and several properties) is only made on the
// first write that is enabled, the `error` and `trace` channels on first use,
// and `enabled`, `error`, `trace` and `newScope` live on shared prototypes
// (properties defined on each function would give every logger a property
// dictionary of its own). Whether a namespace is enabled is looked up again
// only after `debug.enable()` replaced the namespace list, as `debug` does.
const channelPrototype = Object.create(Function.prototype, {
  enabled: {
    get (this: WithState): boolean { return isEnabled(this[STATE]) },
    enumerable: true
  },
  namespace: {
    get (this: WithState): string { return this[STATE].namespace },
    enumerable: true
  }
})

const loggerPrototype = Object.create(channelPrototype, {
  error: {
    get (this: WithState) {
      const state = this[STATE]
      return (state.error ??= channel(`${state.namespace}:error`, channelPrototype) as Logger['error'])
    },
    enumerable: true
  },
  trace: {
    get (this: WithState) {
      const state = this[STATE]
      return (state.trace ??= channel(`${state.namespace}:trace`, channelPrototype) as Logger['trace'])
    },
    enumerable: true
  },
  newScope: {
    value (this: WithState, scope: string): Logger {
      return logger(`${this[STATE].namespace}:${scope}`)
    }
  }
})

function channel (namespace: string, prototype: object): (...args: any[]) => void {
  const state: ChannelState = { namespace, checkedFor: undefined, enabled: false }
  const write = (...args: any[]): void => {
    if (!isEnabled(state)) {
      return
    }
    state.instance ??= debug(namespace)
    state.instance(...(args as [any, ...any[]]))
  }
  Object.setPrototypeOf(write, prototype);
  (write as unknown as WithState)[STATE] = state
  return write
}

/**
 * The logger component a ts-libp2p node passes to its modules:
 * `forComponent('tcp')` logs under `ts-libp2p:tcp`.
 */
export function defaultLogger (): ComponentLogger {
  return prefixLogger(LOG_PREFIX)
}

/**
 * A logger component whose namespaces start with `prefix`. Handy to tell two
 * nodes apart in one process: `prefixLogger('dialer')`, `prefixLogger('listener')`.
 */
export function prefixLogger (prefix: string): ComponentLogger {
  return {
    forComponent (name: string): Logger {
      return logger(`${prefix}:${name}`)
    }
  }
}

/**
 * A logger that never writes, whatever `DEBUG` says. For hot paths in tests
 * and for callers that must not log.
 */
export function disabledLogger (name = 'disabled'): Logger {
  const log = Object.assign((..._args: any[]): void => {}, {
    enabled: false,
    namespace: name,
    error: Object.assign((..._args: any[]): void => {}, { enabled: false }),
    trace: Object.assign((..._args: any[]): void => {}, { enabled: false }),
    newScope: (scope: string): Logger => disabledLogger(`${name}:${scope}`)
  })
  return log
}

/** Turns on the namespaces in `namespaces` (the `DEBUG` syntax), replacing the current set. */
export function enable (namespaces: string): void {
  debug.enable(namespaces)
}

/** Turns every namespace off; returns what was enabled so it can be restored. */
export function disable (): string {
  return debug.disable()
}

/** True when logs under `namespace` are written. */
export function enabled (namespace: string): boolean {
  return debug.enabled(namespace)
}
