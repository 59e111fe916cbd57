import { commandHelp, parseCommandArgs } from './command.js'
import { benchCommand, interopCommand } from './commands/repo.js'
import { chatCommand } from './commands/chat.js'
import { dhtCommand } from './commands/dht.js'
import { idCommand } from './commands/id.js'
import { nodeCommand } from './commands/node.js'
import { perfCommand } from './commands/perf.js'
import { pingCommand } from './commands/ping.js'
import { pubsubCommand } from './commands/pubsub.js'
import { EXIT_FAILURE, EXIT_USAGE } from './constants.js'
import { UsageError } from './errors.js'
import { Output, processIo } from './output.js'
import type { Command } from './command.js'
import type { CliIo } from './output.js'

/** Every command, in the order `ts-libp2p --help` lists them. */
export const COMMANDS: Command[] = [idCommand, nodeCommand, pingCommand, perfCommand, dhtCommand, pubsubCommand, chatCommand, interopCommand, benchCommand]

/** The top-level help. */
export function mainHelp (commands: Command[] = COMMANDS): string {
  const width = Math.max(...commands.map(c => c.name.length))
  return [
    'Usage: ts-libp2p <command> [options]',
    '',
    'A libp2p node and tools, from the ts-libp2p packages.',
    '',
    'Commands:',
    ...commands.map(c => `  ${c.name.padEnd(width)}  ${c.summary}`),
    '',
    '`ts-libp2p <command> --help` shows a command\'s options. Node options may also come from a JSON file',
    '(--config FILE); the identity key lives in $XDG_CONFIG_HOME/ts-libp2p/identity.key (or ~/.config/...).',
    'Debug logs: DEBUG=ts-libp2p:* ts-libp2p ...'
  ].join('\n') + '\n'
}

/** Options of {@link runCli}. */
export interface RunCliOptions {
  /** Where to read and write; the process's streams by default. */
  io?: CliIo
  /** Stops long-running commands (the bin aborts it on SIGINT and SIGTERM). */
  signal?: AbortSignal
  /** The commands (tests may add some); {@link COMMANDS} by default. */
  commands?: Command[]
}

/**
 * Runs one `ts-libp2p` command line (without the program name) and resolves with the exit code: 0 success,
 * 1 the command failed, 2 a usage error. Errors are printed on stderr (as a JSON line with `--json`).
 */
export async function runCli (argv: string[], options: RunCliOptions = {}): Promise<number> {
  const io = options.io ?? processIo()
  const commands = options.commands ?? COMMANDS
  const signal = options.signal ?? new AbortController().signal
  const [name, ...rest] = argv
  if (name == null || name === '--help' || name === '-h' || name === 'help') {
    const topic = name === 'help' ? commands.find(c => c.name === rest[0]) : undefined
    io.stdout.write(topic != null ? commandHelp(topic) : mainHelp(commands))
    return name == null ? EXIT_USAGE : 0
  }
  if (name === '--version' || name === 'version') {
    io.stdout.write('ts-libp2p 0.1.0\n')
    return 0
  }
  const command = commands.find(c => c.name === name)
  const json = rest.includes('--json')
  const output = new Output(io, json && command?.passThrough !== true)
  try {
    if (command == null) throw new UsageError(`unknown command "${name}" (see ts-libp2p --help)`)
    if (command.passThrough === true) {
      if (rest[0] === '--help' || rest[0] === '-h') { io.stdout.write(commandHelp(command)); return 0 }
      return (await command.run({ io, output, signal, values: {}, positionals: rest[0] === '--' ? rest.slice(1) : rest })) ?? 0
    }
    const { values, positionals } = parseCommandArgs(command, rest)
    if (values.help === true) { io.stdout.write(commandHelp(command)); return 0 }
    return (await command.run({ io, output, signal, values, positionals })) ?? 0
  } catch (err: any) {
    const usage = err instanceof UsageError
    if (output.json) io.stderr.write(JSON.stringify({ event: 'error', error: { name: err.name, message: err.message } }) + '\n')
    else io.stderr.write(`ts-libp2p ${name}: ${usage ? '' : `${String(err.name)}: `}${String(err.message)}\n`)
    if (usage && command != null && !output.json) io.stderr.write(`(ts-libp2p ${command.name} --help shows the options)\n`)
    return usage ? EXIT_USAGE : EXIT_FAILURE
  }
}
