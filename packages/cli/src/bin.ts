#!/usr/bin/env node
// The `ts-libp2p` executable: runs the command line and exits with its code. The first SIGINT or SIGTERM
// asks the command to stop cleanly (nodes stop, streams close); a second one exits at once.
import { runCli } from './cli.js'

const controller = new AbortController()
let interrupts = 0
for (const sig of ['SIGINT', 'SIGTERM'] as const) {
  process.on(sig, () => {
    if (++interrupts > 1) process.exit(130)
    controller.abort(new Error(`interrupted by ${sig}`))
  })
}
const code = await runCli(process.argv.slice(2), { signal: controller.signal })
process.exitCode = code
// a command that resolved has stopped its node; nothing should be left, but never hang on a stray handle
setTimeout(() => process.exit(code), 2000).unref()
