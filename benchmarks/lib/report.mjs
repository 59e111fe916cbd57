// Turns a result set into ratios (all from the same run), markdown tables and SVG charts.
import { barChart, lineChart } from './svg.mjs'
import { fmt, fmtRatio, ratio } from './stats.mjs'
import { memorySummary } from './sections.mjs'

export const TARGET_STACK = 'tcp/noise/yamux'

const ok = (r) => r != null && (r.status === 'ok' || r.status === 'partial')

function findThroughput (results, source, stack, pair, direction) {
  return (results.throughput ?? []).find(r => ok(r) && r.source === source && r.stack === stack && r.pair === pair && r.direction === direction)
}

/** The throughput record of a pair, preferring the interop peers' perf over the node pair. */
function bestThroughput (results, stack, pair, direction) {
  return findThroughput(results, 'interop', stack, pair, direction) ?? findThroughput(results, 'node-pair', stack, pair, direction)
}

/** Ratios ours / other, computed from this run's medians. */
export function computeRatios (results) {
  const out = { throughput: [], connections: null, memory: null, ceilings: {} }
  const stacks = [...new Set((results.throughput ?? []).map(r => r.stack))]
  for (const stack of stacks) {
    for (const direction of ['upload', 'download']) {
      for (const source of ['interop', 'node-pair']) {
        const ts = findThroughput(results, source, stack, 'ts-ts', direction)
        if (ts == null) continue
        for (const other of ['js', 'go', 'rust']) {
          const them = findThroughput(results, source, stack, `${other}-${other}`, direction)
          if (them == null) continue
          out.throughput.push({ stack, direction, source, ours: 'ts-ts', other: `${other}-${other}`, ratio: ratio(ts.mibPerSecond, them.mibPerSecond), cpuRatio: ratio(ts.cpuMsPerMiB, them.cpuMsPerMiB) })
          // ours against them, both ways, relative to them against themselves
          for (const mixed of [`ts-${other}`, `${other}-ts`]) {
            const m = findThroughput(results, source, stack, mixed, direction)
            if (m != null) out.throughput.push({ stack, direction, source, ours: mixed, other: `${other}-${other}`, ratio: ratio(m.mibPerSecond, them.mibPerSecond), cpuRatio: ratio(m.cpuMsPerMiB, them.cpuMsPerMiB) })
          }
        }
      }
    }
  }
  const conns = (pair) => (results.latency?.nodePair ?? []).find(r => ok(r) && r.stack === TARGET_STACK && r.pair === pair)
  if (conns('ts-ts') && conns('js-js')) {
    out.connections = {
      connectionsPerSecond: ratio(conns('ts-ts').connectionsPerSecond, conns('js-js').connectionsPerSecond),
      ttfbMs: ratio(conns('ts-ts').ttfbMs, conns('js-js').ttfbMs),
      dialerCpuMsPerConnection: ratio(conns('ts-ts').dialerCpuMsPerConnection, conns('js-js').dialerCpuMsPerConnection),
      warmPingRttMs: ratio(conns('ts-ts').warmPingRttMs, conns('js-js').warmPingRttMs)
    }
  }
  const loop = (pair, stack) => (results.loops ?? []).find(r => ok(r) && r.stack === stack && r.pair === pair)
  out.loops = []
  for (const stack of [...new Set((results.loops ?? []).map(r => r.stack))]) {
    for (const other of ['js', 'go', 'rust']) {
      const ts = loop('ts-ts', stack)
      const them = loop(`${other}-${other}`, stack)
      if (ts && them) {
        out.loops.push({ stack, ours: 'ts-ts', other: `${other}-${other}`, connectionsPerSecond: ratio(ts.connectionsPerSecond, them.connectionsPerSecond),
          dialerCpuMsPerConnection: ratio(ts.dialerCpuMsPerConnection, them.dialerCpuMsPerConnection), listenerCpuMsPerConnection: ratio(ts.listenerCpuMsPerConnection, them.listenerCpuMsPerConnection) })
      }
    }
    // the dialers against one listener
    for (const listener of ['ts', 'js', 'go', 'rust']) {
      for (const other of ['js', 'go', 'rust']) {
        const ts = loop(`ts-${listener}`, stack)
        const them = loop(`${other}-${listener}`, stack)
        if (ts && them && listener !== other) {
          out.loops.push({ stack, ours: `ts-${listener}`, other: `${other}-${listener}`, connectionsPerSecond: ratio(ts.connectionsPerSecond, them.connectionsPerSecond),
            dialerCpuMsPerConnection: ratio(ts.dialerCpuMsPerConnection, them.dialerCpuMsPerConnection), listenerCpuMsPerConnection: ratio(ts.listenerCpuMsPerConnection, them.listenerCpuMsPerConnection) })
        }
      }
    }
  }
  const mem = memorySummary(results.scale?.memory ?? [])
  if (mem.ts && mem.js) {
    out.memory = {}
    for (const side of ['dialer', 'listener']) {
      for (const key of ['rssKiBPerConnection', 'heapKiBPerConnection', 'rssKiBPerStream', 'heapKiBPerStream', 'rssMiBIdleNode']) {
        out.memory[`${side}.${key}`] = ratio(mem.ts[side][key], mem.js[side][key])
      }
    }
  }
  const net = results.ceiling?.net?.mibPerSecond
  const tsUp = bestThroughput(results, TARGET_STACK, 'ts-ts', 'upload')
  if (net && tsUp) out.ceilings.tsUploadOverRawNet = ratio(tsUp.mibPerSecond, net)
  if (results.ceiling?.crypto) out.ceilings.nodeCryptoOverNoble = ratio(results.ceiling.crypto.nodeCrypto, results.ceiling.crypto.noble)
  if (results.ceiling?.crypto && tsUp) out.ceilings.tsUploadOverNodeCrypto = ratio(tsUp.mibPerSecond, results.ceiling.crypto.nodeCrypto)
  return out
}

