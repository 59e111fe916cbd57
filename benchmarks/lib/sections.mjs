// The measured areas of `npm run bench`. Each takes the options and a `say` logger and returns plain data
// (summaries with median and spread); report.mjs turns them into tables, ratios and charts.
import { join } from 'node:path'
import { Child, childrenCpuMs } from './proc.mjs'
import { ROOT, NODE24 } from './machine.mjs'
import { interopCell, nodeCommand, runDialer, runJson, withListener } from './pairs.mjs'
import { summarize } from './stats.mjs'

const CROSS = join(ROOT, 'benchmarks', 'cross')
const MiB = 1024 * 1024
const NODE_PAIR_IMPLS = ['ts', 'js']
const INTEROP_IMPLS = ['ts', 'js', 'go', 'rust']

const isNodePair = (pair) => NODE_PAIR_IMPLS.includes(pair.dialer) && NODE_PAIR_IMPLS.includes(pair.listener)
/** A generous time limit for moving `mib` at no less than 10 MiB/s, plus start-up. */
const transferTimeoutMs = (mib) => 60_000 + mib / 10 * 1000

// ----- ceilings -----

export async function ceiling (options, say) {
  const out = {}
  say('ceiling: raw node:net loopback, two processes ...')
  const server = new Child(process.execPath, [join(CROSS, 'net.mjs'), 'server'], { cwd: ROOT })
  try {
    const line = await server.firstLine(l => l.startsWith('port='), 30_000)
    const port = line.slice('port='.length)
    const net = await runJson(process.execPath, [join(CROSS, 'net.mjs'), 'client', port, String(options.sizeMiB), String(options.runs)], transferTimeoutMs(options.sizeMiB * options.runs))
    out.net = {
      mib: options.sizeMiB,
      mibPerSecond: summarize(net.samples.map(s => s.mibPerSecond), 'MiB/s'),
      cpuSecondsPerGiB: summarize(net.samples.map(s => s.cpuSecondsPerGiB), 'CPU s/GiB (both sides)')
    }
  } finally {
    await server.stop()
  }
  say('ceiling: chacha20-poly1305 seal+open, node:crypto and @noble/ciphers ...')
  const nodeMiB = Math.min(options.sizeMiB, 256)
  const nobleMiB = Math.max(1, Math.round(nodeMiB / 16))
  const crypto = await runJson(process.execPath, [join(CROSS, 'crypto.mjs'), String(nodeMiB), String(nobleMiB), String(options.runs)], 600_000)
  out.crypto = {
    nodeMiB,
    nobleMiB,
    nodeCrypto: summarize(crypto.node, 'MiB/s'),
    noble: summarize(crypto.noble, 'MiB/s')
  }
  return out
}

// ----- throughput -----

/**
 * The perf protocol between two processes, per stack, pair and direction. Two sources:
 * - `interop`: the interop peers' `perf` scenario (each implementation's own perf code and runtime: ts on this
 *   Node, js on Node 24, go, rust); one cell per run and direction, a new connection each;
 * - `node-pair`: ts and js only, both on the same Node, the same perf handler code over each stack (one
 *   connection, runs interleaved by direction); also gives CPU time per MiB on both sides.
 */
