/**
 * @packageDocumentation
 *
 * The ts-libp2p compliance matrix. `MATRIX` is one table of every transport,
 * connection encrypter and stream muxer of ours; `cells()` is its cross
 * product; `runCell(cell)` builds two real nodes of a cell with
 * `createLibp2p` (ping and identify services, an echo protocol) and, in both
 * directions, dials, checks the negotiated encrypter and muxer, waits for
 * identify to fill the peer store, echoes 16 MiB checked by sha256, pings and
 * hangs up cleanly.
 *
 * @example
 * ```ts
 * import { cell, runCell } from '@ts-libp2p/compliance'
 *
 * const result = await runCell(cell('tcp', 'noise', 'yamux'))
 * console.log(result.cell, result.directions.map(d => `${d.direction} ${d.rttMs.toFixed(2)} ms`))
 * ```
 */
export { MATRIX, cells, cell, rowsOf } from './matrix.js'
export type { MatrixRow, TransportRow, EncrypterRow, MuxerRow, Cell } from './matrix.js'
export { runCell, runDirection, echoCheck } from './cell.js'
export type { CellResult, DirectionResult, RunCellOptions } from './cell.js'
export { createMatrixNode, echoHandler } from './node.js'
export type { MatrixNode, MatrixServices, MatrixNodeOverrides } from './node.js'
export { CellCheckError, ChildProcessError } from './errors.js'
export { ECHO_PROTOCOL, ECHO_BYTES, ECHO_CHUNK_BYTES, ECHO_WINDOW_BYTES, CELL_TIMEOUT_MS, STEP_TIMEOUT_MS, CHILD_READY_TIMEOUT_MS, CHILD_EXIT_TIMEOUT_MS, MAX_CHILD_LINE_BYTES } from './constants.js'
export { startChildListener, runChildDialer } from './child.js'
export type { ChildListener, ReadyLine, DialerLine } from './child.js'
