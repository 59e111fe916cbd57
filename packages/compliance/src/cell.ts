import { anySignal } from '@ts-libp2p/utils'
/**
 * The cell runner: two real nodes of one cell, in both directions, each
 * direction dialling, identifying, negotiating the echo protocol, echoing
 * 16 MiB checked by sha256, pinging and hanging up cleanly.
 */
import { createHash, randomFillSync } from 'node:crypto'
import { CELL_TIMEOUT_MS, ECHO_BYTES, ECHO_CHUNK_BYTES, ECHO_PROTOCOL, ECHO_WINDOW_BYTES, STEP_TIMEOUT_MS } from './constants.js'
import { CellCheckError } from './errors.js'
import { createMatrixNode } from './node.js'
import type { Cell } from './matrix.js'
import type { MatrixNode, MatrixNodeOverrides } from './node.js'
import type { Connection, IdentifyResult, PeerId } from '@ts-libp2p/interface'
import type { Multiaddr } from '@multiformats/multiaddr'

/** What one direction of a cell measured. */
export interface DirectionResult {
  /** `A->B` or `B->A`. */
  direction: string
  /** The encrypter and muxer the connection reports (checked against the cell). */
  encryption: string
  multiplexer: string
  /** Bytes echoed and their sha256 (hex), identical both ways. */
  echoBytes: number
  sha256: string
  /** Milliseconds of the echo (send and receive overlap). */
  echoMs: number
  /** Round-trip time the ping service measured, ms. */
  rttMs: number
  /** Protocols identify put in the dialler's peer store for the listener. */
  remoteProtocols: string[]
}

/** The result of a passing cell. */
export interface CellResult {
  cell: string
  directions: DirectionResult[]
  /** Wall time of the whole cell, ms. */
  ms: number
}

/** Options of `runCell`. */
export interface RunCellOptions {
  /** Bytes to echo per direction (default 16 MiB). */
  echoBytes?: number
  /** Aborts the cell. A deadline of CELL_TIMEOUT_MS always applies. */
  signal?: AbortSignal
  /** Replaces the encrypter or muxer of node A (the official-module mixes). */
  overridesA?: MatrixNodeOverrides
  /** Replaces the encrypter or muxer of node B. */
  overridesB?: MatrixNodeOverrides
}

/** The signal of one step: the caller's, the cell deadline and the step deadline. */
function stepSignal (signal: AbortSignal): AbortSignal {
  const step = anySignal([signal, AbortSignal.timeout(STEP_TIMEOUT_MS)])
  stepsOf.get(signal)?.push(step)
  return step
}

/**
 * The step signals made under each cell or check signal, cleared when it ends
 * so no step deadline fires after the work it bounded (a listener left on
 * one by a finished operation would see it).
 */
const stepsOf = new WeakMap<AbortSignal, Array<{ clear(): void }>>()

/** Runs `fn` with the step signals it makes under `signal` cleared at its end. */
async function withSteps<T> (signal: AbortSignal, fn: () => Promise<T>): Promise<T> {
  const own = stepsOf.get(signal) == null
  const steps: Array<{ clear(): void }> = stepsOf.get(signal) ?? []
  if (own) stepsOf.set(signal, steps)
  try {
    return await fn()
  } finally {
    if (own) {
      stepsOf.delete(signal)
      for (const step of steps.splice(0)) step.clear()
    }
  }
}

function check (ok: boolean, message: string): void {
  if (!ok) throw new CellCheckError(message)
}

/** Resolves with the identify result of `connection` on `node`, or rejects when `signal` aborts. */
function identified (node: MatrixNode, remote: PeerId, signal: AbortSignal): { promise: Promise<IdentifyResult>, connection: (c: Connection) => void } {
  let wanted: Connection | undefined
  const seen: IdentifyResult[] = []
  let resolve: (r: IdentifyResult) => void = () => {}
  const promise = new Promise<IdentifyResult>((_resolve, reject) => {
    resolve = _resolve
    const onAbort = (): void => { cleanup(); reject(signal.reason) }
    const onIdentify = (evt: CustomEvent<IdentifyResult>): void => {
      if (!evt.detail.peerId.equals(remote)) return
      if (wanted == null) { seen.push(evt.detail); return }
      if (evt.detail.connection.id === wanted.id) { cleanup(); _resolve(evt.detail) }
    }
    const cleanup = (): void => {
      node.removeEventListener('peer:identify', onIdentify)
      signal.removeEventListener('abort', onAbort)
    }
    node.addEventListener('peer:identify', onIdentify)
    signal.addEventListener('abort', onAbort, { once: true })
  })
  // a direction that fails a check before awaiting it must not leave an unhandled rejection behind
  promise.catch(() => {})
  return {
    promise,
    // identify may finish before dial() returns: match the event by connection id either way
    connection: (c) => {
      wanted = c
      const early = seen.find(r => r.connection.id === c.id)
      if (early != null) resolve(early)
    }
  }
}