export async function throughput (options, say, interopStatus) {
  const records = []
  const bytes = Math.round(options.sizeMiB * MiB)
  for (const stack of options.stacks) {
    for (const pair of options.pairs) {
      const missing = [pair.dialer, pair.listener].find(i => interopStatus[i]?.state !== 'ready')
      if (missing != null) {
        records.push({ source: 'interop', stack: stack.name, pair: pair.name, status: 'skipped', reason: `${missing}: ${interopStatus[missing]?.reason ?? 'not prepared'}` })
      } else {
        const samples = Object.fromEntries(options.directions.map(d => [d, []]))
        let failure = null
        // the CPU of a cell that moves nothing (process start-up, handshake, exit), subtracted from each
        // transfer's so that CPU per MiB is the transfer's
        const timeoutSeconds = Math.ceil(transferTimeoutMs(options.sizeMiB) / 1000)
        let baselineCpuMs = childrenCpuMs()
        const baseline = await interopCell({ dialer: pair.dialer, listener: pair.listener, stack, scenario: 'perf', env: { perf_upload_bytes: '0', perf_download_bytes: '0' }, timeoutSeconds })
        baselineCpuMs = baseline.result === 'pass' && baselineCpuMs != null ? childrenCpuMs() - baselineCpuMs : null
        for (let r = 0; r < options.runs && failure == null; r++) {
          for (const direction of options.directions) {
            say(`throughput: interop perf ${pair.name} ${stack.name} ${direction} run ${r + 1}/${options.runs} ...`)
            const env = direction === 'upload'
              ? { perf_upload_bytes: String(bytes), perf_download_bytes: '0' }
              : { perf_upload_bytes: '0', perf_download_bytes: String(bytes) }
            const cpuBefore = childrenCpuMs()
            const record = await interopCell({ dialer: pair.dialer, listener: pair.listener, stack, scenario: 'perf', env, timeoutSeconds })
            const cpuMs = cpuBefore == null || baselineCpuMs == null ? null : Math.max(0, childrenCpuMs() - cpuBefore - baselineCpuMs)
            if (record.result !== 'pass') {
              failure = { status: record.result === 'unsupported' ? 'unsupported' : 'failed', reason: `${record.reason}${record.error ? `: ${record.error.slice(0, 300)}` : ''}` }
              break
            }
            // open -> end of the stream, for both directions alike (the peers' own upload figure stops when
            // the last byte is written locally)
            samples[direction].push({ mibPerSecond: bytes / MiB / record.metrics.timeSeconds, cpuMsPerMiB: cpuMs == null ? null : cpuMs / (bytes / MiB), own: record.metrics })
          }
        }
        for (const direction of options.directions) {
          if (failure != null && samples[direction].length === 0) {
            records.push({ source: 'interop', stack: stack.name, pair: pair.name, dialer: pair.dialer, listener: pair.listener, direction, ...failure })
            continue
          }
          records.push({
            source: 'interop',
            stack: stack.name,
            pair: pair.name,
            dialer: pair.dialer,
            listener: pair.listener,
            direction,
            status: failure == null ? 'ok' : 'partial',
            reason: failure?.reason,
            mib: options.sizeMiB,
            mibPerSecond: summarize(samples[direction].map(s => s.mibPerSecond), 'MiB/s'),
            // both peer processes, start to exit, less a zero-byte cell's CPU (start-up, handshake, exit), per MiB
            cpuMsPerMiB: summarize(samples[direction].map(s => s.cpuMsPerMiB), 'CPU ms/MiB (both processes, less a zero-byte cell)'),
            baselineCpuMs,
            connectMillis: summarize(samples[direction].map(s => s.own.connectMillis), 'ms')
          })
        }
      }
      if (!isNodePair(pair)) continue
      say(`throughput: node pair ${pair.name} ${stack.name} (${options.runs} runs x ${options.directions.join('+')}, ${options.sizeMiB} MiB) ...`)
      try {
        const results = await withListener(options, pair.listener, stack, async (listener) => {
          const out = {}
          for (const direction of options.directions) out[direction] = []
          for (let r = 0; r < options.runs; r++) {
            for (const direction of options.directions) {
              const res = await runDialer(options, pair.dialer, stack, listener, { mode: 'transfer', direction, mib: options.sizeMiB, runs: 1, counts: [1] }, transferTimeoutMs(options.sizeMiB))
              out[direction].push(res[1][0])
            }
          }
          return out
        })
        for (const direction of options.directions) {
          const s = results[direction]
          records.push({
            source: 'node-pair',
            stack: stack.name,
            pair: pair.name,
            dialer: pair.dialer,
            listener: pair.listener,
            direction,
            status: 'ok',
            mib: options.sizeMiB,
            mibPerSecond: summarize(s.map(x => x.mibPerSecond), 'MiB/s'),
            cpuMsPerMiB: summarize(s.map(x => x.cpuMsPerMiB), 'CPU ms/MiB (both sides)'),
            dialerCpuMsPerMiB: summarize(s.map(x => x.dialerCpuMsPerMiB), 'CPU ms/MiB'),
            listenerCpuMsPerMiB: summarize(s.map(x => x.listenerCpuMsPerMiB), 'CPU ms/MiB')
          })
        }
      } catch (err) {
        records.push({ source: 'node-pair', stack: stack.name, pair: pair.name, status: 'failed', reason: err.message.slice(0, 600) })
      }
    }
  }
  return records
}

