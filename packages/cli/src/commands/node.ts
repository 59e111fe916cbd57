import { NODE_FLAGS, NODE_FLAGS_HELP, resolveNodeConfig } from '../config.js'
import { BASE_OPS, runControl } from '../control.js'
import { dialDiscoveredPeers, printNodeEvents } from '../events.js'
import { defaultIdentityPath, loadOrCreateIdentity } from '../identity.js'
import { printPubsubMessages, serviceOps } from '../services.js'
import { createNode } from '../stack.js'
import { UsageError } from '../errors.js'
import type { Command } from '../command.js'

/** `ts-libp2p node`: runs a node until interrupted, printing its connections and events. */
export const nodeCommand: Command = {
  name: 'node',
  summary: 'Run a node: listen, bootstrap, serve the chosen services and print connections and events live',
  usage: ['node [options]'],
  description: 'Runs until Ctrl-C (SIGINT) or SIGTERM, then stops cleanly. The first output line (with --json: the\n' +
    '"listening" record) carries the peer id and the addresses the node listens on.\n\n' +
    'With --control the node also reads JSON requests from stdin, one per line, and answers each with a JSON\n' +
    'line {"reply": <id>, "ok": true, "result": ...}; it stops when stdin ends. Requests: {"id":1,"op":"status"},\n' +
    '{"op":"dial","target":MA}, {"op":"ping","target":MA|ID}, {"op":"perf","target":..,"uploadBytes":N,\n' +
    '"downloadBytes":N}, {"op":"peer","peer":ID}, {"op":"stop"}. DHT: dht-status, dht-put {key,value}, dht-get {key},\n' +
    'dht-provide {cid|content}, dht-find-providers {cid}, dht-find-peer {peer}. Pubsub: pubsub-subscribe and\n' +
    'pubsub-unsubscribe {topic}, pubsub-publish {topic,data}, pubsub-status {topic}; messages print as they arrive.',
  options: { ...NODE_FLAGS, control: { type: 'boolean' }, topic: { type: 'string', multiple: true } },
  optionsHelp: [
    ...NODE_FLAGS_HELP,
    '--topic TOPIC        subscribe to this pubsub topic (repeatable; turns pubsub on): print its messages and\n' +
    '                     relay it (gossipsub peers only relay the topics they are subscribed to)',
    '--control            read JSON requests on stdin (see above); stop when stdin ends'
  ],
  async run ({ io, output, values, signal }) {
    const config = await resolveNodeConfig(values)
    const topics: string[] = values.topic ?? []
    if (topics.some(t => t === '')) throw new UsageError('--topic is not empty')
    if (topics.length > 0 && !config.services.includes('pubsub')) config.services.push('pubsub')
    const identity = await loadOrCreateIdentity(config.identity ?? defaultIdentityPath(io.env))
    const node = await createNode(config, { privateKey: identity.privateKey })
    const stopEvents = printNodeEvents(node, output)
    const stopDialing = dialDiscoveredPeers(node)
    const stopMessages = printPubsubMessages(node, output, (m) => `> ${String(m.topic)} from ${String(m.from ?? 'anonymous')}: ${String(m.data)}`)
    try {
      for (const topic of topics) node.services.pubsub!.subscribe(topic)
      const addrs = node.getMultiaddrs().map(String)
      output.result([
        `peer id ${node.peerId.toString()}${identity.created ? ` (new key in ${identity.path})` : ''}`,
        `services: ${config.services.join(', ') || 'none'}${config.mdns ? ', mdns' : ''}`,
        ...(topics.length > 0 ? [`topics: ${topics.join(', ')}`] : []),
        ...(addrs.length > 0 ? ['listening on', ...addrs.map(a => `  ${a}`)] : ['not listening']),
        ...(config.bootstrap.length > 0 ? ['bootstrap peers', ...config.bootstrap.map(a => `  ${a}`)] : [])
      ].join('\n'), {
        event: 'listening', peerId: node.peerId.toString(), addrs, services: config.services, topics, mdns: config.mdns, bootstrap: config.bootstrap, identityFile: identity.path
      })
      if (values.control === true) {
        await runControl(node, io.stdin, output, { ...BASE_OPS, ...serviceOps(node) }, signal)
      } else {
        await new Promise<void>(resolve => {
          if (signal.aborted) resolve()
          else signal.addEventListener('abort', () => { resolve() }, { once: true })
        })
      }
    } finally {
      stopEvents()
      stopDialing()
      stopMessages()
      output.say('stopping')
      await node.stop()
      output.result(undefined, { event: 'stopped' })
    }
  }
}
