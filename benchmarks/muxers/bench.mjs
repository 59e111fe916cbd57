// Muxer benchmark: ours (@ts-libp2p/yamux, @ts-libp2p/mplex) against the
// official js muxers (@chainsafe/libp2p-yamux 8, @libp2p/mplex 12), measured
// in the same run over the same in-memory pair and loopback TCP socket wrapper.
//
//   npm run build (or npx tsc -b packages/yamux packages/mplex), then
//   node --import ./scripts/polyfill-with-resolvers.mjs benchmarks/muxers/bench.mjs [--quick] [--memory|--tcp] [--yamux|--mplex]
//
// For each muxer: single-stream throughput (one stream, 64 KiB writes, the
// receiver counts bytes), 100-stream aggregate throughput (100 concurrent
// streams, 64 KiB writes) and stream opens/s (open, 1-byte echo, close;
// 50 at a time). Each figure is the median of RUNS runs; CPU ms per MiB
// (process.cpuUsage, both ends: they share the process) for the throughputs.
// --memory-scope adds 'ts-libp2p yamux+scope' / 'ts-libp2p mplex+scope':
// the same muxers charging buffered bytes to a counting memory scope (what a
// node's upgrader passes), interleaved with the others in the same run.
import { yamux as officialYamux } from '@chainsafe/libp2p-yamux'
import { mplex as officialMplex } from '@libp2p/mplex'
import { multiaddrConnectionPair, socketPair } from '@ts-libp2p/test-utils'
import { defaultLogger } from '@ts-libp2p/utils'
import { yamux } from '../../packages/yamux/dist/src/index.js'

const quick = process.argv.includes('--quick')
const transports = process.argv.includes('--memory') ? ['memory'] : process.argv.includes('--tcp') ? ['tcp'] : ['memory', 'tcp']
const only = process.argv.includes('--yamux') ? 'yamux' : process.argv.includes('--mplex') ? 'mplex' : ''
const RUNS = quick ? 1 : 5
const SINGLE_BYTES = (quick ? 64 : 256) * 1024 * 1024
const MULTI_STREAMS = 100
const MULTI_BYTES_PER_STREAM = (quick ? 512 : 2048) * 1024
const OPENS = quick ? 500 : 2000
const CHUNK = 64 * 1024

const withScope = process.argv.includes('--memory-scope')
/** A memory scope that counts (no limit): the accounting work without a refusal. */
const countingScope = () => ({ used: 0, reserveMemory (n) { this.used += n }, releaseMemory (n) { this.used -= n } })
/** The factory, with its muxers given a memory scope of their own. */
const scoped = (factory) => () => { const f = factory(); return { ...f, createStreamMuxer: (c) => f.createStreamMuxer(c, { memoryScope: countingScope() }) } }

const muxers = [
  ['ts-libp2p yamux', () => yamux()({ logger: defaultLogger() })],
  ['official yamux', () => officialYamux()()]
]
if (withScope) muxers.splice(1, 0, ['ts-libp2p yamux+scope', scoped(() => yamux()({ logger: defaultLogger() }))])
try {
  const { mplex } = await import('../../packages/mplex/dist/src/index.js')
  muxers.push(['ts-libp2p mplex', () => mplex()({ logger: defaultLogger() })])
  if (withScope) muxers.push(['ts-libp2p mplex+scope', scoped(() => mplex()({ logger: defaultLogger() }))])
} catch {}
// the official mplex closes connections on more than 5 new streams per second and on more
// than 4 MiB of undecoded input by default: raise both so it can run the benchmark at all
muxers.push(['official mplex', () => officialMplex({ disconnectThreshold: 1_000_000, maxUnprocessedMessageQueueSize: 256 * 1024 * 1024 })()])

async function memoryPair () {
  const [outbound, inbound] = multiaddrConnectionPair({ maxInFlightBytes: 4 * 1024 * 1024 })
  return { outbound, inbound, async stop () {} }
}

let transport = 'tcp'

async function setup (factory) {
  const pair = transport === 'tcp' ? await socketPair() : await memoryPair()
  const dialer = factory().createStreamMuxer(pair.outbound)
  const listener = factory().createStreamMuxer(pair.inbound)
  return { pair, dialer, listener }
}

async function teardown ({ pair, dialer, listener }) {
  await dialer.close({ signal: AbortSignal.timeout(2000) }).catch(() => {})
  await listener.close({ signal: AbortSignal.timeout(2000) }).catch(() => {})
  await pair.stop()
}

async function sink (stream) {
  let n = 0
  for await (const chunk of stream) {
    n += chunk.byteLength
  }
  await stream.close().catch(() => {})
  return n
}

async function write (stream, bytes) {
  const chunk = new Uint8Array(CHUNK).fill(7)
  for (let sent = 0; sent < bytes; sent += CHUNK) {
    if (!stream.send(chunk)) {
      await stream.onDrain()
    }
  }
  await stream.close()
}

/** CPU ms per MiB of the last throughput() run (both ends). */
let lastCpuPerMiB = 0

