// The gossipsub mesh cell: n peers (3 by default), possibly of n implementations, in a line
// (node i dials node i-1 only), all subscribed to one topic; each publishes, and each must
// receive a message published by every other node, so messages between the ends are relayed by
// the nodes in between (gossipsub mesh forwarding, not only flood publishing).
//
// Contract (on top of transport, security, muxer, ip, test_timeout_seconds):
//   scenario=gossipsub-mesh, mesh_index=i, mesh_size=n, mesh_dial=<addresses to dial, comma-separated>
// Every node listens, prints `listenAddr=...` as soon as it listens, dials mesh_dial, publishes
// `ts-interop mesh from <its id> #k` every second once it has a subscribed peer, and prints one
// JSON line `{"receivedFrom": [peer ids], "meshMillis": n}` once it has messages from n-1
// distinct publishers; it keeps publishing (the others may still wait) until it is killed.
import { EXIT_UNSUPPORTED, GRACE_MILLIS, lastJson, Peer, READY_PREFIX, UNSUPPORTED_PREFIX, describeExit } from './cell.mjs'

export const MESH_SCENARIO = 'gossipsub-mesh'

const peerIdOf = (addr) => addr.split('/p2p/').at(-1)

/**
 * Runs one mesh cell.
 * @param {{ nodes: string[], transport: string, security: string, muxer: string }} cell
 * @param {{ impls: Record<string, import('./impls.mjs').Impl>, timeoutSeconds: number, graceMillis?: number }} opts
 */
export async function runMesh (cell, { impls, timeoutSeconds, graceMillis = GRACE_MILLIS }) {
  const start = performance.now()
  const record = {
    ...cell,
    // the matrix's columns: the first and last node as dialer/listener, the whole line in `nodes`
    dialer: cell.nodes.at(-1),
    listener: cell.nodes[0],
    scenario: MESH_SCENARIO,
    result: 'fail',
    reason: '',
    durationMillis: 0,
    listenerReadyMillis: null,
    metrics: null,
    error: ''
  }
  const env = {
    ...process.env,
    transport: cell.transport,
    security: cell.security,
    muxer: cell.muxer,
    scenario: MESH_SCENARIO,
    ip: '127.0.0.1',
    is_dialer: 'false',
    test_timeout_seconds: String(timeoutSeconds),
    mesh_size: String(cell.nodes.length)
  }
  const peers = []
  let timer
  const deadline = new Promise((resolve) => { timer = setTimeout(() => resolve('timeout'), timeoutSeconds * 1000 + graceMillis) })
  const fail = (i, reason) => {
    record.reason = `node ${i} (${cell.nodes[i]}): ${reason}`
    record.error = peers[i]?.excerpt() ?? ''
    return record
  }
  try {
    const addrs = []
    for (const [i, name] of cell.nodes.entries()) {
      const peer = new Peer(`node ${i}`, impls[name].command(), { ...env, mesh_index: String(i), mesh_dial: addrs.slice(-1).join(',') })
      peers.push(peer)
      const ready = await Promise.race([peer.firstLine(l => l.startsWith(READY_PREFIX) || l.startsWith(UNSUPPORTED_PREFIX)), deadline])
      if (ready === 'timeout') return fail(i, `timeout: no readiness line within ${timeoutSeconds} s + ${graceMillis / 1000} s grace`)
      if (ready == null || ready.startsWith(UNSUPPORTED_PREFIX)) {
        const exit = await Promise.race([peer.exited, deadline])
        if (exit !== 'timeout' && exit.code === EXIT_UNSUPPORTED) {
          record.result = 'unsupported'
          record.reason = `node ${i} (${name}): ${peer.unsupportedReason().replace(/^node \d+: /, '')}`
          return record
        }
        return fail(i, `${exit === 'timeout' ? 'hung' : describeExit(exit)} before its readiness line`)
      }
      addrs.push(ready.slice(READY_PREFIX.length).trim())
    }
    record.listenerReadyMillis = Math.round(performance.now() - start)
    const ids = addrs.map(peerIdOf)
    const results = await Promise.race([
      Promise.all(peers.map(p => p.firstLine(l => l.trim().startsWith('{')))),
      deadline
    ])
    if (results === 'timeout') {
      const silent = peers.findIndex(p => lastJson(p.stdoutLines) == null)
      return fail(silent, `timeout: no result line within ${timeoutSeconds} s + ${graceMillis / 1000} s grace`)
    }
    const metrics = []
    for (const [i, line] of results.entries()) {
      if (line == null) return fail(i, `${describeExit(await peers[i].exited)} without a result line`)
      let result
      try {
        result = JSON.parse(line)
      } catch {
        return fail(i, `bad result line ${line.slice(0, 100)}`)
      }
      const others = ids.filter((_, j) => j !== i)
      const missing = others.filter(id => !(result.receivedFrom ?? []).includes(id))
      if (missing.length > 0) return fail(i, `received nothing from ${missing.join(', ')}`)
      if (typeof result.meshMillis !== 'number') return fail(i, 'result has no numeric meshMillis')
      metrics.push({ node: cell.nodes[i], peerId: ids[i], ...result })
    }
    record.metrics = { nodes: metrics }
    record.result = 'pass'
    return record
  } finally {
    clearTimeout(timer)
    for (const peer of peers) peer.kill()
    await Promise.all(peers.map(p => p.exited))
    record.durationMillis = Math.round(performance.now() - start)
  }
}

/**
 * The mesh cells of a matrix: every 3 of the ready implementations, in their order, except
 * that our `ts` goes in the middle, where it must relay between the two ends.
 */
export function meshCells (names, size = 3) {
  const out = []
  const pick = (from, chosen) => {
    if (chosen.length === size) {
      const others = chosen.filter(n => n !== 'ts')
      out.push(others.length === chosen.length ? [...chosen] : [others[0], 'ts', ...others.slice(1)])
      return
    }
    for (let i = from; i < names.length; i++) pick(i + 1, [...chosen, names[i]])
  }
  pick(0, [])
  return out
}
