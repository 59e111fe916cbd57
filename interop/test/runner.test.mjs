// Tests of the interop runner itself (not of any libp2p implementation): option parsing, the
// cell protocol (readiness line, unsupported, checks), timeout and process-group kill of a hung
// peer, build caching, and the schema of the results files. Run: node --test interop/test/
import assert from 'node:assert/strict'
import { closeSync, existsSync, mkdtempSync, openSync, readFileSync, rmSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { dirname, join } from 'node:path'
import { after, describe, it } from 'node:test'
import { fileURLToPath } from 'node:url'

// Keep the runner's cache (build logs, stamps) of these tests out of the real one.
const tmp = mkdtempSync(join(tmpdir(), 'interop-runner-test-'))
process.env.TS_LIBP2P_INTEROP_CACHE = join(tmp, 'cache')
after(() => rmSync(tmp, { recursive: true, force: true }))

const { parseOptions, UsageError, DIMENSIONS, DEFAULT_PERF_BYTES } = await import('../lib/options.mjs')
const { runCell } = await import('../lib/cell.mjs')
const { enumerateCells, runMatrix, scenarioEnv, unexplainedFailures } = await import('../lib/matrix.mjs')
const { meshCells, runMesh } = await import('../lib/mesh.mjs')
const { knownFailure } = await import('../lib/known.mjs')
const { prepare } = await import('../lib/build.mjs')

const FAKE_PEER = join(dirname(fileURLToPath(import.meta.url)), 'fixtures', 'fake-peer.mjs')
const NAMES = ['ts', 'js', 'go', 'rust', 'python']

function fakeImpl (name, mode = 'ok', extra = {}) {
  return {
    name,
    dir: dirname(FAKE_PEER),
    marker: FAKE_PEER,
    tools: [],
    inputs: () => [],
    stamp: join(tmp, `${name}.stamp`),
    build: () => [],
    command: () => ({ cmd: process.execPath, args: [FAKE_PEER, mode] }),
    agent: /^fake-libp2p\//,
    ...extra
  }
}

const CELL = { dialer: 'a', listener: 'b', transport: 'tcp', security: 'noise', muxer: 'yamux', scenario: 'ping' }

/** Whether pid runs (a zombie waiting for init to reap it has been killed: it does not run). */
function isRunning (pid) {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8')
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z'
  } catch {
    return false
  }
}