/** MiB/s moved from dialer to listener over `streams` concurrent streams. */
async function throughput (factory, streams, bytesPerStream) {
  const env = await setup(factory)
  const received = []
  env.listener.addEventListener('stream', (evt) => { received.push(sink(evt.detail)) })
  const cpu = process.cpuUsage()
  const start = process.hrtime.bigint()
  await Promise.all(Array.from({ length: streams }, async () => {
    const stream = await env.dialer.createStream()
    const reading = sink(stream)
    await write(stream, bytesPerStream)
    await reading
  }))
  const total = (await Promise.all(received)).reduce((a, b) => a + b, 0)
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  const used = process.cpuUsage(cpu)
  lastCpuPerMiB = (used.user + used.system) / 1000 / (total / 1024 / 1024)
  await teardown(env)
  if (total !== streams * bytesPerStream) {
    throw new Error(`received ${total} of ${streams * bytesPerStream} bytes`)
  }
  return total / 1024 / 1024 / seconds
}

/** Streams opened, echoed 1 byte on and closed per second, 50 at a time. */
async function opens (factory, count) {
  const env = await setup(factory)
  env.listener.addEventListener('stream', (evt) => {
    const stream = evt.detail
    void (async () => {
      for await (const chunk of stream) {
        stream.send(chunk)
      }
      await stream.close()
    })().catch(() => {})
  })
  const start = process.hrtime.bigint()
  for (let done = 0; done < count; done += 50) {
    await Promise.all(Array.from({ length: 50 }, async () => {
      const stream = await env.dialer.createStream()
      stream.send(Uint8Array.of(1))
      await stream.close()
      let n = 0
      for await (const chunk of stream) {
        n += chunk.byteLength
      }
      if (n !== 1) {
        throw new Error('echo failed')
      }
    }))
  }
  const seconds = Number(process.hrtime.bigint() - start) / 1e9
  await teardown(env)
  return count / seconds
}

function median (values) {
  const sorted = [...values].sort((a, b) => a - b)
  return sorted[Math.floor(sorted.length / 2)]
}

for (transport of transports) {
  console.log(`\n== ${transport === 'tcp' ? 'loopback TCP (node:net, one process)' : 'in-memory pair (@ts-libp2p/test-utils, 4 MiB in flight)'}`)
  const selected = muxers.filter(([name]) => name.includes(only))
  const samples = Object.fromEntries(selected.map(([name]) => [name, { single: [], multi: [], opens: [], singleCpu: [], multiCpu: [] }]))
  const failed = {}
  // runs are interleaved across muxers so that load from elsewhere on the machine hits all of them alike
  for (let run = 0; run < RUNS; run++) {
    for (const [name, factory] of selected) {
      if (failed[name] != null) continue
      try {
        samples[name].single.push(await throughput(factory, 1, SINGLE_BYTES))
        samples[name].singleCpu.push(lastCpuPerMiB)
        samples[name].multi.push(await throughput(factory, MULTI_STREAMS, MULTI_BYTES_PER_STREAM))
        samples[name].multiCpu.push(lastCpuPerMiB)
        samples[name].opens.push(await opens(factory, OPENS))
      } catch (err) {
        failed[name] = err
      }
    }
  }
  const results = {}
  for (const [name] of selected) {
    if (failed[name] != null) {
      console.log(`${name.padEnd(16)} failed: ${failed[name]?.stack ?? failed[name]}`)
      continue
    }
    results[name] = { single: median(samples[name].single), multi: median(samples[name].multi), opens: median(samples[name].opens), singleCpu: median(samples[name].singleCpu), multiCpu: median(samples[name].multiCpu) }
    console.log(`${name.padEnd(16)} cpu ms/MiB single ${results[name].singleCpu.toFixed(3)} 100 streams ${results[name].multiCpu.toFixed(3)}`)
    console.log(`${name.padEnd(16)} single ${results[name].single.toFixed(0).padStart(6)} MiB/s   100 streams ${results[name].multi.toFixed(0).padStart(6)} MiB/s   opens ${results[name].opens.toFixed(0).padStart(6)}/s   (single runs: ${samples[name].single.map(v => v.toFixed(0)).join(', ')})`)
  }
  const ratio = (a, b) => {
    if (results[a] == null || results[b] == null) return
    console.log(`${a} / ${b}: single ${(results[a].single / results[b].single).toFixed(2)}x, 100 streams ${(results[a].multi / results[b].multi).toFixed(2)}x, opens ${(results[a].opens / results[b].opens).toFixed(2)}x`)
  }
  ratio('ts-libp2p yamux', 'official yamux')
  ratio('ts-libp2p mplex', 'official mplex')
  const cpuRatio = (a, b) => {
    if (results[a] == null || results[b] == null) return
    console.log(`${a} / ${b}: cpu per MiB single ${(results[a].singleCpu / results[b].singleCpu).toFixed(3)}x, 100 streams ${(results[a].multiCpu / results[b].multiCpu).toFixed(3)}x; MiB/s single ${(results[a].single / results[b].single).toFixed(3)}x, 100 streams ${(results[a].multi / results[b].multi).toFixed(3)}x`)
  }
  cpuRatio('ts-libp2p yamux+scope', 'ts-libp2p yamux')
  cpuRatio('ts-libp2p mplex+scope', 'ts-libp2p mplex')
}
console.log(`\nnode ${process.version}, ${RUNS} run(s) each, medians; single stream ${SINGLE_BYTES / 1024 / 1024} MiB, ${MULTI_STREAMS} streams x ${MULTI_BYTES_PER_STREAM / 1024} KiB, ${OPENS} opens (1-byte echo, 50 at a time); 64 KiB writes`)
process.exit(0)
