/**
 * THE matrix table: every transport, connection encrypter and stream muxer
 * of ours, one row each. The cross product of the three roles is the set of
 * cells `cells()` returns; a new package joins the matrix by adding one row.
 */
import { memory } from '@ts-libp2p/memory'
import { mplex, PROTOCOL_ID as MPLEX } from '@ts-libp2p/mplex'
import { noise, PROTOCOL as NOISE } from '@ts-libp2p/noise'
import { plaintext, PROTOCOL as PLAINTEXT } from '@ts-libp2p/plaintext'
import { tcp } from '@ts-libp2p/tcp'
import { tls, PROTOCOL as TLS } from '@ts-libp2p/tls'
import { webSockets } from '@ts-libp2p/websockets'
import { yamux, PROTOCOL_ID as YAMUX } from '@ts-libp2p/yamux'
import type { ModuleFactory } from '@ts-libp2p/libp2p'
import type { ConnectionEncrypter, StreamMuxerFactory, Transport } from '@ts-libp2p/interface'

let memoryAddresses = 0

/** A transport of the matrix. */
export interface TransportRow {
  role: 'transport'
  /** Short name used in cell names and on the child fixture's command line. */
  name: string
  /** A fresh transport factory for one node. */
  factory: () => ModuleFactory<Transport>
  /** A fresh loopback listen address for one node (127.0.0.1, port 0, or a unique memory name). */
  listen: () => string
}

/** A connection encrypter of the matrix. */
export interface EncrypterRow {
  role: 'encrypter'
  name: string
  /** The multistream-select protocol id the connection must report as `encryption`. */
  protocol: string
  factory: () => ModuleFactory<ConnectionEncrypter>
}

/** A stream muxer of the matrix. */
export interface MuxerRow {
  role: 'muxer'
  name: string
  /** The protocol id the connection must report as `multiplexer`. */
  protocol: string
  factory: () => ModuleFactory<StreamMuxerFactory>
}

/** One row of the matrix table. */
export type MatrixRow = TransportRow | EncrypterRow | MuxerRow

/**
 * The matrix table. Add a package here (one row) and every cell with it is
 * built and run by the matrix spec; nothing else needs to change.
 */
export const MATRIX: readonly MatrixRow[] = [
  { role: 'transport', name: 'tcp', factory: () => tcp(), listen: () => '/ip4/127.0.0.1/tcp/0' },
  { role: 'transport', name: 'websockets', factory: () => webSockets(), listen: () => '/ip4/127.0.0.1/tcp/0/ws' },
  { role: 'transport', name: 'memory', factory: () => memory(), listen: () => `/memory/ts-libp2p-compliance-${process.pid}-${++memoryAddresses}` },
  { role: 'encrypter', name: 'noise', protocol: NOISE, factory: () => noise() },
  { role: 'encrypter', name: 'tls', protocol: TLS, factory: () => tls() },
  { role: 'encrypter', name: 'plaintext', protocol: PLAINTEXT, factory: () => plaintext() },
  { role: 'muxer', name: 'yamux', protocol: YAMUX, factory: () => yamux() },
  { role: 'muxer', name: 'mplex', protocol: MPLEX, factory: () => mplex() }
]

/** One combination of the matrix: a transport, an encrypter and a muxer. */
export interface Cell {
  /** `transport x encrypter x muxer`, e.g. `tcp x noise x yamux`. */
  name: string
  transport: TransportRow
  encrypter: EncrypterRow
  muxer: MuxerRow
}

/** The rows of one role, in table order. */
export function rowsOf (role: 'transport', table?: readonly MatrixRow[]): TransportRow[]
export function rowsOf (role: 'encrypter', table?: readonly MatrixRow[]): EncrypterRow[]
export function rowsOf (role: 'muxer', table?: readonly MatrixRow[]): MuxerRow[]
export function rowsOf (role: MatrixRow['role'], table: readonly MatrixRow[] = MATRIX): MatrixRow[] {
  return table.filter(row => row.role === role)
}

/** Every cell of the table (transport-major order). */
export function cells (table: readonly MatrixRow[] = MATRIX): Cell[] {
  const out: Cell[] = []
  for (const transport of rowsOf('transport', table)) {
    for (const encrypter of rowsOf('encrypter', table)) {
      for (const muxer of rowsOf('muxer', table)) {
        out.push({ name: `${transport.name} x ${encrypter.name} x ${muxer.name}`, transport, encrypter, muxer })
      }
    }
  }
  return out
}

/** The cell named `transport`, `encrypter`, `muxer` (names as in the table); throws if one is missing. */
export function cell (transport: string, encrypter: string, muxer: string, table: readonly MatrixRow[] = MATRIX): Cell {
  const found = cells(table).find(c => c.transport.name === transport && c.encrypter.name === encrypter && c.muxer.name === muxer)
  if (found == null) throw new RangeError(`no cell ${transport} x ${encrypter} x ${muxer} in the matrix`)
  return found
}
