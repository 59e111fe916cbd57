/**
 * @packageDocumentation
 *
 * The `ts-libp2p` command: run a libp2p node from the ts-libp2p packages, ping and benchmark peers, use the
 * Kademlia DHT and pubsub, and chat. The same commands are available to programs through {@link runCli},
 * with the output written to any streams; the building blocks (config files, identity key files, the node
 * stack) are exported too.
 *
 * @example
 *
 * ```TypeScript
 * import { runCli } from '@ts-libp2p/cli'
 *
 * const code = await runCli(['id', '--json', '--identity', '/tmp/example.key'])
 * ```
 */

export { runCli, COMMANDS, mainHelp } from './cli.js'
export type { RunCliOptions } from './cli.js'
export type { Command, CommandContext } from './command.js'
export { commandHelp } from './command.js'
export { loadConfigFile, checkConfig, resolveNodeConfig, configFromFlags, NODE_FLAGS, NODE_FLAGS_HELP } from './config.js'
export type { NodeConfig, ResolvedNodeConfig, NodeFlagValues, ServiceName, TransportName, EncrypterName, MuxerName } from './config.js'
export { loadOrCreateIdentity, readIdentity, defaultIdentityPath } from './identity.js'
export type { Identity } from './identity.js'
export { createNode, AGENT_VERSION } from './stack.js'
export type { CliNode, CliServices, CreateNodeOptions } from './stack.js'
export { runControl, BASE_OPS } from './control.js'
export type { ControlOp, ControlRequest } from './control.js'
export { Output, processIo, formatBytes, formatBitRate, parseBytes } from './output.js'
export type { CliIo } from './output.js'
export { findRepository } from './commands/repo.js'
export * from './errors.js'
export * from './constants.js'
