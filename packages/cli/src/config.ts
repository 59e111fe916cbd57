import { readFile, stat } from 'node:fs/promises'
import { multiaddr } from '@multiformats/multiaddr'
import { DEFAULT_LISTEN, DEFAULT_SERVICES, DHT_MODES, ENCRYPTER_NAMES, MAX_CONFIG_FILE_SIZE, MUXER_NAMES, SERVICE_NAMES, TRANSPORT_NAMES } from './constants.js'
import { ConfigError, UsageError } from './errors.js'

export type ServiceName = typeof SERVICE_NAMES[number]
export type TransportName = typeof TRANSPORT_NAMES[number]
export type EncrypterName = typeof ENCRYPTER_NAMES[number]
export type MuxerName = typeof MUXER_NAMES[number]
export type DhtMode = typeof DHT_MODES[number]

/**
 * How to build a node: what a JSON config file (`--config`) may hold, and what the flags of the same names
 * override. Every key is optional.
 */
export interface NodeConfig {
  /** The identity key file (created on first use). */
  identity?: string
  /** Multiaddrs to listen on. */
  listen?: string[]
  /** Multiaddrs to announce instead of the listen addresses. */
  announce?: string[]
  /** Bootstrap peers: multiaddrs ending in `/p2p/<peer id>`. */
  bootstrap?: string[]
  /** Transports, from `tcp` and `ws`. */
  transports?: TransportName[]
  /** Connection encrypters in order of preference, from `noise` and `tls`. */
  encrypters?: EncrypterName[]
  /** Stream muxers in order of preference, from `yamux` and `mplex`. */
  muxers?: MuxerName[]
  /** Services to run, from {@link SERVICE_NAMES}. */
  services?: ServiceName[]
  /** Discover peers on the local network with mDNS. */
  mdns?: boolean
  /** DHT mode: `auto` (default), `client` or `server`. */
  dhtMode?: DhtMode
  /**
   * Keep and serve private and loopback addresses in the DHT (off by default, as on the public DHT: needed on
   * a LAN or on 127.0.0.1).
   */
  privateAddresses?: boolean
}

/** A NodeConfig with every key decided. */
export interface ResolvedNodeConfig {
  identity?: string
  listen: string[]
  announce: string[]
  bootstrap: string[]
  transports: TransportName[]
  encrypters: EncrypterName[]
  muxers: MuxerName[]
  services: ServiceName[]
  mdns: boolean
  dhtMode: DhtMode
  privateAddresses: boolean
}

const LIST_KEYS = ['listen', 'announce', 'bootstrap', 'transports', 'encrypters', 'muxers', 'services'] as const
const KNOWN_KEYS = new Set<string>(['identity', 'mdns', 'dhtMode', 'privateAddresses', ...LIST_KEYS])
const CHOICES: Record<string, readonly string[]> = {
  transports: TRANSPORT_NAMES,
  encrypters: ENCRYPTER_NAMES,
  muxers: MUXER_NAMES,
  services: SERVICE_NAMES
}

/**
 * Reads and checks a JSON config file. Throws ConfigError for a file that is missing, over 1 MiB, not JSON, not
 * an object, or has an unknown key, a value of the wrong type, an unknown name or a bad multiaddr.
 */
export async function loadConfigFile (path: string): Promise<NodeConfig> {
  let text: string
  try {
    const info = await stat(path)
    if (info.size > MAX_CONFIG_FILE_SIZE) throw new ConfigError(`config file ${path} is ${info.size} bytes (limit ${MAX_CONFIG_FILE_SIZE})`)
    text = await readFile(path, 'utf8')
  } catch (err: any) {
    if (err instanceof ConfigError) throw err
    throw new ConfigError(`cannot read config file ${path}: ${err.message}`, { cause: err })
  }
  let value: unknown
  try {
    value = JSON.parse(text)
  } catch (err: any) {
    throw new ConfigError(`config file ${path} is not JSON: ${err.message}`, { cause: err })
  }
  return checkConfig(value, `config file ${path}`)
}

/** Checks an untrusted config object (see {@link loadConfigFile}); `where` names it in errors. */
export function checkConfig (value: unknown, where = 'config'): NodeConfig {
  if (value == null || typeof value !== 'object' || Array.isArray(value)) throw new ConfigError(`${where}: must be a JSON object`)
  const config: Record<string, unknown> = {}
  for (const [key, v] of Object.entries(value)) {
    if (!KNOWN_KEYS.has(key)) throw new ConfigError(`${where}: unknown key "${key}" (known: ${[...KNOWN_KEYS].join(', ')})`)
    if (key === 'identity') {
      if (typeof v !== 'string' || v === '') throw new ConfigError(`${where}: "identity" must be a file path`)
      config.identity = v
    } else if (key === 'mdns' || key === 'privateAddresses') {
      if (typeof v !== 'boolean') throw new ConfigError(`${where}: "${key}" must be true or false`)
      config[key] = v
    } else if (key === 'dhtMode') {
      if (typeof v !== 'string' || !(DHT_MODES as readonly string[]).includes(v)) throw new ConfigError(`${where}: "dhtMode" must be one of ${DHT_MODES.join(', ')}`)
      config.dhtMode = v
    } else {
      if (!Array.isArray(v) || !v.every(item => typeof item === 'string')) throw new ConfigError(`${where}: "${key}" must be an array of strings`)
      config[key] = checkList(key, v, (message) => new ConfigError(`${where}: ${message}`))
    }
  }
  return config as NodeConfig
}

