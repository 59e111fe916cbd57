import { bootstrap } from '@ts-libp2p/bootstrap'
import { gossipsub } from '@ts-libp2p/gossipsub'
import { kadDHT } from '@ts-libp2p/kad-dht'
import { identify } from '@ts-libp2p/identify'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { mdns } from '@ts-libp2p/mdns'
import { mplex } from '@ts-libp2p/mplex'
import { noise } from '@ts-libp2p/noise'
import { perf } from '@ts-libp2p/perf'
import { ping } from '@ts-libp2p/ping'
import { tcp } from '@ts-libp2p/tcp'
import { tls } from '@ts-libp2p/tls'
import { webSockets } from '@ts-libp2p/websockets'
import { yamux } from '@ts-libp2p/yamux'
import { DHT_NAMESPACE, MAX_DHT_VALUE_SIZE } from './constants.js'
import type { ResolvedNodeConfig } from './config.js'
import type { Gossipsub } from '@ts-libp2p/gossipsub'
import type { KadDHT } from '@ts-libp2p/kad-dht'
import type { Identify } from '@ts-libp2p/identify'
import type { Libp2p, PrivateKey } from '@ts-libp2p/interface'
import type { Libp2pInit } from '@ts-libp2p/libp2p'
import type { Perf } from '@ts-libp2p/perf'
import type { Ping } from '@ts-libp2p/ping'

/** The services a node of the command may have; each is present when its name is in `services`. */
export interface CliServices {
  identify?: Identify
  ping?: Ping
  perf?: Perf
  dht?: KadDHT
  pubsub?: Gossipsub
  [name: string]: unknown
}

/** A node built by the command. */
export type CliNode = Libp2p<CliServices>

/** The version the node reports in identify's agentVersion. */
export const AGENT_VERSION = 'ts-libp2p-cli/0.1.0'

/** Options of {@link createNode} beyond the config. */
export interface CreateNodeOptions {
  /** The node's key; a fresh Ed25519 key when absent. */
  privateKey?: PrivateKey
  /** Extra service factories (tests, the demo) merged over the configured ones. */
  services?: Record<string, (components: any) => unknown>
}

/**
 * Builds and starts a node from a resolved config: the named transports, encrypters (in order), muxers (in
 * order) and services, bootstrap discovery when bootstrap peers are given and mDNS when asked for.
 */
export async function createNode (config: ResolvedNodeConfig, options: CreateNodeOptions = {}): Promise<CliNode> {
  const services: Record<string, (components: any) => unknown> = {}
  const names = new Set(config.services)
  // the DHT and gossipsub learn which peers speak their protocols from identify
  if (names.has('dht') || names.has('pubsub')) names.add('identify')
  for (const name of names) {
    switch (name) {
      case 'identify': services.identify = identify({ agentVersion: AGENT_VERSION }); break
      case 'ping': services.ping = ping(); break
      case 'perf': services.perf = perf(); break
      case 'dht': services.dht = kadDHT({
        clientMode: config.dhtMode === 'auto' ? undefined : config.dhtMode === 'client',
        allowPrivateAddresses: config.privateAddresses,
        validators: { [DHT_NAMESPACE]: validateCliRecord },
        // values of the namespace carry no order: keep the first one seen
        selectors: { [DHT_NAMESPACE]: () => 0 }
      }); break
      case 'pubsub': services.pubsub = gossipsub(); break
    }
  }
  Object.assign(services, options.services)

  const init: Libp2pInit<CliServices> = {
    addresses: { listen: config.listen, announce: config.announce },
    transports: config.transports.map(name => name === 'tcp' ? tcp() : webSockets()),
    connectionEncrypters: config.encrypters.map(name => name === 'noise' ? noise() : tls()),
    streamMuxers: config.muxers.map(name => name === 'yamux' ? yamux() : mplex()),
    services: services as any,
    peerDiscovery: [],
    nodeInfo: { userAgent: AGENT_VERSION }
  }
  if (options.privateKey != null) init.privateKey = options.privateKey
  if (config.bootstrap.length > 0) init.peerDiscovery?.push(bootstrap({ list: config.bootstrap, timeout: 0 }))
  if (config.mdns) init.peerDiscovery?.push(mdns())
  return await createLibp2p<CliServices>(init)
}

/** The validator of the command's DHT namespace: any value up to {@link MAX_DHT_VALUE_SIZE} bytes. */
export function validateCliRecord (_key: Uint8Array, value: Uint8Array): void {
  if (value.byteLength > MAX_DHT_VALUE_SIZE) throw new RangeError(`a /${DHT_NAMESPACE}/ value is at most ${MAX_DHT_VALUE_SIZE} bytes, this one has ${value.byteLength}`)
}