// ----- latency and handshakes -----

export async function latency (options, say, interopStatus) {
  const out = { interopPing: [], nodePair: [] }
  for (const stack of options.stacks) {
    for (const pair of options.pairs) {
      const missing = [pair.dialer, pair.listener].find(i => interopStatus[i]?.state !== 'ready')
      if (missing != null) {
        out.interopPing.push({ stack: stack.name, pair: pair.name, status: 'skipped', reason: `${missing}: ${interopStatus[missing]?.reason}` })
      } else {
        const handshake = []
        const rtt = []
        let failure = null
        const cells = Math.max(3, options.runs)
        say(`latency: interop ping ${pair.name} ${stack.name} x ${cells} ...`)
        for (let r = 0; r < cells; r++) {
          const record = await interopCell({ dialer: pair.dialer, listener: pair.listener, stack, scenario: 'ping', timeoutSeconds: 30 })
          if (record.result !== 'pass') { failure = `${record.result}: ${record.reason}`; break }
          handshake.push(record.metrics.handshakePlusOneRTTMillis)
          rtt.push(record.metrics.pingRTTMilllis)
        }
        out.interopPing.push({
          stack: stack.name,
          pair: pair.name,
          dialer: pair.dialer,
          listener: pair.listener,
          status: failure == null ? 'ok' : handshake.length > 0 ? 'partial' : 'failed',
          reason: failure ?? undefined,
          handshakePlusOneRttMs: summarize(handshake, 'ms'),
          pingRttMs: summarize(rtt, 'ms')
        })
      }
      if (!isNodePair(pair)) continue
      say(`latency: node pair ${pair.name} ${stack.name}: connections loop (${options.iterations} x ${options.runs}) and warm ping ...`)
      try {
        const res = await withListener(options, pair.listener, stack, async (listener) => {
          const rounds = []
          for (let r = 0; r < options.runs; r++) {
            rounds.push(await runDialer(options, pair.dialer, stack, listener, { mode: 'conns', iterations: options.iterations, warmup: 10 }, 60_000 + options.iterations * 1000))
          }
          const ping = await runDialer(options, pair.dialer, stack, listener, { mode: 'ping', count: options.quick ? 100 : 1000, warmup: 20, size: 32 }, 120_000)
          return { rounds, ping }
        })
        out.nodePair.push({
          stack: stack.name,
          pair: pair.name,
          dialer: pair.dialer,
          listener: pair.listener,
          status: 'ok',
          iterations: options.iterations,
          connectionsPerSecond: summarize(res.rounds.map(r => r.connectionsPerSecond), 'connections/s'),
          ttfbMs: summarize(res.rounds.flatMap(r => r.ttfbMs), 'ms'),
          dialerCpuMsPerConnection: summarize(res.rounds.map(r => r.dialerCpuMsPerConnection), 'ms'),
          listenerCpuMsPerConnection: summarize(res.rounds.map(r => r.listenerCpuMsPerConnection), 'ms'),
          warmPingRttMs: summarize(res.ping.rttMs, 'ms')
        })
      } catch (err) {
        out.nodePair.push({ stack: stack.name, pair: pair.name, status: 'failed', reason: err.message.slice(0, 600) })
      }
    }
  }
  return out
}

// ----- scale -----

