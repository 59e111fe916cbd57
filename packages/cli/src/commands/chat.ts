import { ChatRoom } from '../chat/room.js'
import { ChatScreen } from '../chat/screen.js'
import { dialDiscoveredPeers } from '../events.js'
import { NODE_FLAGS, NODE_FLAGS_HELP, resolveNodeConfig } from '../config.js'
import { DEFAULT_CHAT_ROOM, MAX_CHAT_MESSAGE_SIZE } from '../constants.js'
import { UsageError } from '../errors.js'
import { loadOrCreateIdentity } from '../identity.js'
import { createNode } from '../stack.js'
import type { ChatLine, ChatMember } from '../chat/room.js'
import type { Command } from '../command.js'
import type { CreateNodeOptions } from '../stack.js'

const HELP_LINE = 'commands: /nick NAME, /peers, /quit (or Ctrl-C)'

/** `ts-libp2p chat`: peer-to-peer chat rooms over gossipsub. */
export const chatCommand: Command = {
  name: 'chat',
  summary: 'Chat rooms over gossipsub, peers found by mDNS or a bootstrap address, with a terminal UI',
  usage: ['chat [options]'],
  description: 'Joins a room (a gossipsub topic) and shows the conversation with the room\'s members on the right and an\n' +
    'input line at the bottom. Peers are found on the local network with --mdns, or through --bootstrap\n' +
    'addresses (the title bar shows this chat\'s own address, to give to the other side). With stdin not a\n' +
    'terminal, --plain or --json, it reads lines from stdin and prints one line per event instead.\n' +
    HELP_LINE + '. A fresh key is used unless --identity is given, so two chats on one machine are two peers.',
  options: { ...NODE_FLAGS, room: { type: 'string', short: 'r' }, nick: { type: 'string', short: 'n' }, plain: { type: 'boolean' } },
  optionsHelp: [
    `-r, --room NAME      the room (default ${DEFAULT_CHAT_ROOM})`,
    '-n, --nick NAME      your nickname (default $USER)',
    '--plain              line mode even on a terminal',
    ...NODE_FLAGS_HELP.filter(line => !line.startsWith('--services'))
  ],
  async run ({ io, output, values, signal }) {
    const room = values.room ?? DEFAULT_CHAT_ROOM
    if (typeof room !== 'string' || room === '' || room.length > 100) throw new UsageError('--room is a name of 1 to 100 characters')
    const config = await resolveNodeConfig({ ...values, services: undefined }, { listen: ['/ip4/0.0.0.0/tcp/0'] })
    config.services = ['identify', 'ping', 'pubsub']
    const init: CreateNodeOptions = {}
    if (config.identity != null) init.privateKey = (await loadOrCreateIdentity(config.identity)).privateKey
    const node = await createNode(config, init)
    const stopDialing = dialDiscoveredPeers(node)
    const chat = new ChatRoom(node, room, values.nick ?? io.env.USER ?? `anon-${node.peerId.toString().slice(-4)}`)
    const address = node.getMultiaddrs()[0]?.toString() ?? '(not listening)'
    const title = (): string => `ts-libp2p chat · room ${room} · you: ${chat.nick} · ${address}`
    const tui = io.stdout.isTTY === true && (io.stdin as any).isTTY === true && values.plain !== true && !output.json

    let quit!: () => void
    const quitting = new Promise<void>(resolve => { quit = resolve })
    if (signal.aborted) quit()
    signal.addEventListener('abort', () => { quit() }, { once: true })

    const handleInput = (text: string): void => {
      const line = text.trim()
      if (line === '/quit') { quit(); return }
      if (line.startsWith('/nick ')) { chat.setNick(line.slice(6)); if (screen != null) screen.setTitle(title()); return }
      if (line === '/peers') {
        const members = chat.members()
        show({ kind: 'notice', text: members.length === 0 ? 'nobody else is here' : `here: ${members.map(m => `${m.nick ?? '?'} (${m.peerId})`).join(', ')}`, time: new Date() })
        return
      }
      if (line.startsWith('/')) { show({ kind: 'notice', text: HELP_LINE, time: new Date() }); return }
      if (new TextEncoder().encode(line).byteLength > MAX_CHAT_MESSAGE_SIZE - 200) { show({ kind: 'notice', text: 'too long: not sent', time: new Date() }); return }
      void chat.send(line)
    }

    let screen: ChatScreen | undefined
    const show = (line: ChatLine): void => {
      if (screen != null) { screen.addLine(line); return }
      const record = { event: line.kind === 'notice' ? 'chat:notice' : 'chat:message', text: line.text, nick: line.nick, peer: line.peerId, own: line.own }
      output.result(line.kind === 'notice' ? `* ${line.text}` : `<${line.nick ?? '?'}> ${line.text}`, record)
    }
    const showMembers = (members: ChatMember[]): void => {
      if (screen != null) screen.setMembers(members)
      else output.result(`* in the room: ${['you', ...members.map(m => m.nick ?? m.peerId)].join(', ')}`, { event: 'chat:members', members })
    }
    chat.addEventListener('line', (evt) => { show((evt as CustomEvent<ChatLine>).detail) })
    chat.addEventListener('members', (evt) => { showMembers((evt as CustomEvent<ChatMember[]>).detail) })
    const onDisconnect = (): void => { showMembers(chat.members()) }
    node.addEventListener('peer:disconnect', onDisconnect)

    const stdin = io.stdin as NodeJS.ReadStream
    let onData: ((data: Buffer | string) => void) | undefined
    let onResize: (() => void) | undefined
    try {
      if (tui) {
        screen = new ChatScreen(io.stdout, title(), handleInput, quit)
        screen.open()
        stdin.setRawMode(true)
        onData = (data) => { screen!.input(data.toString()) }
        onResize = () => { screen!.resize(io.stdout.columns ?? 80, (io.stdout as any).rows ?? 24) }
        io.stdout.on('resize', onResize)
      } else {
        output.result(`* ${title()}`, { event: 'chat:ready', room, nick: chat.nick, peerId: node.peerId.toString(), addrs: node.getMultiaddrs().map(String) })
        let buffered = ''
        onData = (data) => {
          buffered += data.toString()
          let nl
          while ((nl = buffered.indexOf('\n')) !== -1) {
            const line = buffered.slice(0, nl)
            buffered = buffered.slice(nl + 1)
            handleInput(line)
          }
          // a line longer than a message can be is dropped, not buffered without bound
          if (buffered.length > MAX_CHAT_MESSAGE_SIZE) buffered = ''
        }
        stdin.once('end', () => { quit() })
      }
      stdin.on('data', onData)
      stdin.resume()
      chat.start()
      if (screen != null) show({ kind: 'notice', text: HELP_LINE, time: new Date() })
      await quitting
    } finally {
      if (onData != null) stdin.off('data', onData)
      stdin.pause()
      if (onResize != null) io.stdout.off('resize', onResize)
      node.removeEventListener('peer:disconnect', onDisconnect)
      stopDialing()
      await chat.stop().catch(() => {})
      if (screen != null) {
        stdin.setRawMode(false)
        screen.close()
      }
      await node.stop()
      output.result('* left the room', { event: 'chat:stopped' })
    }
  }
}
