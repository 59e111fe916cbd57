import type { StreamHandler, StreamHandlerOptions, StreamHandlerRecord, Topology, StreamMiddleware, AbortOptions } from '@ts-libp2p/interface'

/** Protocol handlers and topologies of the node. */
export interface Registrar {
  getProtocols(): string[]
  handle(protocol: string, handler: StreamHandler, options?: StreamHandlerOptions): Promise<void>
  unhandle(protocol: string, options?: AbortOptions): Promise<void>
  /** Throws UnsupportedProtocolError when no handler is registered. */
  getHandler(protocol: string): StreamHandlerRecord
  use(protocol: string, middleware: StreamMiddleware[]): void
  unuse(protocol: string): void
  getMiddleware(protocol: string): StreamMiddleware[]
  /** Calls the topology when peers supporting `protocol` connect or disconnect. */
  register(protocol: string, topology: Topology, options?: AbortOptions): Promise<string>
  unregister(id: string): void
  getTopologies(protocol: string): Topology[]
}