/** The issue's targets with this run's ratios. */
export function computeTargets (results) {
  const targets = []
  for (const [other, want] of [['js', 2], ['go', 1]]) {
    for (const direction of ['upload', 'download']) {
      // both figures from one source: the interop peers' perf when both were measured there, else the node pair
      const source = ['interop', 'node-pair'].find(src => findThroughput(results, src, TARGET_STACK, 'ts-ts', direction) &&
        findThroughput(results, src, TARGET_STACK, `${other}-${other}`, direction))
      const ts = source && findThroughput(results, source, TARGET_STACK, 'ts-ts', direction)
      const them = source && findThroughput(results, source, TARGET_STACK, `${other}-${other}`, direction)
      const r = ts && them ? ratio(ts.mibPerSecond, them.mibPerSecond) : null
      targets.push({
        target: `throughput ${TARGET_STACK} ts->ts >= ${want}x ${other}->${other} (${direction})`,
        want: `>= ${want}x`,
        measured: r,
        source: source ?? null,
        met: r == null ? null : r >= want
      })
    }
  }
  const conns = (pair) => (results.latency?.nodePair ?? []).find(r => ok(r) && r.stack === TARGET_STACK && r.pair === pair)
  const c = conns('ts-ts') && conns('js-js') ? ratio(conns('ts-ts').connectionsPerSecond, conns('js-js').connectionsPerSecond) : null
  targets.push({ target: 'connections/s ts->ts >= 4x js->js (dial + noise + yamux + stream + 1-byte echo + close)', want: '>= 4x', measured: c, source: 'node-pair', met: c == null ? null : c >= 4 })
  const mem = memorySummary(results.scale?.memory ?? [])
  for (const side of ['dialer', 'listener']) {
    const m = mem.ts && mem.js ? ratio(mem.ts[side].rssKiBPerConnection, mem.js[side].rssKiBPerConnection) : null
    targets.push({ target: `RSS per idle connection (${side}) ts <= 0.5x js`, want: '<= 0.5x', measured: m, source: 'node-pair', met: m == null ? null : m <= 0.5 })
  }
  return targets
}

// ----- markdown -----

const table = (head, rows) => [`| ${head.join(' | ')} |`, `|${head.map(() => '---').join('|')}|`, ...rows.map(r => `| ${r.join(' | ')} |`)].join('\n')

