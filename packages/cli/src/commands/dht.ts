import { peerIdFromString } from '@ts-libp2p/peer-id'
import { CLIENT_FLAGS, CLIENT_FLAGS_HELP, startClient } from '../client.js'
import { deadline, intFlag } from '../command.js'
import { DEFAULT_COMMAND_TIMEOUT, DHT_NAMESPACE, MAX_DHT_VALUE_SIZE } from '../constants.js'
import { UsageError } from '../errors.js'
import { cidOf, dhtKey, dhtValue, parseCid } from '../services.js'
import type { Command } from '../command.js'
import type { CliNode } from '../stack.js'

const SUBCOMMANDS = ['put', 'get', 'provide', 'find-providers', 'find-peer'] as const

/** Milliseconds between two looks at the routing table while waiting for the first peer. */
const POLL_INTERVAL = 50

/** Waits until the node's DHT routing table has a peer (the bootstrap peers were dialed and identified). */
export async function waitForRoutingTable (node: CliNode, signal: AbortSignal): Promise<void> {
  const dht = node.services.dht!
  while (dht.routingTable.size === 0) {
    if (signal.aborted) throw new Error('no DHT peer joined the routing table in time: are the --bootstrap peers DHT servers, reachable, and is --private-addresses set for loopback or LAN addresses?')
    await new Promise(resolve => setTimeout(resolve, POLL_INTERVAL))
  }
}

function one (positionals: string[], what: string): string {
  if (positionals.length !== 1) throw new UsageError(`give exactly one ${what}`)
  return positionals[0]
}

/** `ts-libp2p dht ...`: one Kademlia DHT operation through a short-lived client node. */
export const dhtCommand: Command = {
  name: 'dht',
  summary: 'Kademlia DHT operations: put, get, provide, find-providers, find-peer',
  usage: [
    'dht put [options] <key> <value>',
    'dht get [options] <key>',
    'dht provide [options] <cid> | --content TEXT',
    'dht find-providers [options] <cid>',
    'dht find-peer [options] <peer id>'
  ],
  description: 'Starts a DHT client node, joins the DHT through the --bootstrap peers (at least one is needed, by flag or\n' +
    `config), runs one operation and stops. A key without a leading / is put under /${DHT_NAMESPACE}/, a namespace every\n` +
    `ts-libp2p node accepts values of up to ${MAX_DHT_VALUE_SIZE} bytes in; other namespaces need a validator on the nodes that\n` +
    'store them (/pk/ and /ipns/ are built in). A provider record names this command\'s own peer, which is gone once the\n' +
    'command ends: provide from a node that stays up (`ts-libp2p node --control`) for a useful record.\n' +
    'On 127.0.0.1 or a LAN, add --private-addresses (the DHT drops private addresses by default).',
  options: { ...CLIENT_FLAGS, content: { type: 'string' } },
  optionsHelp: ['--content TEXT       provide: the CID of this text (CIDv1, raw, sha2-256) instead of a CID argument', ...CLIENT_FLAGS_HELP],
  async run ({ output, values, positionals, signal }) {
    const [sub, ...args] = positionals
    if (sub == null || !(SUBCOMMANDS as readonly string[]).includes(sub)) throw new UsageError(`dht: give a subcommand: ${SUBCOMMANDS.join(', ')}`)
    // check the arguments before starting anything
    let run: (node: CliNode, signal: AbortSignal) => Promise<void>
    const dht = (node: CliNode): NonNullable<CliNode['services']['dht']> => node.services.dht!
    const encoder = new TextEncoder()
    if (sub === 'put') {
      if (args.length !== 2) throw new UsageError('dht put: give a key and a value')
      const key = dhtKey(args[0])
      const value = dhtValue(args[1])
      run = async (node, signal) => {
        let accepted: number | undefined
        await dht(node).put(encoder.encode(key), value, { signal, onProgress: (evt: any) => { if (evt.type === 'kad-dht:put:done') accepted = evt.detail?.accepted } })
        output.result(`stored ${key} on ${accepted ?? 'some'} peer(s)`, { event: 'put', key, peers: accepted })
      }
    } else if (sub === 'get') {
      const key = dhtKey(one(args, 'key'))
      run = async (node, signal) => {
        const value = new TextDecoder().decode(await dht(node).get(encoder.encode(key), { signal }))
        output.result(value, { event: 'get', key, value })
      }
    } else if (sub === 'provide') {
      const content = values.content as string | undefined
      if (content == null && args.length !== 1) throw new UsageError('dht provide: give a CID or --content TEXT')
      const cid = content != null ? await cidOf(content) : parseCid(args[0])
      run = async (node, signal) => {
        await dht(node).provide(cid, { signal })
        output.result(`providing ${cid.toString()} as ${node.peerId.toString()}`, { event: 'provide', cid: cid.toString(), provider: node.peerId.toString() })
      }
    } else if (sub === 'find-providers') {
      const cid = parseCid(one(args, 'CID'))
      run = async (node, signal) => {
        let count = 0
        for await (const provider of dht(node).findProviders(cid, { signal })) {
          count++
          output.result(`${provider.id.toString()} ${provider.multiaddrs.map(String).join(' ')}`, { event: 'provider', cid: cid.toString(), peer: provider.id.toString(), multiaddrs: provider.multiaddrs.map(String) })
        }
        output.result(`${count} provider(s) of ${cid.toString()}`, { event: 'summary', cid: cid.toString(), providers: count })
        if (count === 0) throw Object.assign(new Error(`no provider of ${cid.toString()} found`), { name: 'NotFoundError' })
      }
    } else {
      const text = one(args, 'peer id')
      let peer: ReturnType<typeof peerIdFromString>
      try { peer = peerIdFromString(text) } catch (err: any) { throw new UsageError(`"${text}" is not a peer id: ${err.message}`) }
      run = async (node, signal) => {
        const info = await dht(node).findPeer(peer, { signal })
        output.result(`${info.id.toString()}\n${info.multiaddrs.map(a => `  ${a.toString()}`).join('\n')}`, { event: 'peer', peer: info.id.toString(), multiaddrs: info.multiaddrs.map(String) })
      }
    }

    const timeout = intFlag(values, 'timeout', DEFAULT_COMMAND_TIMEOUT, 1, 2 ** 31 - 1)
    const { signal: done, clear } = deadline(signal, timeout)
    const flags = { ...values }
    if (flags['dht-mode'] == null) flags['dht-mode'] = 'client'
    if ((values.bootstrap == null || values.bootstrap.length === 0) && values.config == null && values.mdns !== true) {
      throw new UsageError('dht: give at least one --bootstrap peer (or a --config with bootstrap peers, or --mdns) to join the DHT')
    }
    const node = await startClient(flags, ['identify', 'dht'])
    try {
      await waitForRoutingTable(node, done)
      await run(node, done)
    } finally {
      clear()
      await node.stop()
    }
  }
}
