// Shared helpers of the transport benchmarks: a raw upgrader, a timed
// one-way transfer over a MessageStream-like connection, and a report.

export const CHUNK = 64 * 1024

/** An "upgrader" that returns raw connections: inbound ones go to `onInbound`. */
export function rawUpgrader (onInbound) {
  return {
    upgradeInbound: async (conn) => { onInbound(conn) },
    upgradeOutbound: async (conn) => conn,
    createInboundAbortSignal: (signal) => signal,
    getStreamMuxers: () => new Map(),
    getConnectionEncrypters: () => new Map()
  }
}

/**
 * Sends `total` bytes over a send()/onDrain() connection and counts them on
 * the other end, reading with `for await` or, with `events`, with `message`
 * listeners (how the js-libp2p v3 muxers read a raw connection).
 */
export async function transferMessageStream (sender, receiver, total, { events = false } = {}) {
  const chunk = new Uint8Array(CHUNK).fill(7)
  const start = process.hrtime.bigint()
  const cpu = process.cpuUsage()
  const received = events
    ? new Promise(resolve => {
      let n = 0
      receiver.addEventListener('message', (evt) => {
        n += evt.data.byteLength
        if (n >= total) resolve(n)
      })
    })
    : (async () => {
        let n = 0
        for await (const c of receiver) {
          n += c.byteLength
          if (n >= total) break
        }
        return n
      })()
  for (let sent = 0; sent < total; sent += CHUNK) {
    if (!sender.send(chunk)) {
      await sender.onDrain()
    }
  }
  const n = await received
  if (n < total) throw new Error(`received ${n} of ${total}`)
  return measured(start, cpu, total)
}

/** MiB/s of wall time and CPU-seconds per GiB (both ends run in this process). */
export function measured (start, cpu, total) {
  const secs = Number(process.hrtime.bigint() - start) / 1e9
  const used = process.cpuUsage(cpu)
  const cpuSecs = (used.user + used.system) / 1e6
  return { rate: total / 1024 / 1024 / secs, cpuPerGiB: cpuSecs / (total / 1024 / 1024 / 1024) }
}

export function median (xs) {
  const s = [...xs].sort((a, b) => a - b)
  return s[Math.floor(s.length / 2)]
}

/** Runs each case `rounds` times interleaved, prints MiB/s medians and ratios to `baseline`. */
export async function compare (cases, { rounds, total, baseline }) {
  const results = Object.fromEntries(Object.keys(cases).map(k => [k, []]))
  for (let r = 0; r < rounds; r++) {
    for (const [name, run] of Object.entries(cases)) {
      results[name].push(await run(total))
    }
  }
  const rate = (name) => median(results[name].map(r => r.rate))
  const cpu = (name) => median(results[name].map(r => r.cpuPerGiB))
  console.log(`${total / 1024 / 1024} MiB one way in ${CHUNK / 1024} KiB writes, sender and receiver in one process, ${rounds} rounds interleaved; medians:`)
  console.log(`  ${'case'.padEnd(30)} ${'MiB/s'.padStart(7)} ${'ratio'.padStart(6)}   ${'CPU s/GiB'.padStart(9)} ${'ratio'.padStart(6)}`)
  for (const name of Object.keys(results)) {
    console.log(`  ${name.padEnd(30)} ${rate(name).toFixed(0).padStart(7)} ${(rate(name) / rate(baseline)).toFixed(3).padStart(6)}   ${cpu(name).toFixed(3).padStart(9)} ${(cpu(name) / cpu(baseline)).toFixed(3).padStart(6)}`)
  }
  console.log(`  (ratios against ${baseline}; MiB/s higher is better, CPU s/GiB lower is better)`)
  return results
}