export function markdown (results) {
  const lines = []
  const m = results.machine
  lines.push(`# Benchmark results (${results.kind} run)`, '',
    `${results.startedAt} to ${results.finishedAt} (${Math.round(results.durationSeconds)} s). Machine: ${m.cpuModel}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.platform}; ` +
    `load average ${m.loadAverageStart.join(' / ')} at the start and ${m.loadAverageEnd.join(' / ')} at the end (1/5/15 min). ` +
    `Node pairs and micro-benchmarks on ${results.options.node20 ? results.versions.node : `Node ${results.versions.node24}`}; interop ts peer on ${results.versions.node}, js peer on Node ${results.versions.node24}. ` +
    `Commit ${results.git?.commit ?? '?'}${results.git?.dirty ? ' (working tree had uncommitted changes)' : ''}.`, '')
  for (const note of results.notes ?? []) lines.push(`- ${note}`)
  if (results.notes?.length) lines.push('')
  lines.push('Figures are `median (min-max)` over the runs; ratios are ours / theirs from medians of this run.', '')

  if (results.targets?.length) {
    lines.push('## Targets (issue 12)', '', table(['target', 'wanted', 'measured', 'source', 'met'],
      results.targets.map(t => [t.target, t.want, fmtRatio(t.measured), t.source ?? '-', t.met == null ? 'not measured' : t.met ? 'yes' : '**no**'])), '')
  }

  if (results.ceiling) {
    const c = results.ceiling
    lines.push('## Ceilings', '', table(['what', 'MiB/s', 'other'], [
      c.net ? [`raw node:net loopback, two processes, ${c.net.mib} MiB in 64 KiB writes`, fmt(c.net.mibPerSecond), `${fmt(c.net.cpuSecondsPerGiB)} CPU s/GiB (both sides)`] : null,
      c.crypto ? [`node:crypto chacha20-poly1305 seal+open, 64 KiB, one process (${c.crypto.nodeMiB} MiB)`, fmt(c.crypto.nodeCrypto), ''] : null,
      c.crypto ? [`@noble/ciphers chacha20-poly1305 seal+open, 64 KiB (${c.crypto.nobleMiB} MiB)`, fmt(c.crypto.noble), `node:crypto / noble ${fmtRatio(results.ratios?.ceilings?.nodeCryptoOverNoble)}`] : null
    ].filter(Boolean)), '')
    if (results.ratios?.ceilings?.tsUploadOverRawNet != null) {
      lines.push(`ts->ts upload over ${TARGET_STACK} is ${fmtRatio(results.ratios.ceilings.tsUploadOverRawNet)} of raw node:net and ${fmtRatio(results.ratios.ceilings.tsUploadOverNodeCrypto)} of the node:crypto cipher ceiling.`, '')
    }
  }

  if (results.throughput?.length) {
    lines.push('## Throughput (perf protocol, two processes, loopback)', '',
      '`interop`: the interop peers\' perf scenario (each implementation\'s own perf code and runtime; a new connection per run; ' +
      'MiB/s from stream open to the end of the stream; CPU of both peer processes from start to exit less that of a zero-byte perf cell of the same pair, ' +
      'from /proc/self/stat cutime+cstime, 10 ms ticks). `node-pair`: ts and js nodes of benchmarks/cross/node-pair.mjs on the same Node, ' +
      'the same perf handler code on both; CPU is both processes\' during the transfer.', '')
    for (const stack of [...new Set(results.throughput.map(r => r.stack))]) {
      lines.push(`### ${stack}`, '')
      const rows = []
      for (const r of results.throughput.filter(x => x.stack === stack)) {
        if (!ok(r)) {
          rows.push([r.pair, r.source, r.direction ?? '-', '-', '-', `${r.status}: ${String(r.reason ?? '').replace(/\|/g, '/').replace(/\n/g, ' ').slice(0, 160)}`])
          continue
        }
        rows.push([r.pair, r.source, r.direction, fmt(r.mibPerSecond), r.cpuMsPerMiB ? fmt(r.cpuMsPerMiB) : '-', r.status === 'partial' ? `partial: ${r.reason?.slice(0, 120)}` : ''])
      }
      lines.push(table(['dialer-listener', 'source', 'direction', 'MiB/s', 'CPU ms/MiB', 'note'], rows), '')
    }
    const rs = results.ratios?.throughput ?? []
    if (rs.length) {
      lines.push('### Throughput ratios (same run)', '', 'MiB/s: higher is better for ours; CPU per MiB: lower is better for ours.', '',
        table(['stack', 'direction', 'source', 'ours', 'vs', 'MiB/s ratio', 'CPU/MiB ratio'],
          rs.map(r => [r.stack, r.direction, r.source, r.ours, r.other, fmtRatio(r.ratio), fmtRatio(r.cpuRatio)])), '')
    }
  }

  if (results.latency) {
    const l = results.latency
    if (l.interopPing.length) {
      lines.push('## Latency: new connection + ping (interop peers)', '',
        '`handshakePlusOneRTTMillis` of the interop ping scenario: dial + security + muxer + ping protocol negotiation + one ping, a new process pair each time; `pingRTTMilllis` is that first ping\'s round trip.', '',
        table(['stack', 'dialer-listener', 'handshake + 1 RTT ms', 'ping RTT ms', 'note'], l.interopPing.map(r => ok(r)
          ? [r.stack, r.pair, fmt(r.handshakePlusOneRttMs), fmt(r.pingRttMs), r.status === 'partial' ? r.reason : '']
          : [r.stack, r.pair, '-', '-', `${r.status}: ${String(r.reason ?? '').slice(0, 120)}`])), '')
    }
    if (l.nodePair.length) {
      lines.push('## Connections/s, time to first byte, warm ping (node pairs)', '',
        'Sequential loop in the dialer process: new connection (dial + security + muxer) + one stream negotiating an echo protocol + 1 byte echoed (time to first byte) + close. ' +
        'Warm ping: 32-byte round trips on one open stream. ts and js only (go and rust: the interop listeners below).', '',
        table(['stack', 'dialer-listener', 'connections/s', 'TTFB ms', 'dialer CPU ms/conn', 'listener CPU ms/conn', 'warm ping RTT ms'], l.nodePair.map(r => ok(r)
          ? [r.stack, r.pair, fmt(r.connectionsPerSecond), fmt(r.ttfbMs), fmt(r.dialerCpuMsPerConnection), fmt(r.listenerCpuMsPerConnection), fmt(r.warmPingRttMs)]
          : [r.stack, r.pair, `${r.status}: ${String(r.reason ?? '').slice(0, 120)}`, '', '', '', ''])), '')
      const c = results.ratios?.connections
      if (c) lines.push(`ts/js on ${TARGET_STACK}: connections/s ${fmtRatio(c.connectionsPerSecond)}, TTFB ${fmtRatio(c.ttfbMs)}, dialer CPU per connection ${fmtRatio(c.dialerCpuMsPerConnection)}, warm ping RTT ${fmtRatio(c.warmPingRttMs)}.`, '')
    }
  }

  if (results.loops?.length) {
    lines.push('## Connections/s against the interop listeners (ping protocol)', '',
      'The interop peers as listeners (each implementation\'s own node, with its identify and ping services), dialers that loop: ' +
      'ts and js (benchmarks/cross/node-pair.mjs, no identify; with the ping service, without which rust-libp2p stops answering pings on the connection), go (benchmarks/cross/go-loop, go-libp2p\'s host, which identifies every new connection), ' +
      'rust (the interop rust peer\'s `loop` scenario: its own ping on each new connection, identify runs too). One iteration: new connection + /ipfs/ping/1.0.0 stream + 32 bytes echoed (TTFB) + close. Listener CPU from /proc, including 10 warm-up connections.', '',
      table(['stack', 'dialer-listener', 'connections/s', 'TTFB ms', 'dialer CPU ms/conn', 'listener CPU ms/conn'], results.loops.map(r => ok(r)
        ? [r.stack, r.pair, fmt(r.connectionsPerSecond), fmt(r.ttfbMs), fmt(r.dialerCpuMsPerConnection), fmt(r.listenerCpuMsPerConnection)]
        : [r.stack, r.pair, `${r.status}: ${String(r.reason ?? '').slice(0, 140)}`, '', '', ''])), '')
    for (const r of results.ratios?.loops ?? []) {
      lines.push(`- ${r.stack}: ${r.ours} / ${r.other}: connections/s ${fmtRatio(r.connectionsPerSecond)}, dialer CPU per connection ${fmtRatio(r.dialerCpuMsPerConnection)}, listener CPU per connection ${fmtRatio(r.listenerCpuMsPerConnection)}`)
    }
    lines.push('')
    const held = results.loops.filter(r => ok(r) && r.idleMemory)
    if (held.length) {
      lines.push('Idle connections held by the rust dialer (the interop rust peer, `loop_hold`): RSS growth per connection from /proc of both ' +
        'processes, no GC (compare with the node pairs\' after-GC figures in the memory table below).', '',
        table(['stack', 'dialer-listener', 'connections', 'dialer RSS KiB/conn', 'listener RSS KiB/conn'], held.map(r =>
          r.idleMemory.failed
            ? [r.stack, r.pair, String(r.idleMemory.connections), `failed: ${String(r.idleMemory.failed).slice(0, 140)}`, '']
            : [r.stack, r.pair, String(r.idleMemory.connections), fmt(r.idleMemory.dialerRssKiBPerConnection), fmt(r.idleMemory.listenerRssKiBPerConnection)])), '')
    }
  }

  if (results.scale) {
    const s = results.scale
    if (s.streams.length) {
      const counts = [...new Set(s.streams.filter(ok).map(r => r.streams))].sort((a, b) => a - b)
      const get = (impl, n) => s.streams.find(r => ok(r) && r.impl === impl && r.streams === n)
      lines.push(`## Scale: concurrent streams on one connection (${s.streams[0]?.stack}, upload)`, '',
        table(['streams', 'ts MiB/s', 'js MiB/s', 'ts/js', 'ts CPU ms/MiB', 'js CPU ms/MiB'], counts.map(n => [
          String(n), fmt(get('ts', n)?.mibPerSecond), fmt(get('js', n)?.mibPerSecond), fmtRatio(ratio(get('ts', n)?.mibPerSecond, get('js', n)?.mibPerSecond)),
          fmt(get('ts', n)?.cpuMsPerMiB), fmt(get('js', n)?.cpuMsPerMiB)])), '')
      for (const r of s.streams.filter(r => !ok(r))) lines.push(`- ${r.impl}: ${r.status}: ${r.reason}`)
    }
    const mem = memorySummary(s.memory)
    if (Object.keys(mem).length) {
      const rows = []
      for (const side of ['dialer', 'listener']) {
        for (const [key, labelText] of [['rssKiBPerConnection', 'RSS KiB per idle connection'], ['heapKiBPerConnection', 'heap KiB per idle connection'],
          ['rssKiBPerStream', 'RSS KiB per idle stream'], ['heapKiBPerStream', 'heap KiB per idle stream'], ['rssMiBIdleNode', 'RSS MiB of the idle node']]) {
          rows.push([side, labelText, fmt(mem.ts?.[side][key]), fmt(mem.js?.[side][key]), fmtRatio(results.ratios?.memory?.[`${side}.${key}`])])
        }
      }
      const n = mem.ts?.connections ?? mem.js?.connections
      lines.push(`## Memory with ${n} idle connections (then one idle stream on each)`, '',
        'Growth after GC in both processes (a fresh listener per run) divided by the number of connections (streams); a new process pair per run.', '',
        table(['side', 'what', 'ts', 'js', 'ts/js'], rows), '')
      for (const r of s.memory.filter(r => !ok(r))) lines.push(`- ${r.impl} run ${r.run}: ${r.status}: ${r.reason}`)
    }
  }

  if (results.micro?.rows?.length) {
    lines.push(`## Micro-benchmarks (tinybench, ${results.micro.timeMs} ms per task, one process)`, '',
      table(['group', 'operation', 'ts ops/s', 'js ops/s', 'ts/js', 'rme ts / js'], results.micro.rows.map(r => [
        r.group, r.name, Math.round(r.ts.opsPerSecond).toLocaleString('en'), r.js ? Math.round(r.js.opsPerSecond).toLocaleString('en') : '-',
        fmtRatio(r.ratio), `${r.ts.rme.toFixed(1)}% / ${r.js ? r.js.rme.toFixed(1) : '-'}%`])), '')
  }

  if (results.failures?.length) {
    lines.push('## Areas that failed', '', ...results.failures.map(f => `- ${f.area}: ${f.error}`), '')
  }
  lines.push('## Versions', '', '```json', JSON.stringify(results.versions, null, 1), '```', '')
  return lines.join('\n')
}

