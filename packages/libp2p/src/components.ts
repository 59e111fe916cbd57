import { InvalidParametersError, serviceCapabilities, serviceDependencies } from '@ts-libp2p/interface'
import type { AddressManager } from './address-manager.js'
import type { ConnectionManager } from './connection-manager.js'
import type { PersistentPeerStore } from './peer-store/index.js'
import type { Registrar } from './registrar.js'
import type { ResourceManager } from './resource-manager.js'
import type { TransportManager } from './transport-manager.js'
import type { Upgrader } from './upgrader.js'
import type { ComponentLogger, ConnectionGater, Libp2pEvents, Metrics, NodeInfo, PeerId, PrivateKey, TypedEventEmitter } from '@ts-libp2p/interface'
import type { Datastore } from 'interface-datastore'

/**
 * What the node gives every transport, encrypter, muxer, service and
 * discovery factory. A module declares the subset it needs as its own
 * components type and is tested with just those.
 */
export interface Components {
  peerId: PeerId
  privateKey: PrivateKey
  nodeInfo: NodeInfo
  logger: ComponentLogger
  events: TypedEventEmitter<Libp2pEvents>
  registrar: Registrar
  upgrader: Upgrader
  transportManager: TransportManager
  connectionManager: ConnectionManager
  addressManager: AddressManager
  peerStore: PersistentPeerStore
  datastore: Datastore
  connectionGater: ConnectionGater
  /** Connection, stream and memory limits per scope; services reserve their buffers here. */
  resourceManager: ResourceManager
  metrics?: Metrics
  /** Set by the node: the address manager calls it when our advertised addresses may have changed. */
  onAddressesChanged?(): void
  [name: string]: unknown
}

/**
 * Checks, when the node is built, that every service's declared dependencies
 * (`[serviceDependencies]`) are provided by another service's
 * `[serviceCapabilities]`, so a missing service fails with a readable error at
 * construction instead of on first use.
 */
export function checkServiceDependencies (services: Record<string, unknown>): void {
  const provided = new Set<string>()
  for (const service of Object.values(services)) {
    for (const capability of listOf(service, serviceCapabilities)) provided.add(capability)
  }
  for (const [name, service] of Object.entries(services)) {
    const missing = listOf(service, serviceDependencies).filter(d => !provided.has(d))
    if (missing.length > 0) {
      throw new InvalidParametersError(`Service "${name}" needs ${missing.map(m => `"${m}"`).join(', ')}, which no configured service provides`)
    }
  }
}

function listOf (service: unknown, key: symbol): string[] {
  if (service == null || typeof service !== 'object') return []
  const value = (service as Record<symbol, unknown>)[key]
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : []
}