/**
 * Sends `bytes` random bytes on a new echo stream over `connection` and
 * checks that the same bytes come back (sha256 and length). At most
 * ECHO_WINDOW_BYTES are in flight (see there why).
 */
export async function echoCheck (connection: Connection, bytes: number, signal: AbortSignal): Promise<{ sha256: string, ms: number, protocol: string }> {
  return await withSteps(signal, async () => await echoCheckSteps(connection, bytes, signal))
}

async function echoCheckSteps (connection: Connection, bytes: number, signal: AbortSignal): Promise<{ sha256: string, ms: number, protocol: string }> {
  const started = performance.now()
  const stream = await connection.newStream(ECHO_PROTOCOL, { signal: stepSignal(signal) })
  const sent = createHash('sha256')
  const received = createHash('sha256')
  let receivedBytes = 0
  let progress: () => void = () => {}
  let readDone = false
  const reading = (async () => {
    try {
      for await (const chunk of stream) {
        received.update(chunk.subarray())
        receivedBytes += chunk.byteLength
        progress()
      }
    } finally {
      // wake a sender waiting on the window so it sees the end (or the error)
      readDone = true
      progress()
    }
  })()
  // keeps the rejection observed while the sender is busy; awaited below
  reading.catch(() => {})
  const onAbort = (): void => { stream.abort(signal.reason) }
  signal.addEventListener('abort', onAbort, { once: true })
  try {
    const buffer = new Uint8Array(ECHO_CHUNK_BYTES)
    for (let offset = 0; offset < bytes; offset += ECHO_CHUNK_BYTES) {
      // a fresh copy per write: the stream may hold on to what it was given
      const chunk = randomFillSync(buffer).slice(0, Math.min(ECHO_CHUNK_BYTES, bytes - offset))
      sent.update(chunk)
      while (offset - receivedBytes > ECHO_WINDOW_BYTES && !readDone) {
        await new Promise<void>(resolve => { progress = resolve })
        signal.throwIfAborted()
      }
      if (readDone) break
      if (!stream.send(chunk)) await stream.onDrain({ signal: stepSignal(signal) })
    }
    await stream.close({ signal: stepSignal(signal) })
    await reading
  } finally {
    signal.removeEventListener('abort', onAbort)
  }
  const want = sent.digest('hex')
  const got = received.digest('hex')
  check(receivedBytes === bytes, `echo returned ${receivedBytes} bytes of ${bytes}`)
  check(got === want, `echo sha256 ${got} differs from the sent ${want}`)
  return { sha256: got, ms: performance.now() - started, protocol: stream.protocol ?? '' }
}

/** Waits until neither node has a connection to the other. */
async function disconnected (a: MatrixNode, b: MatrixNode, signal: AbortSignal): Promise<void> {
  while (a.getConnections(b.peerId).length > 0 || b.getConnections(a.peerId).length > 0) {
    signal.throwIfAborted()
    await new Promise(resolve => setTimeout(resolve, 10))
  }
}

/**
 * One direction of a cell: `dialer` dials `listener` at `address`, checks the
 * negotiated encrypter and muxer, waits for identify, echoes, pings and hangs
 * up. `listener` may be undefined when it lives in another process; then the
 * hang-up is only checked on the dialler's side.
 */
export async function runDirection (cell: Cell, direction: string, dialer: MatrixNode, address: Multiaddr, remote: PeerId, listener: MatrixNode | undefined, options: { echoBytes: number, signal: AbortSignal, expectEncryption?: string, expectMultiplexer?: string }): Promise<DirectionResult> {
  return await withSteps(options.signal, async () => await runDirectionSteps(cell, direction, dialer, address, remote, listener, options))
}