/** SIGKILL is delivered asynchronously: give the kernel a moment (bounded) to finish it. */
async function stopsRunning (pid, withinMillis = 2000) {
  const until = performance.now() + withinMillis
  while (isRunning(pid)) {
    if (performance.now() > until) return false
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  return true
}

describe('options', () => {
  const ctx = { implNames: NAMES, cores: 2 }

  it('selects everything by default', () => {
    const o = parseOptions([], ctx)
    assert.deepEqual(o.impls, NAMES)
    for (const dim of Object.keys(DIMENSIONS)) assert.deepEqual(o[dim], DIMENSIONS[dim])
    assert.equal(o.jobs, 2)
    assert.equal(o.build, true)
  })

  it('--quick is tcp + noise + yamux with ping and identify only', () => {
    const o = parseOptions(['--quick'], ctx)
    assert.deepEqual([o.transport, o.security, o.muxer], [['tcp'], ['noise'], ['yamux']])
    assert.deepEqual(o.scenario, ['ping', 'identify'])
    assert.throws(() => parseOptions(['--quick', '--scenario', 'perf'], ctx), UsageError)
  })

  it('knows the perf, dht and gossipsub scenarios and the perf byte counts', () => {
    assert.deepEqual(parseOptions([], ctx).scenario, ['ping', 'identify', 'perf', 'dht', 'gossipsub', 'gossipsub-mesh'])
    const o = parseOptions(['--scenario', 'perf,dht,gossipsub', '--perf-upload-bytes', '0', '--perf-download-bytes', '1048576000'], ctx)
    assert.deepEqual(o.scenario, ['perf', 'dht', 'gossipsub'])
    assert.equal(o.perfUploadBytes, 0)
    assert.equal(o.perfDownloadBytes, 1048576000)
    assert.equal(parseOptions([], ctx).perfUploadBytes, DEFAULT_PERF_BYTES)
    assert.deepEqual(scenarioEnv('perf', o), { perf_upload_bytes: '0', perf_download_bytes: '1048576000' })
    assert.deepEqual(scenarioEnv('dht', o), {})
    assert.throws(() => parseOptions(['--perf-upload-bytes', '-1'], ctx), UsageError)
    assert.throws(() => parseOptions(['--perf-download-bytes', '1e6'], ctx), UsageError)
  })

  it('parses comma-separated filters', () => {
    const o = parseOptions(['--impl', 'go,rust', '--transport', 'ws', '--muxer=mplex,yamux', '--scenario', 'identify', '--jobs', '3', '--timeout', '5', '--no-build'], ctx)
    assert.deepEqual(o.impls, ['go', 'rust'])
    assert.deepEqual(o.transport, ['ws'])
    assert.deepEqual(o.muxer, ['mplex', 'yamux'])
    assert.deepEqual(o.scenario, ['identify'])
    assert.equal(o.jobs, 3)
    assert.equal(o.timeoutSeconds, 5)
    assert.equal(o.build, false)
  })

  it('filters intersect with --quick', () => {
    assert.deepEqual(parseOptions(['--quick', '--scenario', 'ping'], ctx).scenario, ['ping'])
    assert.throws(() => parseOptions(['--quick', '--transport', 'ws'], ctx), UsageError)
  })

  it('rejects unknown values, options and bad numbers', () => {
    assert.throws(() => parseOptions(['--impl', 'java'], ctx), /unknown value "java"/)
    assert.throws(() => parseOptions(['--security', 'plaintext'], ctx), UsageError)
    assert.throws(() => parseOptions(['--frobnicate'], ctx), UsageError)
    assert.throws(() => parseOptions(['--jobs', '0'], ctx), UsageError)
    assert.throws(() => parseOptions(['--timeout', 'soon'], ctx), UsageError)
    assert.throws(() => parseOptions(['--impl', ''], ctx), UsageError)
  })

  it('enumerates dialer x listener x transport x security x muxer x scenario', () => {
    const cells = enumerateCells(['go', 'rust'], parseOptions(['--scenario', 'ping,identify,perf'], ctx))
    assert.equal(cells.length, 2 * 2 * 2 * 2 * 2 * 3)
    assert.equal(new Set(cells.map(c => JSON.stringify(c))).size, cells.length)
  })

  it('runs dht and gossipsub on tcp/noise/yamux only, unless --all-stacks', () => {
    const cells = enumerateCells(['go', 'rust'], parseOptions(['--scenario', 'dht,gossipsub'], ctx))
    assert.equal(cells.length, 2 * 2 * 2)
    for (const c of cells) assert.deepEqual([c.transport, c.security, c.muxer], ['tcp', 'noise', 'yamux'])
    const all = enumerateCells(['go', 'rust'], parseOptions(['--scenario', 'dht,gossipsub', '--all-stacks'], ctx))
    assert.equal(all.length, 2 * 2 * 8 * 2)
    assert.equal(enumerateCells(['go'], parseOptions(['--scenario', 'ping,identify,perf,dht,gossipsub'], ctx)).length, 8 * 3 + 2)
  })
})

describe('a cell', () => {
  const run = (cell, dialerMode, listenerMode = 'ok', extra = {}) => runCell(cell, {
    dialerImpl: fakeImpl('a', dialerMode),
    listenerImpl: fakeImpl('b', listenerMode),
    timeoutSeconds: 5,
    ...extra
  })

  it('passes when the dialer reports a ping after the listener is ready', async () => {
    const r = await run(CELL, 'ok')
    assert.equal(r.result, 'pass', r.reason)
    assert.deepEqual(r.metrics, { handshakePlusOneRTTMillis: 1.5, pingRTTMilllis: 0.25 })
    assert.equal(typeof r.listenerReadyMillis, 'number')
  })

  it('checks the identify result against the listener implementation', async () => {
    assert.equal((await run({ ...CELL, scenario: 'identify' }, 'ok')).result, 'pass')
    const wrong = await run({ ...CELL, scenario: 'identify' }, 'wrong-agent')
    assert.equal(wrong.result, 'fail')
    assert.match(wrong.reason, /agent version "someone-else\/1.0" is not b's/)
  })

  it('checks perf results against the byte counts asked for', async () => {
    const env = { perf_upload_bytes: '1000', perf_download_bytes: '3000' }
    const ok = await run({ ...CELL, scenario: 'perf' }, 'ok', 'ok', { env })
    assert.equal(ok.result, 'pass', ok.reason)
    assert.equal(ok.metrics.uploadBytes, 1000)
    assert.equal(ok.metrics.downloadBytes, 3000)
    assert.equal(ok.metrics.downloadBytesPerSecond, 12000)
    const short = await run({ ...CELL, scenario: 'perf' }, 'short-download', 'ok', { env })
    assert.equal(short.result, 'fail')
    assert.match(short.reason, /downloadBytes 2999, asked for 3000/)
  })

  it('checks the dht and gossipsub result lines', async () => {
    const dht = await run({ ...CELL, scenario: 'dht' }, 'ok')
    assert.equal(dht.result, 'pass', dht.reason)
    assert.equal(dht.metrics.verifyFindProvidersMillis, 1)
    const incomplete = await run({ ...CELL, scenario: 'dht' }, 'incomplete')
    assert.equal(incomplete.result, 'fail')
    assert.match(incomplete.reason, /no numeric verifyGetMillis/)
    const gossip = await run({ ...CELL, scenario: 'gossipsub' }, 'ok')
    assert.equal(gossip.result, 'pass', gossip.reason)
    assert.equal(gossip.metrics.roundTripMillis, 1)
  })

  it('is unsupported when either side says so, with its reason', async () => {
    const l = await run(CELL, 'ok', 'unsupported')
    assert.equal(l.result, 'unsupported')
    assert.equal(l.reason, 'listener: muxer yamux')
    const d = await run({ ...CELL, muxer: 'mplex' }, 'no-mplex')
    assert.equal(d.result, 'unsupported')
    assert.equal(d.reason, 'dialer: muxer mplex')
  })

  it('fails with an excerpt of stderr when a peer crashes', async () => {
    const d = await run(CELL, 'dialer-crash')
    assert.equal(d.result, 'fail')
    assert.match(d.reason, /dialer exited with code 1/)
    assert.match(d.error, /connection reset/)
    const l = await run(CELL, 'ok', 'listener-crash')
    assert.equal(l.result, 'fail')
    assert.match(l.reason, /listener exited with code 1 before its readiness line/)
    assert.match(l.error, /cannot bind/)
  })

  it('times out a hung dialer and kills its whole process group', async () => {
    const pidFile = join(tmp, 'hung.json')
    process.env.FAKE_PID_FILE = pidFile
    try {
      const started = performance.now()
      const r = await run(CELL, 'hang', 'ok', { timeoutSeconds: 1, graceMillis: 200 })
      const elapsed = performance.now() - started
      assert.equal(r.result, 'fail')
      assert.match(r.reason, /^timeout: the dialer did not finish/)
      assert.ok(elapsed < 5000, `took ${elapsed} ms`)
      const pids = JSON.parse(readFileSync(pidFile, 'utf8'))
      assert.equal(pids.length, 2)
      for (const pid of pids) assert.ok(await stopsRunning(pid), `pid ${pid} survived`)
    } finally {
      delete process.env.FAKE_PID_FILE
    }
  })
})

describe('gossipsub mesh cells', () => {
  const ctx = { implNames: NAMES, cores: 2 }

  it('are every 3 of the implementations on one stack, or the --mesh line', () => {
    assert.deepEqual(meshCells(['a', 'b', 'c', 'd']), [['a', 'b', 'c'], ['a', 'b', 'd'], ['a', 'c', 'd'], ['b', 'c', 'd']])
    const all = enumerateCells(['ts', 'go', 'rust'], parseOptions(['--scenario', 'gossipsub-mesh'], ctx))
    assert.deepEqual(all.map(c => c.nodes), [['go', 'ts', 'rust']], 'ts relays, in the middle')
    assert.deepEqual([all[0].transport, all[0].security, all[0].muxer], ['tcp', 'noise', 'yamux'])
    const o = parseOptions(['--mesh', 'go,ts,go,rust'], ctx)
    assert.deepEqual(o.scenario, ['gossipsub-mesh'])
    assert.deepEqual(enumerateCells(['ts', 'go', 'rust'], o).map(c => c.nodes), [['go', 'ts', 'go', 'rust']])
    assert.deepEqual(enumerateCells(['ts', 'go'], o), [], 'a line with an absent implementation is skipped')
    assert.throws(() => parseOptions(['--mesh', 'go'], ctx), UsageError)
    assert.throws(() => parseOptions(['--mesh', 'go,java'], ctx), UsageError)
  })

  it('pass when every node hears every other, and name the node that did not', async () => {
    const impls = { a: fakeImpl('a'), b: fakeImpl('b'), deaf: fakeImpl('deaf', 'mesh-deaf') }
    const cell = { nodes: ['a', 'b', 'a'], transport: 'tcp', security: 'noise', muxer: 'yamux' }
    const ok = await runMesh(cell, { impls, timeoutSeconds: 5 })
    assert.equal(ok.result, 'pass', ok.reason)
    assert.equal(ok.scenario, 'gossipsub-mesh')
    assert.deepEqual(ok.metrics.nodes.map(n => n.peerId), ['12D3KooWFake0', '12D3KooWFake1', '12D3KooWFake2'])
    const deaf = await runMesh({ ...cell, nodes: ['a', 'deaf', 'a'] }, { impls, timeoutSeconds: 5 })
    assert.equal(deaf.result, 'fail')
    assert.match(deaf.reason, /^node 1 \(deaf\): received nothing from 12D3KooWFake0/)
    const unsupported = await runMesh({ ...cell, muxer: 'mplex', nodes: ['a', 'b'] }, { impls: { ...impls, b: fakeImpl('b', 'no-mplex') }, timeoutSeconds: 5 })
    assert.equal(unsupported.result, 'unsupported')
    assert.equal(unsupported.reason, 'node 1 (b): muxer mplex')
  })
})

describe('a peer that cannot be started', () => {
  it('fails its cell, whether spawn emits the error (ENOENT) or throws it (ETXTBSY)', async () => {
    const missing = await runCell(CELL, {
      dialerImpl: fakeImpl('a'),
      listenerImpl: fakeImpl('b', 'ok', { command: () => ({ cmd: join(tmp, 'no-such-binary'), args: [] }) }),
      timeoutSeconds: 5
    })
    assert.equal(missing.result, 'fail')
    assert.match(missing.reason, /listener could not be started/)
    assert.match(missing.error, /ENOENT/)

    // A binary still open for writing cannot be executed: spawn throws ETXTBSY.
    const busy = join(tmp, 'busy-peer')
    writeFileSync(busy, '#!/bin/sh\n', { mode: 0o755 })
    const fd = openSync(busy, 'r+')
    try {
      const r = await runCell(CELL, {
        dialerImpl: fakeImpl('a', 'ok', { command: () => ({ cmd: busy, args: [] }) }),
        listenerImpl: fakeImpl('b'),
        timeoutSeconds: 5
      })
      assert.equal(r.result, 'fail')
      assert.match(r.reason, /dialer could not be started/)
      assert.match(r.error, /ETXTBSY/)
    } finally {
      closeSync(fd)
    }
  })
})

describe('a silent listener', () => {
  it('times out without a readiness line, and the dialer never starts', async () => {
    const r = await runCell(CELL, {
      dialerImpl: fakeImpl('a', 'dialer-crash'),
      listenerImpl: fakeImpl('b', 'listener-silent'),
      timeoutSeconds: 1,
      graceMillis: 200
    })
    assert.equal(r.result, 'fail')
    assert.match(r.reason, /^timeout: the listener printed no readiness line/)
    assert.equal(r.listenerReadyMillis, null)
  })
})

describe('known failures', () => {
  it('cover only the cells traced in the README, and only failures go unexplained', () => {
    const cell = { ...CELL, dialer: 'python', listener: 'js', security: 'tls' }
    assert.equal(knownFailure(cell)?.id, 'js-tls-extension-order')
    assert.equal(knownFailure({ ...cell, security: 'noise' }), null)
    assert.equal(knownFailure({ ...cell, dialer: 'go' }), null)
    const dht = { ...CELL, scenario: 'dht', dialer: 'go', listener: 'python' }
    assert.equal(knownFailure(dht)?.id, 'py-kad-binary-keys')
    assert.equal(knownFailure({ ...dht, dialer: 'python', listener: 'go' }), null)
    const report = {
      cells: [
        { ...cell, result: 'fail', knownFailure: 'js-tls-extension-order' },
        { ...CELL, result: 'fail' },
        { ...CELL, result: 'pass' },
        { ...CELL, result: 'unsupported' }
      ]
    }
    assert.deepEqual(unexplainedFailures(report), [report.cells[1]])
  })
})

describe('builds', () => {
  it('build once, then skip while the inputs are unchanged', async () => {
    const counter = join(tmp, 'builds.txt')
    const input = join(tmp, 'input.txt')
    writeFileSync(input, 'v1')
    const impl = fakeImpl('built', 'ok', {
      inputs: () => [input],
      stamp: join(tmp, 'built', 'stamp'),
      build: () => [{ cmd: process.execPath, args: ['-e', `require('fs').appendFileSync(${JSON.stringify(counter)}, 'x')`] }]
    })
    const quiet = { say: () => {} }
    assert.equal((await prepare([impl], quiet)).built.reason, 'built')
    assert.equal((await prepare([impl], quiet)).built.reason, 'up to date')
    writeFileSync(input, 'v2')
    assert.equal((await prepare([impl], { ...quiet, build: false })).built.state, 'absent')
    assert.equal((await prepare([impl], quiet)).built.reason, 'built')
    assert.equal(readFileSync(counter, 'utf8'), 'xx')
  })

  it('reports a failed build as broken, with the log tail', async () => {
    const impl = fakeImpl('bad', 'ok', {
      build: () => [{ cmd: process.execPath, args: ['-e', 'console.error("compile error here"); process.exit(2)'] }]
    })
    const s = (await prepare([impl], { say: () => {} })).bad
    assert.equal(s.state, 'broken')
    assert.match(s.reason, /compile error here/)
  })
})

describe('results files', () => {
  it('writes one record per cell and a markdown matrix; absent peers are skipped', async () => {
    const out = join(tmp, 'results')
    const impls = [
      fakeImpl('ts', 'ok', { marker: join(tmp, 'no-such-peer', 'index.js') }),
      fakeImpl('go', 'ok'),
      fakeImpl('rust', 'no-mplex')
    ]
    const options = parseOptions(['--transport', 'tcp', '--security', 'noise', '--scenario', 'ping,identify', '--out', out, '--jobs', '2'], { implNames: NAMES, cores: 2 })
    const lines = []
    const report = await runMatrix(options, { impls, args: ['--transport', 'tcp'], say: (l) => lines.push(l) })
    assert.ok(lines.some(l => /skipping ts: no peer yet/.test(l)))

    const json = JSON.parse(readFileSync(join(out, 'latest.json'), 'utf8'))
    assert.deepEqual(json, JSON.parse(JSON.stringify(report)))
    assert.equal(json.implementations.ts.state, 'absent')
    assert.equal(json.cells.length, 2 * 2 * 2 * 2) // go, rust as dialer and listener; 2 muxers; 2 scenarios
    for (const cell of json.cells) {
      for (const key of ['dialer', 'listener', 'transport', 'security', 'muxer', 'scenario', 'result', 'reason', 'durationMillis', 'error']) {
        assert.ok(key in cell, `cell lacks ${key}`)
      }
      assert.ok(['go', 'rust'].includes(cell.dialer) && ['go', 'rust'].includes(cell.listener))
      assert.ok(['pass', 'fail', 'unsupported'].includes(cell.result))
      const rustMplex = cell.muxer === 'mplex' && (cell.dialer === 'rust' || cell.listener === 'rust')
      assert.equal(cell.result, rustMplex ? 'unsupported' : 'pass', `${JSON.stringify(cell)}`)
    }
    assert.deepEqual(json.summary, { pass: 10, fail: 0, unsupported: 6 })

    const md = readFileSync(join(out, 'latest.md'), 'utf8')
    assert.match(md, /^# Interop matrix/)
    assert.match(md, /\| dialer -> listener \| tcp\/noise\/yamux \| tcp\/noise\/mplex \|/)
    assert.match(md, /\| go -> rust \| pass \| unsup\. \|/)
    assert.match(md, /`ts`: no peer yet/)
    assert.ok(existsSync(join(out, 'latest.md')))
  })
})
