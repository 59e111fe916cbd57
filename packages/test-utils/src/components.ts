import { TypedEventEmitter } from '@ts-libp2p/interface'
import { logger as createLogger } from '@ts-libp2p/utils'
import type { ComponentLogger, Logger } from '@ts-libp2p/interface'

/** One line a {@link captureLogger} recorded. */
export interface CapturedLine {
  /** The full namespace, e.g. `test:tcp:conn:1`. */
  namespace: string
  level: 'log' | 'error' | 'trace'
  /** The arguments as passed (format string first). */
  args: any[]
}

/** A logger component that records every call, whatever `DEBUG` says. */
export interface CapturingLogger extends ComponentLogger {
  lines: CapturedLine[]
  /** Lines whose namespace contains `part`. */
  linesFor(part: string): CapturedLine[]
}

/**
 * A logger component for tests that records what a component logs (and
 * also writes it through `debug` when `DEBUG` enables the namespace), so a
 * test can assert that, say, a protocol error was logged with the peer.
 *
 * @example
 *
 * ```ts
 * const logger = captureLogger()
 * const service = ping()({ logger, ...otherStubs })
 * // ...
 * expect(logger.linesFor('ping').some(l => l.level === 'error')).to.be.true()
 * ```
 */
export function captureLogger (prefix = 'test'): CapturingLogger {
  const lines: CapturedLine[] = []

  const make = (namespace: string): Logger => {
    const real = createLogger(namespace)
    const record = (level: CapturedLine['level'], write: (...args: any[]) => void) => (...args: any[]): void => {
      lines.push({ namespace, level, args })
      write(...args)
    }
    return Object.assign(record('log', real), {
      enabled: true,
      error: record('error', real.error),
      trace: record('trace', real.trace),
      newScope: (scope: string) => make(`${namespace}:${scope}`)
    })
  }

  return {
    lines,
    linesFor: (part: string) => lines.filter(line => line.namespace.includes(part)),
    forComponent: (name: string) => make(`${prefix}:${name}`)
  }
}

/** An event target that remembers what was dispatched on it. */
export class StubEvents<Events extends Record<string, any> = Record<string, any>> extends TypedEventEmitter<Events> {
  /** Every dispatched event, in order. */
  public dispatched: Event[] = []

  override dispatchEvent (event: Event): boolean {
    this.dispatched.push(event)
    return super.dispatchEvent(event)
  }

  /** The dispatched events of one type. */
  ofType<K extends keyof Events & string> (type: K): Array<Events[K]> {
    return this.dispatched.filter(evt => evt.type === type) as Array<Events[K]>
  }
}

/**
 * A minimal `events` component (the node-wide event target services
 * dispatch `peer:connect`, `connection:open`... on) that records what was
 * dispatched.
 */
export function stubEvents<Events extends Record<string, any> = Record<string, any>> (): StubEvents<Events> {
  return new StubEvents<Events>()
}