// ----- charts -----

/** { file name: svg } */
export function charts (results) {
  const out = {}
  const net = results.ceiling?.net?.mibPerSecond
  for (const stack of [...new Set((results.throughput ?? []).map(r => r.stack))]) {
    const recs = results.throughput.filter(r => r.stack === stack)
    const pairs = [...new Set(recs.map(r => r.pair))]
    const series = []
    for (const source of ['interop', 'node-pair']) {
      for (const direction of ['upload', 'download']) {
        const values = pairs.map(p => recs.find(r => ok(r) && r.source === source && r.pair === p && r.direction === direction)?.mibPerSecond ?? null)
        if (values.some(v => v != null)) series.push({ name: `${direction} (${source === 'interop' ? 'perf peers' : 'node pair'})`, values })
      }
    }
    if (series.length === 0) continue
    const categories = pairs.map(p => p.replace('-', ' -> '))
    out[`throughput-${stack.replace(/\//g, '-')}.svg`] = barChart({
      title: `Throughput by pair, ${stack} (${results.kind} run, ${recs.find(ok)?.mib ?? '?'} MiB per transfer)`,
      unit: 'MiB/s (median; whiskers min-max)',
      categories,
      series,
      refLine: net ? { value: net.median, label: `raw node:net ${Math.round(net.median)}` } : undefined,
      note: `${results.machine.cores} cores, load ${results.machine.loadAverageStart[0]}-${results.machine.loadAverageEnd[0]}; shared machine: compare ratios`
    })
  }
  const streams = (results.scale?.streams ?? []).filter(ok)
  if (streams.length) {
    const impls = [...new Set(streams.map(r => r.impl))]
    out['scaling-streams.svg'] = lineChart({
      title: `Aggregate throughput vs concurrent streams on one connection (${streams[0].stack})`,
      xLabel: 'concurrent streams (log scale)',
      yLabel: 'MiB/s',
      series: impls.map(impl => ({ name: impl === 'ts' ? 'ts-libp2p (ours)' : 'js-libp2p', points: streams.filter(r => r.impl === impl).map(r => ({ x: r.streams, ...r.mibPerSecond })) })),
      note: `${streams[0].mib} MiB shared by the streams, upload, two processes`
    })
    out['scaling-cpu.svg'] = lineChart({
      title: 'CPU time per MiB (both processes) vs concurrent streams',
      xLabel: 'concurrent streams (log scale)',
      yLabel: 'CPU ms per MiB',
      series: impls.map(impl => ({ name: impl === 'ts' ? 'ts-libp2p (ours)' : 'js-libp2p', points: streams.filter(r => r.impl === impl).map(r => ({ x: r.streams, ...r.cpuMsPerMiB })) }))
    })
  }
  const conns = (results.latency?.nodePair ?? []).filter(ok)
  const loopRecs = (results.loops ?? []).filter(ok)
  if (conns.length || loopRecs.length) {
    const keys = [...new Set([...conns, ...loopRecs].map(r => `${r.pair.replace('-', ' -> ')} ${r.stack}`))]
    const key = (r) => `${r.pair.replace('-', ' -> ')} ${r.stack}`
    const series = []
    if (conns.length) series.push({ name: 'node pair (echo, no identify)', values: keys.map(k => conns.find(r => key(r) === k)?.connectionsPerSecond) })
    if (loopRecs.length) series.push({ name: 'interop listener (ping)', values: keys.map(k => loopRecs.find(r => key(r) === k)?.connectionsPerSecond) })
    out['connections.svg'] = barChart({
      title: 'Connections per second (sequential: dial + security + muxer + stream + echo + close)',
      unit: 'connections/s (median; whiskers min-max)',
      categories: keys,
      series
    })
  }
  const mem = memorySummary(results.scale?.memory ?? [])
  if (mem.ts || mem.js) {
    const keys = [['dialer', 'rssKiBPerConnection', 'dialer RSS / connection'], ['dialer', 'heapKiBPerConnection', 'dialer heap / connection'],
      ['listener', 'rssKiBPerConnection', 'listener RSS / connection'], ['listener', 'heapKiBPerConnection', 'listener heap / connection'],
      ['dialer', 'rssKiBPerStream', 'dialer RSS / stream'], ['listener', 'rssKiBPerStream', 'listener RSS / stream']]
    out['memory.svg'] = barChart({
      title: `Memory per idle connection and stream (${mem.ts?.connections ?? mem.js?.connections} connections)`,
      unit: 'KiB',
      categories: keys.map(k => k[2]),
      series: ['ts', 'js'].filter(i => mem[i]).map(i => ({ name: i === 'ts' ? 'ts-libp2p (ours)' : 'js-libp2p', values: keys.map(([side, key]) => mem[i][side][key]) }))
    })
  }
  if (results.micro?.rows?.length) {
    out['micro.svg'] = barChart({
      title: 'Micro-benchmarks: ours / official js (ops/s ratio; > 1 is faster)',
      unit: 'ratio',
      categories: results.micro.rows.map(r => `${r.group}: ${r.name}`),
      series: [{ name: 'ts / js', values: results.micro.rows.map(r => r.ratio == null ? null : { median: r.ratio }) }],
      refLine: { value: 1, label: 'parity' }
    })
  }
  return out
}
