import { NODE_FLAGS, NODE_FLAGS_HELP, resolveNodeConfig } from './config.js'
import { loadOrCreateIdentity } from './identity.js'
import { createNode } from './stack.js'
import type { NodeFlagValues, ServiceName } from './config.js'
import type { CliNode, CreateNodeOptions } from './stack.js'

/** The node flags of one-shot commands: like `node`'s, without services (the command decides them). */
export const CLIENT_FLAGS = {
  ...NODE_FLAGS,
  timeout: { type: 'string' }
} as const

/** Help lines for {@link CLIENT_FLAGS}. */
export const CLIENT_FLAGS_HELP = [
  ...NODE_FLAGS_HELP.filter(line => !line.startsWith('--services')),
  '--timeout MS         give up after this many milliseconds (default 60000)'
]

/**
 * Starts the short-lived node of a one-shot command (ping, perf, dht, pubsub pub): it listens nowhere unless
 * `--listen` says so, runs the services the command needs, and uses a fresh key unless `--identity` (or the
 * config's `identity`) names a key file. A fresh key by default, because a second process with the same peer
 * id as a running `ts-libp2p node` would be taken by remote peers for that node.
 */
export async function startClient (values: NodeFlagValues, services: ServiceName[], options: CreateNodeOptions = {}): Promise<CliNode> {
  const config = await resolveNodeConfig({ ...values, services: undefined }, { listen: [] })
  config.services = services
  const init: CreateNodeOptions = { ...options }
  if (config.identity != null) init.privateKey = (await loadOrCreateIdentity(config.identity)).privateKey
  return await createNode(config, init)
}