async function runDirectionSteps (cell: Cell, direction: string, dialer: MatrixNode, address: Multiaddr, remote: PeerId, listener: MatrixNode | undefined, options: { echoBytes: number, signal: AbortSignal, expectEncryption?: string, expectMultiplexer?: string }): Promise<DirectionResult> {
  const { signal } = options
  const waitIdentify = identified(dialer, remote, signal)
  const connection = await dialer.dial(address, { signal: stepSignal(signal) })
  waitIdentify.connection(connection)
  check(connection.remotePeer.equals(remote), `dialled ${remote.toString()} but connected to ${connection.remotePeer.toString()}`)
  const expectEncryption = options.expectEncryption ?? cell.encrypter.protocol
  const expectMultiplexer = options.expectMultiplexer ?? cell.muxer.protocol
  check(connection.encryption === expectEncryption, `connection encryption ${String(connection.encryption)}, expected ${expectEncryption}`)
  check(connection.multiplexer === expectMultiplexer, `connection multiplexer ${String(connection.multiplexer)}, expected ${expectMultiplexer}`)

  const identify = await Promise.race([waitIdentify.promise, new Promise<never>((_resolve, reject) => {
    const s = stepSignal(signal)
    s.addEventListener('abort', () => { reject(new CellCheckError(`no identify of ${remote.toString()} within ${STEP_TIMEOUT_MS} ms`)) }, { once: true })
  })])
  const stored = await dialer.peerStore.get(remote, { signal: stepSignal(signal) })
  for (const protocol of [ECHO_PROTOCOL, '/ipfs/ping/1.0.0', '/ipfs/id/1.0.0']) {
    check(identify.protocols.includes(protocol), `identify did not report ${protocol}`)
    check(stored.protocols.includes(protocol), `the peer store did not learn ${protocol}`)
  }

  const echo = await echoCheck(connection, options.echoBytes, signal)
  check(echo.protocol === ECHO_PROTOCOL, `echo stream negotiated ${echo.protocol}`)

  const rttMs = await dialer.services.ping.ping(remote, { signal: stepSignal(signal) })
  check(Number.isFinite(rttMs) && rttMs >= 0, `ping returned ${rttMs}`)

  await dialer.hangUp(remote, { signal: stepSignal(signal) })
  const hungUp = stepSignal(signal)
  if (listener != null) await disconnected(dialer, listener, hungUp)
  else while (dialer.getConnections(remote).length > 0) { hungUp.throwIfAborted(); await new Promise(resolve => setTimeout(resolve, 10)) }
  check(connection.status === 'closed', `connection status ${connection.status} after hang-up`)

  return {
    direction,
    encryption: expectEncryption,
    multiplexer: expectMultiplexer,
    echoBytes: options.echoBytes,
    sha256: echo.sha256,
    echoMs: echo.ms,
    rttMs,
    remoteProtocols: [...stored.protocols].sort()
  }
}

/**
 * Runs one cell: two nodes A and B in this process, A dials B, then B dials
 * A, each direction doing dial, identify, negotiation, echo, ping and
 * hang-up. Resolves with what was measured; rejects with the first failure
 * (a CellCheckError for a wrong result). Both nodes are always stopped.
 */
export async function runCell (cell: Cell, options: RunCellOptions = {}): Promise<CellResult> {
  const started = performance.now()
  const signal = anySignal([options.signal ?? new AbortController().signal, AbortSignal.timeout(CELL_TIMEOUT_MS)])
  const echoBytes = options.echoBytes ?? ECHO_BYTES
  const nodes: MatrixNode[] = []
  try {
    const a = await createMatrixNode(cell, options.overridesA)
    nodes.push(a)
    const b = await createMatrixNode(cell, options.overridesB)
    nodes.push(b)
    const directions: DirectionResult[] = []
    directions.push(await runDirection(cell, 'A->B', a, b.getMultiaddrs()[0], b.peerId, b, { echoBytes, signal }))
    directions.push(await runDirection(cell, 'B->A', b, a.getMultiaddrs()[0], a.peerId, a, { echoBytes, signal }))
    return { cell: cell.name, directions, ms: performance.now() - started }
  } finally {
    await Promise.all(nodes.map(async node => { await node.stop() }))
    signal.clear()
  }
}
