import { CLIENT_FLAGS, CLIENT_FLAGS_HELP, startClient } from '../client.js'
import { deadline, intFlag } from '../command.js'
import { DEFAULT_COMMAND_TIMEOUT, DEFAULT_PING_COUNT, DEFAULT_PING_INTERVAL, MAX_PING_COUNT } from '../constants.js'
import { UsageError } from '../errors.js'
import { parseTarget } from '../target.js'
import type { Command } from '../command.js'

/** `ts-libp2p ping <multiaddr>`: round-trip times to a peer over /ipfs/ping/1.0.0. */
export const pingCommand: Command = {
  name: 'ping',
  summary: 'Measure round-trip times to a peer with the ping protocol (/ipfs/ping/1.0.0)',
  usage: ['ping [options] <multiaddr>'],
  description: 'Dials the peer (the multiaddr should end in /p2p/<peer id>), pings it --count times, one ping per\n' +
    '--interval ms, printing each RTT, then the minimum, average and maximum. Exit code 1 when no ping succeeded.',
  options: { ...CLIENT_FLAGS, count: { type: 'string', short: 'c' }, interval: { type: 'string', short: 'i' } },
  optionsHelp: [
    `-c, --count N        pings to send (default ${DEFAULT_PING_COUNT})`,
    `-i, --interval MS    milliseconds between pings (default ${DEFAULT_PING_INTERVAL})`,
    ...CLIENT_FLAGS_HELP
  ],
  async run ({ output, values, positionals, signal }) {
    if (positionals.length !== 1) throw new UsageError('ping: give exactly one multiaddr')
    const target = parseTarget(positionals[0])
    const count = intFlag(values, 'count', DEFAULT_PING_COUNT, 1, MAX_PING_COUNT)
    const interval = intFlag(values, 'interval', DEFAULT_PING_INTERVAL, 0, 60_000)
    const timeout = intFlag(values, 'timeout', DEFAULT_COMMAND_TIMEOUT, 1, 2 ** 31 - 1)
    const { signal: done, clear } = deadline(signal, timeout)
    const node = await startClient(values, ['identify', 'ping'])
    const rtts: number[] = []
    let failures = 0
    try {
      for (let seq = 1; seq <= count && !done.aborted; seq++) {
        try {
          const rtt = await node.services.ping!.ping(target as any, { signal: done })
          rtts.push(rtt)
          output.result(`pong from ${String(positionals[0])}: seq=${seq} time=${rtt.toFixed(2)} ms`, { event: 'pong', seq, rtt })
        } catch (err: any) {
          if (done.aborted && rtts.length + failures > 0) break
          failures++
          output.result(`ping seq=${seq} failed: ${String(err.name)}: ${String(err.message)}`, { event: 'error', seq, error: { name: err.name, message: err.message } })
        }
        if (seq < count && interval > 0) await sleep(interval, done)
      }
    } finally {
      clear()
      await node.stop()
    }
    const sent = rtts.length + failures
    const min = rtts.length > 0 ? Math.min(...rtts) : undefined
    const max = rtts.length > 0 ? Math.max(...rtts) : undefined
    const avg = rtts.length > 0 ? rtts.reduce((a, b) => a + b, 0) / rtts.length : undefined
    output.result(`${sent} pings, ${rtts.length} answered` + (avg != null ? `, rtt min/avg/max = ${min!.toFixed(2)}/${avg.toFixed(2)}/${max!.toFixed(2)} ms` : ''),
      { event: 'summary', sent, received: rtts.length, min, avg, max })
    return rtts.length > 0 ? 0 : 1
  }
}

async function sleep (ms: number, signal: AbortSignal): Promise<void> {
  await new Promise<void>(resolve => {
    const timer = setTimeout(done, ms)
    function done (): void { clearTimeout(timer); signal.removeEventListener('abort', done); resolve() }
    signal.addEventListener('abort', done, { once: true })
  })
}
