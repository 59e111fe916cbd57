/**
 * A matrix node: `createLibp2p` from `@ts-libp2p/libp2p` with one cell's
 * transport, encrypter and muxer, the ping and identify services, and the
 * echo protocol handler.
 */
import { identify } from '@ts-libp2p/identify'
import { createLibp2p } from '@ts-libp2p/libp2p'
import { ping } from '@ts-libp2p/ping'
import { ECHO_PROTOCOL } from './constants.js'
import type { Cell } from './matrix.js'
import type { Identify } from '@ts-libp2p/identify'
import type { Libp2p, Stream, ConnectionEncrypter, StreamMuxerFactory } from '@ts-libp2p/interface'
import type { ModuleFactory } from '@ts-libp2p/libp2p'
import type { Ping } from '@ts-libp2p/ping'

/** The services every matrix node runs. */
export interface MatrixServices extends Record<string, unknown> {
  ping: Ping
  identify: Identify
}

/** A node of the matrix. */
export type MatrixNode = Libp2p<MatrixServices>

/** Replacements for a cell's encrypter or muxer (used to mix in official js modules). */
export interface MatrixNodeOverrides {
  connectionEncrypter?: ModuleFactory<ConnectionEncrypter>
  streamMuxer?: ModuleFactory<StreamMuxerFactory>
}

/**
 * Echoes every byte of an inbound stream back, then closes the stream when
 * the remote has finished writing.
 */
export async function echoHandler (stream: Stream): Promise<void> {
  try {
    for await (const chunk of stream) {
      if (!stream.send(chunk)) await stream.onDrain({ signal: AbortSignal.timeout(10_000) })
    }
    await stream.close({ signal: AbortSignal.timeout(10_000) })
  } catch (err) {
    stream.abort(err instanceof Error ? err : new Error(String(err)))
  }
}

/**
 * Creates and starts a node for `cell`, listening on one fresh loopback
 * address of the cell's transport, serving echo, ping and identify.
 */
export async function createMatrixNode (cell: Cell, overrides: MatrixNodeOverrides = {}): Promise<MatrixNode> {
  const node = await createLibp2p<MatrixServices>({
    addresses: { listen: [cell.transport.listen()] },
    transports: [cell.transport.factory()],
    connectionEncrypters: [overrides.connectionEncrypter ?? cell.encrypter.factory()],
    streamMuxers: [overrides.streamMuxer ?? cell.muxer.factory()],
    services: { ping: ping(), identify: identify() }
  }) as unknown as MatrixNode
  await node.handle(ECHO_PROTOCOL, echoHandler)
  return node
}
