import { CLIENT_FLAGS, CLIENT_FLAGS_HELP, startClient } from '../client.js'
import { deadline, intFlag } from '../command.js'
import { DEFAULT_COMMAND_TIMEOUT, MAX_PUBSUB_MESSAGE_SIZE } from '../constants.js'
import { UsageError } from '../errors.js'
import { dialDiscoveredPeers, printNodeEvents } from '../events.js'
import { printPubsubMessages } from '../services.js'
import type { Command } from '../command.js'
import type { CliNode } from '../stack.js'

/** Milliseconds between two looks at the topic's subscribers while waiting for one. */
const POLL_INTERVAL = 50

/** Waits until some peer we are connected to is subscribed to `topic`. */
export async function waitForSubscriber (node: CliNode, topic: string, signal: AbortSignal): Promise<void> {
  const pubsub = node.services.pubsub!
  while (pubsub.getSubscribers(topic).length === 0) {
    if (signal.aborted) throw Object.assign(new Error(`no peer subscribed to "${topic}" was found in time: connect to a subscriber, or to a node that subscribes to the topic too (\`ts-libp2p node --topic ${topic}\`), since gossipsub peers only relay topics they are subscribed to`), { name: 'NoSubscribersError' })
    await new Promise(resolve => setTimeout(resolve, POLL_INTERVAL))
  }
}

/** `ts-libp2p pubsub sub|pub`: gossipsub from the command line. */
export const pubsubCommand: Command = {
  name: 'pubsub',
  summary: 'Gossipsub: subscribe to a topic and print its messages, or publish one message',
  usage: ['pubsub sub [options] <topic>', 'pubsub pub [options] <topic> <message>'],
  description: '`sub` runs a node subscribed to the topic and prints each message (author, data) until Ctrl-C.\n' +
    '`pub` starts a node, waits until a peer subscribed to the topic is connected (through --bootstrap, or\n' +
    '--mdns), publishes the message, reports how many peers it was sent to, and stops.\n' +
    `Messages are text, at most ${MAX_PUBSUB_MESSAGE_SIZE} bytes.`,
  options: { ...CLIENT_FLAGS },
  optionsHelp: CLIENT_FLAGS_HELP,
  async run ({ output, values, positionals, signal }) {
    const [sub, topic, ...rest] = positionals
    if (sub !== 'sub' && sub !== 'pub') throw new UsageError('pubsub: give a subcommand: sub or pub')
    if (topic == null || topic === '') throw new UsageError(`pubsub ${sub}: give a topic`)
    if (sub === 'sub') {
      if (rest.length > 0) throw new UsageError('pubsub sub: give only a topic')
      const node = await startClient(values, ['identify', 'pubsub'])
      const stopEvents = printNodeEvents(node, output)
      const stopDialing = dialDiscoveredPeers(node)
      const stopMessages = printPubsubMessages(node, output, (m) => `${String(m.from ?? 'anonymous')}: ${String(m.data)}`)
      try {
        node.services.pubsub!.subscribe(topic)
        output.result(`subscribed to "${topic}" as ${node.peerId.toString()}${node.getMultiaddrs().length > 0 ? ` on ${node.getMultiaddrs().map(String).join(' ')}` : ''}`,
          { event: 'subscribed', topic, peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })
        await new Promise<void>(resolve => {
          if (signal.aborted) resolve()
          else signal.addEventListener('abort', () => { resolve() }, { once: true })
        })
      } finally {
        stopEvents()
        stopDialing()
        stopMessages()
        await node.stop()
      }
      return
    }
    if (rest.length !== 1) throw new UsageError('pubsub pub: give a topic and one message (quote it)')
    const data = new TextEncoder().encode(rest[0])
    if (data.byteLength > MAX_PUBSUB_MESSAGE_SIZE) throw new UsageError(`a message is at most ${MAX_PUBSUB_MESSAGE_SIZE} bytes`)
    const timeout = intFlag(values, 'timeout', DEFAULT_COMMAND_TIMEOUT, 1, 2 ** 31 - 1)
    const { signal: done, clear } = deadline(signal, timeout)
    const node = await startClient(values, ['identify', 'pubsub'])
    const stopDialing = dialDiscoveredPeers(node)
    try {
      await waitForSubscriber(node, topic, done)
      const result = await node.services.pubsub!.publish(topic, data)
      output.result(`published to "${topic}": sent to ${result.recipients.length} peer(s)`, { event: 'published', topic, recipients: result.recipients.map(String) })
    } finally {
      clear()
      stopDialing()
      await node.stop()
    }
  }
}