/** Concurrent streams on one connection, and idle memory; ts and js against themselves (node pairs). */
export async function scale (options, say) {
  const out = { streams: [], memory: [] }
  const stack = options.stacks[0]
  const impls = NODE_PAIR_IMPLS.filter(i => options.impls.includes(i))
  const runs = Math.max(1, Math.min(options.runs, 3))
  for (const impl of impls) {
    say(`scale: ${impl}-${impl} ${stack.name}: ${options.streams.join(', ')} concurrent streams sharing ${options.scaleMiB} MiB, ${runs} runs ...`)
    try {
      const res = await withListener(options, impl, stack, (listener) => runDialer(options, impl, stack, listener,
        { mode: 'transfer', direction: 'upload', mib: options.scaleMiB, runs, counts: options.streams },
        transferTimeoutMs(options.scaleMiB * runs * options.streams.length)))
      for (const count of options.streams) {
        out.streams.push({
          stack: stack.name,
          impl,
          pair: `${impl}-${impl}`,
          streams: count,
          status: 'ok',
          mib: options.scaleMiB,
          mibPerSecond: summarize(res[count].map(x => x.mibPerSecond), 'MiB/s'),
          cpuMsPerMiB: summarize(res[count].map(x => x.cpuMsPerMiB), 'CPU ms/MiB (both sides)')
        })
      }
    } catch (err) {
      out.streams.push({ stack: stack.name, impl, pair: `${impl}-${impl}`, status: 'failed', reason: err.message.slice(0, 600) })
    }
  }
  const memRuns = Math.max(1, Math.min(options.runs, 3))
  for (let r = 0; r < memRuns; r++) {
    for (const impl of impls) {
      say(`scale: ${impl} memory with ${options.connections} idle connections, then one idle stream on each (run ${r + 1}/${memRuns}) ...`)
      try {
        // a fresh listener per run: its idle footprint is part of the figure
        const res = await withListener(options, impl, stack, (listener) => runDialer(options, impl, stack, listener,
          { mode: 'memory', connections: options.connections }, 120_000 + options.connections * 200))
        out.memory.push({ impl, stack: stack.name, run: r + 1, status: 'ok', ...res })
      } catch (err) {
        out.memory.push({ impl, stack: stack.name, run: r + 1, status: 'failed', reason: err.message.slice(0, 600) })
      }
    }
  }
  return out
}

/** Medians of the memory runs per implementation. */
export function memorySummary (memory) {
  const out = {}
  for (const impl of [...new Set(memory.map(m => m.impl))]) {
    const runs = memory.filter(m => m.impl === impl && m.status === 'ok')
    if (runs.length === 0) continue
    const pick = (side, key) => summarize(runs.map(m => m[side][key]), key.startsWith('rssMiB') ? 'MiB' : 'KiB')
    out[impl] = { connections: runs[0].connections, runs: runs.length }
    for (const side of ['dialer', 'listener']) {
      out[impl][side] = Object.fromEntries(['rssKiBPerConnection', 'heapKiBPerConnection', 'rssKiBPerStream', 'heapKiBPerStream', 'rssMiBIdleNode'].map(k => [k, pick(side, k)]))
    }
  }
  return out
}

// ----- micro -----

export async function micro (options, say) {
  say('micro: tinybench, ours vs official (multistream, noise, yamux, protobuf, peer id) ...')
  const { cmd, args } = options.node20
    ? { cmd: process.execPath, args: ['--import', join(ROOT, 'scripts', 'polyfill-with-resolvers.mjs')] }
    : { cmd: NODE24, args: [] }
  const res = await runJson(cmd, [...args, join(ROOT, 'benchmarks', 'micro', 'bench.mjs'), ...(options.quick ? ['--quick'] : [])], 900_000)
  const rows = []
  for (const ts of res.results.filter(r => r.impl === 'ts')) {
    const js = res.results.find(r => r.impl === 'js' && r.group === ts.group && r.name === ts.name)
    rows.push({ group: ts.group, name: ts.name, ts, js, ratio: js ? Number((ts.opsPerSecond / js.opsPerSecond).toFixed(3)) : null })
  }
  return { timeMs: res.time, warmupMs: res.warmupTime, rows }
}

export { nodeCommand }

// ----- connection loops against the interop listeners -----

const GO_LOOP_DIR = join(ROOT, 'benchmarks', 'cross', 'go-loop')

