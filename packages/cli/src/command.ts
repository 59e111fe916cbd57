import { parseArgs } from 'node:util'
import { TimeoutError } from '@ts-libp2p/interface'
import { UsageError } from './errors.js'
import { Output } from './output.js'
import type { CliIo } from './output.js'
import type { ParseArgsConfig } from 'node:util'

type OptionsConfig = NonNullable<ParseArgsConfig['options']>

/** What a command gets when it runs. */
export interface CommandContext {
  io: CliIo
  output: Output
  /** Aborted when the user interrupts (SIGINT, SIGTERM): long-running commands stop cleanly. */
  signal: AbortSignal
  /** The flags' values, as parseArgs returns them. */
  values: Record<string, any>
  /** The arguments after the command name (and after the subcommand, for dht and pubsub). */
  positionals: string[]
}

/** One `ts-libp2p <name>` command. */
export interface Command {
  name: string
  /** One line for the command list. */
  summary: string
  /** The usage line(s) after `ts-libp2p `. */
  usage: string[]
  /** Paragraphs after the usage. */
  description?: string
  /** parseArgs options beyond --help and --json. */
  options: OptionsConfig
  /** One help line per option. */
  optionsHelp: string[]
  /** Pass everything after the command name through untouched (interop, bench). */
  passThrough?: boolean
  /** Runs the command; resolves with the process exit code (0 when absent). */
  run(ctx: CommandContext): Promise<number | void>
}

const COMMON_OPTIONS = {
  help: { type: 'boolean', short: 'h' },
  json: { type: 'boolean' }
} as const

/** The help text of a command. */
export function commandHelp (command: Command): string {
  const lines = command.usage.map((u, i) => `${i === 0 ? 'Usage: ' : '       '}ts-libp2p ${u}`)
  lines.push('', command.summary)
  if (command.description != null) lines.push('', command.description)
  const options = [...command.optionsHelp]
  if (command.passThrough !== true) options.push('--json               one JSON object per line instead of text', '-h, --help           this help')
  lines.push('', 'Options:', ...options.map(o => `  ${o}`))
  return lines.join('\n') + '\n'
}

/** Parses a command's arguments; throws UsageError for an unknown flag or a flag without its value. */
export function parseCommandArgs (command: Command, args: string[]): { values: Record<string, any>, positionals: string[] } {
  try {
    const { values, positionals } = parseArgs({ args, options: { ...COMMON_OPTIONS, ...command.options }, allowPositionals: true, strict: true })
    return { values, positionals }
  } catch (err: any) {
    throw new UsageError(`${command.name}: ${String(err.message).replace(/\. To specify a positional argument.*$/s, '')}`)
  }
}

/** Parses an integer flag within [min, max]; throws UsageError otherwise. */
export function intFlag (values: Record<string, any>, name: string, fallback: number, min: number, max: number): number {
  const raw = values[name]
  if (raw == null) return fallback
  const n = Number(raw)
  if (!Number.isSafeInteger(n) || n < min || n > max) throw new UsageError(`--${name} must be an integer from ${min} to ${max}, not "${raw}"`)
  return n
}

/** A signal with its timer: call `clear()` when the work is done. */
export interface Deadline {
  signal: AbortSignal
  clear(): void
}

/**
 * A signal that fires on `parent` (the user's interrupt) or after `ms`, whichever is first. Not
 * `AbortSignal.any([parent, AbortSignal.timeout(ms)])`: on Node 20 the timeout signal inside it can be
 * garbage collected before it fires, and the deadline silently never comes.
 */
export function deadline (parent: AbortSignal, ms: number): Deadline {
  const controller = new AbortController()
  const onAbort = (): void => { controller.abort(parent.reason) }
  const timer = setTimeout(() => {
    parent.removeEventListener('abort', onAbort)
    controller.abort(new TimeoutError(`gave up after ${ms} ms`))
  }, ms)
  const clear = (): void => {
    clearTimeout(timer)
    parent.removeEventListener('abort', onAbort)
  }
  if (parent.aborted) { clear(); controller.abort(parent.reason) } else parent.addEventListener('abort', onAbort, { once: true })
  return { signal: controller.signal, clear }
}
