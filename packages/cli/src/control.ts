import { peerIdFromString } from '@ts-libp2p/peer-id'
import { deadline } from './command.js'
import { DEFAULT_COMMAND_TIMEOUT, MAX_CONTROL_IN_FLIGHT, MAX_CONTROL_LINE } from './constants.js'
import { describeConnection } from './events.js'
import { parseTarget } from './target.js'
import type { Output } from './output.js'
import type { CliNode } from './stack.js'
import type { Readable } from 'node:stream'

/**
 * One control request: `{ "id": <any>, "op": "<name>", ...arguments }`. The reply is one JSON line
 * `{ "reply": <id>, "ok": true, "result": ... }` or `{ "reply": <id>, "ok": false, "error": { name, message } }`.
 */
export interface ControlRequest {
  id?: unknown
  op: string
  [arg: string]: unknown
}

/** A control operation: gets the node and the request, resolves with the reply's result. */
export type ControlOp = (node: CliNode, request: ControlRequest, signal: AbortSignal) => Promise<unknown>

function str (request: ControlRequest, key: string): string {
  const value = request[key]
  if (typeof value !== 'string' || value === '') throw new TypeError(`"${key}" must be a non-empty string`)
  return value
}

function num (request: ControlRequest, key: string, fallback: number): number {
  const value = request[key] ?? fallback
  if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < 0) throw new TypeError(`"${key}" must be a non-negative integer`)
  return value
}

/** The operations every node answers; services add theirs (see {@link runControl}). */
export const BASE_OPS: Record<string, ControlOp> = {
  async status (node) {
    return {
      peerId: node.peerId.toString(),
      addrs: node.getMultiaddrs().map(String),
      peers: node.getPeers().map(String),
      connections: node.getConnections().map(describeConnection)
    }
  },
  async dial (node, request, signal) {
    const connection = await node.dial(parseTarget(str(request, 'target')), { signal })
    return describeConnection(connection)
  },
  async 'hang-up' (node, request, signal) {
    await node.hangUp(parseTarget(str(request, 'target')) as any, { signal })
    return null
  },
  async ping (node, request, signal) {
    if (node.services.ping == null) throw new Error('the ping service is off')
    return { rtt: await node.services.ping.ping(parseTarget(str(request, 'target')) as any, { signal }) }
  },
  async perf (node, request, signal) {
    if (node.services.perf == null) throw new Error('the perf service is off')
    return await node.services.perf.measure(parseTarget(str(request, 'target')) as any, {
      uploadBytes: num(request, 'uploadBytes', 0), downloadBytes: num(request, 'downloadBytes', 0), signal
    })
  },
  /** What the peer store knows of a peer: protocols, addresses, agent version (from identify). */
  async peer (node, request) {
    const peer = await node.peerStore.get(peerIdFromString(str(request, 'peer')))
    const agent = peer.metadata.get('AgentVersion')
    return {
      peer: peer.id.toString(),
      protocols: peer.protocols,
      addresses: peer.addresses.map(a => a.multiaddr.toString()),
      agentVersion: agent != null ? new TextDecoder().decode(agent) : undefined
    }
  }
}

/**
 * Reads JSON-lines requests from `input` and answers each on `output` until the input ends or `signal` fires.
 * Lines longer than 64 KiB are refused (and skipped to their end), at most 16 requests run at once, and each
 * runs under `timeout` ms (the request's `timeout` key, else 60 s). Resolves when the input ends or a `stop`
 * request arrives.
 */
export async function runControl (node: CliNode, input: Readable, output: Output, ops: Record<string, ControlOp>, signal: AbortSignal): Promise<void> {
  let inFlight = 0
  const reply = (request: unknown, record: Record<string, unknown>): void => {
    output.result(undefined, { reply: (request as ControlRequest | undefined)?.id ?? null, ...record })
  }

  await new Promise<void>((resolve) => {
    let buffered = ''
    let skipping = false
    const finish = (): void => {
      input.off('data', onData)
      input.off('end', finish)
      input.off('error', finish)
      signal.removeEventListener('abort', finish)
      input.pause()
      resolve()
    }
    const handle = (line: string): void => {
      if (line.trim() === '') return
      let request: ControlRequest
      try {
        request = JSON.parse(line)
        if (request == null || typeof request !== 'object' || typeof request.op !== 'string') throw new TypeError('a request is an object with an "op" string')
      } catch (err: any) {
        reply(undefined, { ok: false, error: { name: 'InvalidRequestError', message: err.message } })
        return
      }
      if (request.op === 'stop') {
        reply(request, { ok: true, result: null })
        finish()
        return
      }
      const op = Object.hasOwn(ops, request.op) ? ops[request.op] : undefined
      if (op == null) {
        reply(request, { ok: false, error: { name: 'UnknownOperationError', message: `unknown op "${request.op}" (known: ${[...Object.keys(ops), 'stop'].join(', ')})` } })
        return
      }
      if (inFlight >= MAX_CONTROL_IN_FLIGHT) {
        reply(request, { ok: false, error: { name: 'LimitExceededError', message: `${MAX_CONTROL_IN_FLIGHT} requests are already running` } })
        return
      }
      inFlight++
      const timeout = typeof request.timeout === 'number' && request.timeout > 0 ? request.timeout : DEFAULT_COMMAND_TIMEOUT
      const opDeadline = deadline(signal, timeout)
      op(node, request, opDeadline.signal).then(
        (result) => { reply(request, { ok: true, result: result ?? null }) },
        (err: any) => { reply(request, { ok: false, error: { name: err?.name ?? 'Error', message: err?.message ?? String(err) } }) }
      ).finally(() => { inFlight--; opDeadline.clear() })
    }
    const onData = (chunk: Buffer | string): void => {
      let text = chunk.toString()
      while (text.length > 0) {
        const nl = text.indexOf('\n')
        if (nl === -1) {
          if (!skipping) {
            buffered += text
            if (buffered.length > MAX_CONTROL_LINE) {
              reply(undefined, { ok: false, error: { name: 'LimitExceededError', message: `request line over ${MAX_CONTROL_LINE} bytes` } })
              buffered = ''
              skipping = true
            }
          }
          return
        }
        const line = buffered + text.slice(0, nl)
        text = text.slice(nl + 1)
        buffered = ''
        if (skipping) { skipping = false; continue }
        if (line.length > MAX_CONTROL_LINE) {
          reply(undefined, { ok: false, error: { name: 'LimitExceededError', message: `request line over ${MAX_CONTROL_LINE} bytes` } })
          continue
        }
        handle(line)
      }
    }
    if (signal.aborted) { resolve(); return }
    input.on('data', onData)
    input.once('end', finish)
    input.once('error', finish)
    signal.addEventListener('abort', finish, { once: true })
  })
}