/** Builds the go loop dialer (benchmarks/cross/go-loop) when its sources are newer than the binary. */
async function buildGoLoop (options, say) {
  const { existsSync, mkdirSync, statSync } = await import('node:fs')
  const { homedir } = await import('node:os')
  const dir = join(process.env.XDG_CACHE_HOME || join(homedir(), '.cache'), 'ts-libp2p-bench')
  const bin = join(dir, 'go-loop')
  const newest = Math.max(...['main.go', 'go.mod', 'go.sum'].map(f => statSync(join(GO_LOOP_DIR, f)).mtimeMs))
  if (existsSync(bin) && statSync(bin).mtimeMs >= newest) return bin
  if (!options.build) throw new Error('the go loop dialer is not built, and --no-build was given')
  mkdirSync(dir, { recursive: true })
  say(`building the go loop dialer into ${bin} ...`)
  const child = new Child('nice', ['-n', '15', 'go', 'build', '-trimpath', '-o', bin, '.'], { cwd: GO_LOOP_DIR })
  const exit = await child.wait(600_000)
  if (exit.code !== 0) throw new Error(`go build failed: ${child.stderr.slice(-1000)}`)
  return bin
}

/** utime + stime of a live process in ms (/proc/<pid>/stat), or null. */
async function processCpuMs (pid) {
  try {
    const { readFileSync } = await import('node:fs')
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ')
    return (Number(fields[11]) + Number(fields[12])) * 10
  } catch {
    return null
  }
}

/** An interop peer as a listener (the contract of interop/README.md), serving until stopped. */
async function startInteropListener (name, stack, scenario = 'ping') {
  const { IMPLS } = await import('../../interop/lib/impls.mjs')
  const impl = IMPLS.find(i => i.name === name)
  const { cmd, args, cwd } = impl.command()
  const env = { ...process.env, transport: stack.transport, security: stack.security, muxer: stack.muxer, is_dialer: 'false', ip: '127.0.0.1', test_timeout_seconds: '3600', scenario }
  const child = new Child(cmd, args, { env, cwd: cwd ?? ROOT })
  const line = await child.firstLine(l => l.startsWith('listenAddr=') || l.startsWith('unsupported:'), 60_000).catch(async (err) => { await child.stop(); throw err })
  if (line == null || !line.startsWith('listenAddr=')) {
    await child.stop()
    throw new Error(`${name} listener: ${line ?? `no readiness line: ${child.stderr.slice(-600)}`}`)
  }
  return { addr: line.slice('listenAddr='.length).trim(), pid: child.child.pid, stop: () => child.stop() }
}

/**
 * connections/s, TTFB and CPU per connection with the interop peers as listeners (ping protocol), for the dialers
 * that can loop: ts and js (node-pair dialer), go (benchmarks/cross/go-loop) and rust (the interop peer's `loop` scenario).
 */