function checkList (key: string, values: string[], fail: (message: string) => Error): string[] {
  const choices = CHOICES[key]
  for (const item of values) {
    if (choices != null) {
      if (!choices.includes(item)) throw fail(`"${key}" has unknown name "${item}" (known: ${choices.join(', ')})`)
    } else {
      try {
        const ma = multiaddr(item)
        if (key === 'bootstrap' && ma.getComponents().find(c => c.name === 'p2p') == null) throw new Error('it does not end in /p2p/<peer id>')
      } catch (err: any) {
        throw fail(`"${key}" has a bad multiaddr "${item}": ${err.message}`)
      }
    }
  }
  return [...new Set(values)]
}

/** The node flags every node-building command accepts, for `node:util` parseArgs. */
export const NODE_FLAGS = {
  config: { type: 'string' },
  identity: { type: 'string' },
  listen: { type: 'string', multiple: true },
  announce: { type: 'string', multiple: true },
  bootstrap: { type: 'string', multiple: true },
  transports: { type: 'string' },
  encrypters: { type: 'string' },
  muxers: { type: 'string' },
  services: { type: 'string' },
  mdns: { type: 'boolean' },
  'dht-mode': { type: 'string' },
  'private-addresses': { type: 'boolean' }
} as const

/** Help lines for {@link NODE_FLAGS}. */
export const NODE_FLAGS_HELP = [
  '--config FILE        JSON config file; its keys are these flags\' names (flags win)',
  '--identity FILE      identity key file (created on first use, mode 0600)',
  '--listen MA          listen multiaddr (repeatable)',
  '--announce MA        announce this multiaddr instead of the listen ones (repeatable)',
  '--bootstrap MA       bootstrap peer, a multiaddr ending in /p2p/<id> (repeatable)',
  `--transports LIST    comma list from ${TRANSPORT_NAMES.join(',')} (default: all)`,
  `--encrypters LIST    comma list in order of preference from ${ENCRYPTER_NAMES.join(',')} (default: ${ENCRYPTER_NAMES.join(',')})`,
  `--muxers LIST        comma list in order of preference from ${MUXER_NAMES.join(',')} (default: ${MUXER_NAMES.join(',')})`,
  `--services LIST      comma list from ${SERVICE_NAMES.join(',')}`,
  '--mdns               discover peers on the local network with mDNS',
  `--dht-mode MODE      ${DHT_MODES.join('|')} (default auto: server once an address is confirmed)`,
  '--private-addresses  keep private and loopback addresses in the DHT (LAN, 127.0.0.1)'
]

/** The parsed values of {@link NODE_FLAGS}. */
export interface NodeFlagValues {
  config?: string
  identity?: string
  listen?: string[]
  announce?: string[]
  bootstrap?: string[]
  transports?: string
  encrypters?: string
  muxers?: string
  services?: string
  mdns?: boolean
  'dht-mode'?: string
  'private-addresses'?: boolean
}

/** Turns flag values into a NodeConfig (throws UsageError for bad values). */
export function configFromFlags (flags: NodeFlagValues): NodeConfig {
  const config: Record<string, unknown> = {}
  const fail = (message: string): Error => new UsageError(message.replace(/^"(\w+)"/, '--$1'))
  if (flags.identity != null) config.identity = flags.identity
  if (flags.mdns != null) config.mdns = flags.mdns
  if (flags['private-addresses'] != null) config.privateAddresses = flags['private-addresses']
  if (flags['dht-mode'] != null) {
    if (!(DHT_MODES as readonly string[]).includes(flags['dht-mode'])) throw new UsageError(`--dht-mode must be one of ${DHT_MODES.join(', ')}`)
    config.dhtMode = flags['dht-mode']
  }
  for (const key of ['listen', 'announce', 'bootstrap'] as const) {
    if (flags[key] != null) config[key] = checkList(key, flags[key], fail)
  }
  for (const key of ['transports', 'encrypters', 'muxers', 'services'] as const) {
    const value = flags[key]
    if (value != null) config[key] = checkList(key, value.split(',').map(s => s.trim()).filter(s => s !== ''), fail)
  }
  return config as NodeConfig
}

/**
 * Decides every key: flags over the config file over `defaults` over the built-in defaults. A list given
 * on the command line replaces the file's list (it is not appended).
 */
export async function resolveNodeConfig (flags: NodeFlagValues, defaults: NodeConfig = {}): Promise<ResolvedNodeConfig> {
  const file = flags.config != null ? await loadConfigFile(flags.config) : {}
  const merged: NodeConfig = { ...defaults, ...file, ...configFromFlags(flags) }
  const resolved: ResolvedNodeConfig = {
    listen: merged.listen ?? DEFAULT_LISTEN,
    announce: merged.announce ?? [],
    bootstrap: merged.bootstrap ?? [],
    transports: merged.transports ?? [...TRANSPORT_NAMES],
    encrypters: merged.encrypters ?? [...ENCRYPTER_NAMES],
    muxers: merged.muxers ?? [...MUXER_NAMES],
    services: merged.services ?? (DEFAULT_SERVICES as ServiceName[]),
    mdns: merged.mdns ?? false,
    dhtMode: merged.dhtMode ?? 'auto',
    privateAddresses: merged.privateAddresses ?? false
  }
  if (merged.identity != null) resolved.identity = merged.identity
  if (resolved.transports.length === 0) throw new UsageError('at least one transport is needed')
  if (resolved.encrypters.length === 0) throw new UsageError('at least one connection encrypter is needed')
  if (resolved.muxers.length === 0) throw new UsageError('at least one stream muxer is needed')
  return resolved
}
