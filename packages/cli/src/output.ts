import type { Readable, Writable } from 'node:stream'

/** Where a command reads and writes: the process's streams, or test doubles. */
export interface CliIo {
  stdin: Readable
  stdout: Writable & { isTTY?: boolean, columns?: number }
  stderr: Writable
  env: NodeJS.ProcessEnv
  cwd: string
}

/** The process's own streams. */
export function processIo (): CliIo {
  return { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, env: process.env, cwd: process.cwd() }
}

/**
 * Writes a command's results: a human line, or with `--json` one JSON object per line (JSON Lines), so a
 * script can read results as they come.
 */
export class Output {
  readonly json: boolean
  readonly io: CliIo

  constructor (io: CliIo, json: boolean) {
    this.io = io
    this.json = json
  }

  /** True when stdout is a terminal (progress may redraw a line); false for pipes and files. */
  get isTTY (): boolean {
    return this.io.stdout.isTTY === true
  }

  /** Prints `human` in human mode, `record` as one JSON line in JSON mode. */
  result (human: string | undefined, record: Record<string, unknown>): void {
    if (this.json) this.io.stdout.write(JSON.stringify(record, jsonReplacer) + '\n')
    else if (human != null) this.io.stdout.write(human + '\n')
  }

  /** A human-only line (nothing in JSON mode). */
  say (line: string): void {
    if (!this.json) this.io.stdout.write(line + '\n')
  }

  /** A warning or error line on stderr, in both modes. */
  warn (line: string): void {
    this.io.stderr.write(line + '\n')
  }
}

/** JSON.stringify replacer: bigints as decimal strings, Uint8Arrays as base64, peer ids and multiaddrs as strings. */
export function jsonReplacer (_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString()
  if (value instanceof Uint8Array) return Buffer.from(value).toString('base64')
  return value
}

/** A byte count in binary units: `10.0 MiB`. */
export function formatBytes (bytes: number): string {
  const units = ['B', 'KiB', 'MiB', 'GiB', 'TiB']
  let value = bytes
  let unit = 0
  while (value >= 1024 && unit < units.length - 1) { value /= 1024; unit++ }
  return unit === 0 ? `${bytes} B` : `${value.toFixed(1)} ${units[unit]}`
}

/** A throughput in bits per second with SI units, as network throughput is usually quoted: `812.3 Mbit/s`. */
export function formatBitRate (bytesPerSecond: number): string {
  const bits = bytesPerSecond * 8
  const units = ['bit/s', 'kbit/s', 'Mbit/s', 'Gbit/s', 'Tbit/s']
  let value = bits
  let unit = 0
  while (value >= 1000 && unit < units.length - 1) { value /= 1000; unit++ }
  return `${value.toFixed(1)} ${units[unit]}`
}

/** Parses a size flag: an integer with an optional binary suffix (`512`, `64KiB`, `10MiB`, `1GiB`, also `k`, `m`, `g`). */
export function parseBytes (text: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*(b|k|kb|kib|m|mb|mib|g|gb|gib)?$/i.exec(text.trim())
  if (match == null) return NaN
  const scale: Record<string, number> = { b: 1, k: 1024, kb: 1024, kib: 1024, m: 1024 ** 2, mb: 1024 ** 2, mib: 1024 ** 2, g: 1024 ** 3, gb: 1024 ** 3, gib: 1024 ** 3 }
  const value = Number(match[1]) * scale[(match[2] ?? 'b').toLowerCase()]
  return Number.isSafeInteger(value) ? value : NaN
}