export async function loops (options, say, interopStatus) {
  const out = []
  let goLoop = null
  for (const stack of options.stacks) {
    for (const pair of options.pairs) {
      const base = { stack: stack.name, pair: pair.name, dialer: pair.dialer, listener: pair.listener }
      if (!['ts', 'js', 'go', 'rust'].includes(pair.dialer)) {
        out.push({ ...base, status: 'skipped', reason: `no loop dialer for ${pair.dialer} (the interop peers dial once per process)` })
        continue
      }
      if (pair.dialer === 'go' && stack.muxer !== 'yamux') {
        out.push({ ...base, status: 'skipped', reason: 'the go loop dialer speaks yamux only (go-libp2p dropped mplex)' })
        continue
      }
      if (pair.dialer === 'rust' && interopStatus.rust?.state !== 'ready') {
        out.push({ ...base, status: 'skipped', reason: `rust: ${interopStatus.rust?.reason ?? 'not prepared'}` })
        continue
      }
      if (interopStatus[pair.listener]?.state !== 'ready') {
        out.push({ ...base, status: 'skipped', reason: `${pair.listener}: ${interopStatus[pair.listener]?.reason ?? 'not prepared'}` })
        continue
      }
      say(`loops: ${pair.name} ${stack.name}: ${options.iterations} sequential connections x ${options.runs} against the interop ${pair.listener} listener ...`)
      let listener
      try {
        if (pair.dialer === 'go' && goLoop == null) goLoop = await buildGoLoop(options, say)
        listener = await startInteropListener(pair.listener, stack)
        const rounds = []
        for (let r = 0; r < options.runs; r++) {
          const cpu0 = await processCpuMs(listener.pid)
          let res
          if (pair.dialer === 'go') {
            res = (await runJsonEnv(goLoop, [listener.addr, String(options.iterations), '10'], { transport: stack.transport, security: stack.security }, 60_000 + options.iterations * 1000))
          } else if (pair.dialer === 'rust') {
            // the interop rust peer's `loop` scenario (interop/peers/rust/src/main.rs run_loop)
            const { IMPLS } = await import('../../interop/lib/impls.mjs')
            const { cmd } = IMPLS.find(i => i.name === 'rust').command()
            const env = { transport: stack.transport, security: stack.security, muxer: stack.muxer, is_dialer: 'true', ip: '127.0.0.1', scenario: 'loop', listener_addr: listener.addr, loop_iterations: String(options.iterations), loop_warmup: '10', test_timeout_seconds: String(60 + options.iterations) }
            res = await runJsonEnv(cmd, [], env, 60_000 + options.iterations * 1000)
          } else {
            res = await runDialer(options, pair.dialer, stack, { addr: listener.addr, control: '0' }, { mode: 'conns', iterations: options.iterations, warmup: 10, protocol: 'ping' }, 60_000 + options.iterations * 1000)
          }
          const cpu1 = await processCpuMs(listener.pid)
          // the warm-up's 10 connections are in the listener's CPU too
          res.listenerCpuMsPerConnection = cpu0 == null || cpu1 == null ? null : (cpu1 - cpu0) / (options.iterations + 10)
          rounds.push(res)
        }
        // rust: idle memory too (the interop rust peer holding options.connections connections to this listener;
        // RSS from /proc of both processes, no GC to run): go and rust have no node-pair memory measurement
        let held = null
        if (pair.dialer === 'rust' && options.connections > 0) {
          const { IMPLS } = await import('../../interop/lib/impls.mjs')
          const { cmd } = IMPLS.find(i => i.name === 'rust').command()
          try {
            const runs = []
            for (let r = 0; r < options.runs; r++) {
              // a fresh listener per run: one that held connections before keeps their memory in its allocator
              const fresh = await startInteropListener(pair.listener, stack)
              try {
                const env = { transport: stack.transport, security: stack.security, muxer: stack.muxer, is_dialer: 'true', ip: '127.0.0.1', scenario: 'loop', listener_addr: fresh.addr, loop_hold: String(options.connections), listener_pid: String(fresh.pid), test_timeout_seconds: String(60 + options.connections) }
                runs.push(await runJsonEnv(cmd, [], env, 60_000 + options.connections * 100))
              } finally {
                await fresh.stop()
              }
            }
            held = {
              connections: options.connections,
              dialerRssKiBPerConnection: summarize(runs.map(h => h.dialer.rssKiBPerConnection), 'KiB'),
              listenerRssKiBPerConnection: summarize(runs.map(h => h.listener?.rssKiBPerConnection ?? null).filter(v => v != null), 'KiB')
            }
          } catch (err) {
            // e.g. a listener that limits connections per peer (our interop peer keeps the default limits)
            held = { connections: options.connections, failed: err.message.slice(0, 300) }
          }
        }
        out.push({
          ...(held ? { idleMemory: held } : {}),
          ...base,
          status: 'ok',
          iterations: options.iterations,
          connectionsPerSecond: summarize(rounds.map(r => r.connectionsPerSecond), 'connections/s'),
          ttfbMs: summarize(rounds.flatMap(r => r.ttfbMs), 'ms'),
          dialerCpuMsPerConnection: summarize(rounds.map(r => r.dialerCpuMsPerConnection), 'ms'),
          listenerCpuMsPerConnection: summarize(rounds.map(r => r.listenerCpuMsPerConnection), 'ms (incl. warm-up connections)')
        })
      } catch (err) {
        out.push({ ...base, status: 'failed', reason: err.message.slice(0, 600) })
      } finally {
        await listener?.stop()
      }
    }
  }
  return out
}

/** runJson with extra environment. */
async function runJsonEnv (cmd, args, env, timeoutMs) {
  const child = new Child(cmd, args, { cwd: ROOT, env: { ...process.env, ...env } })
  try {
    const exit = await child.wait(timeoutMs)
    const json = child.lastJson()
    if (exit.code !== 0 || json == null) throw new Error(`${child.cmd} exited with ${exit.code ?? exit.signal}: ${child.stderr.slice(-1000)}`)
    return json
  } finally {
    await child.stop()
  }
}
