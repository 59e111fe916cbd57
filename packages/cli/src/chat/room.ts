import { CHAT_PRESENCE_INTERVAL, CHAT_TOPIC_PREFIX, MAX_CHAT_MEMBERS, MAX_CHAT_MESSAGE_SIZE, MAX_NICK_LENGTH } from '../constants.js'
import type { CliNode } from '../stack.js'
import type { Message, SubscriptionChangeData } from '@ts-libp2p/interface'

/** What goes on the wire, as JSON in the pubsub message's data. */
export interface ChatWireMessage {
  v: 1
  type: 'message' | 'presence' | 'leave'
  nick: string
  text?: string
}

/** A member of the room: a peer subscribed to its topic, with the nickname it announced. */
export interface ChatMember {
  peerId: string
  nick?: string
}

/** A chat line for the screen. */
export interface ChatLine {
  /** `message`: someone (or we) said something; `notice`: the room says something (joined, left, errors). */
  kind: 'message' | 'notice'
  text: string
  nick?: string
  peerId?: string
  own?: boolean
  time: Date
}

const encoder = new TextEncoder()
const decoder = new TextDecoder()

/**
 * Removes what must not reach a terminal from text written by others: C0 and C1 control characters (escape
 * sequences could move the cursor, recolour or retitle the terminal) and line breaks.
 */
export function sanitize (text: string): string {
  // eslint-disable-next-line no-control-regex
  return text.replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]/g, ' ')
}

/** A nickname as shown: sanitized, trimmed, at most {@link MAX_NICK_LENGTH} characters, never empty. */
export function cleanNick (nick: string, fallback = 'anonymous'): string {
  const clean = [...sanitize(nick).trim()].slice(0, MAX_NICK_LENGTH).join('')
  return clean === '' ? fallback : clean
}

/** Encodes a chat message; throws RangeError over {@link MAX_CHAT_MESSAGE_SIZE}. */
export function encodeChat (message: ChatWireMessage): Uint8Array {
  const bytes = encoder.encode(JSON.stringify(message))
  if (bytes.byteLength > MAX_CHAT_MESSAGE_SIZE) throw new RangeError(`a chat message is at most ${MAX_CHAT_MESSAGE_SIZE} bytes`)
  return bytes
}

/** Decodes a chat message from untrusted bytes; undefined for anything that is not one (or too large). */
export function decodeChat (bytes: Uint8Array): ChatWireMessage | undefined {
  if (bytes.byteLength > MAX_CHAT_MESSAGE_SIZE) return undefined
  try {
    const value = JSON.parse(decoder.decode(bytes))
    if (value == null || value.v !== 1 || typeof value.nick !== 'string') return undefined
    if (value.type === 'message' && typeof value.text === 'string') return { v: 1, type: 'message', nick: value.nick, text: value.text }
    if (value.type === 'presence' || value.type === 'leave') return { v: 1, type: value.type, nick: value.nick }
  } catch {}
  return undefined
}

/** Events of a {@link ChatRoom}. */
export interface ChatRoomEvents {
  line: CustomEvent<ChatLine>
  members: CustomEvent<ChatMember[]>
}

/**
 * A chat room over gossipsub: the topic `ts-libp2p-chat/<room>`, JSON messages, presence announcements every
 * 5 s (and at once when someone joins) so members learn each other's nicknames. The member list is the
 * topic's subscribers among our peers, as gossipsub knows them, with their nicknames.
 */
export class ChatRoom extends EventTarget {
  readonly room: string
  readonly topic: string
  #nick: string
  readonly #node: CliNode
  readonly #nicks = new Map<string, string>()
  #timer?: ReturnType<typeof setInterval>
  #lastMembers = ''

  constructor (node: CliNode, room: string, nick: string) {
    super()
    if (node.services.pubsub == null) throw new Error('chat needs the pubsub service')
    this.#node = node
    this.room = room
    this.topic = CHAT_TOPIC_PREFIX + room
    this.#nick = cleanNick(nick)
  }

  get nick (): string { return this.#nick }

  /** Joins: subscribes, listens, announces ourselves now and every 5 s. */
  start (): void {
    const pubsub = this.#node.services.pubsub!
    pubsub.addEventListener('message', this.#onMessage)
    pubsub.addEventListener('subscription-change', this.#onSubscriptionChange)
    pubsub.subscribe(this.topic)
    this.#timer = setInterval(() => { this.#announce('presence'); this.#emitMembers() }, CHAT_PRESENCE_INTERVAL)
    this.#notice(`joined room "${this.room}" as ${this.#nick}`)
  }

  /** Leaves: tells the room, unsubscribes, stops listening. */
  async stop (): Promise<void> {
    clearInterval(this.#timer)
    const pubsub = this.#node.services.pubsub!
    await this.#announce('leave')
    pubsub.removeEventListener('message', this.#onMessage)
    pubsub.removeEventListener('subscription-change', this.#onSubscriptionChange)
    pubsub.unsubscribe(this.topic)
  }

  /** The room's members other than us. */
  members (): ChatMember[] {
    return this.#node.services.pubsub!.getSubscribers(this.topic).map(id => {
      const nick = this.#nicks.get(id.toString())
      return nick != null ? { peerId: id.toString(), nick } : { peerId: id.toString() }
    })
  }

  /** Says something. Resolves with the number of peers it was sent to; a notice says so when nobody got it. */
  async send (text: string): Promise<number> {
    const clean = text.trim()
    if (clean === '') return 0
    const data = encodeChat({ v: 1, type: 'message', nick: this.#nick, text: clean })
    this.#line({ kind: 'message', text: sanitize(clean), nick: this.#nick, peerId: this.#node.peerId.toString(), own: true, time: new Date() })
    try {
      return (await this.#node.services.pubsub!.publish(this.topic, data)).recipients.length
    } catch (err: any) {
      this.#notice(err.name === 'PublishError' ? 'nobody else is in the room yet: not delivered' : `not delivered: ${String(err.message)}`)
      return 0
    }
  }

  /** Changes our nickname and tells the room. */
  setNick (nick: string): void {
    const old = this.#nick
    this.#nick = cleanNick(nick, old)
    this.#notice(`you are now ${this.#nick}`)
    void this.#announce('presence')
  }

  async #announce (type: 'presence' | 'leave'): Promise<void> {
    if (this.#node.services.pubsub!.getSubscribers(this.topic).length === 0) return
    try {
      await this.#node.services.pubsub!.publish(this.topic, encodeChat({ v: 1, type, nick: this.#nick }))
    } catch {
      // presence is best effort: the next announcement repeats it
    }
  }

  readonly #onMessage = (evt: CustomEvent<Message>): void => {
    const message = evt.detail
    if (message.topic !== this.topic || message.type !== 'signed') return
    const peerId = message.from.toString()
    if (peerId === this.#node.peerId.toString()) return
    const chat = decodeChat(message.data)
    if (chat == null) return
    const nick = cleanNick(chat.nick)
    const previous = this.#nicks.get(peerId)
    if (previous !== nick && (this.#nicks.has(peerId) || this.#nicks.size < MAX_CHAT_MEMBERS)) {
      this.#nicks.set(peerId, nick)
      if (previous != null && chat.type !== 'leave') this.#notice(`${previous} is now ${nick}`)
      this.#emitMembers()
    }
    if (chat.type === 'message') this.#line({ kind: 'message', text: sanitize(chat.text ?? ''), nick, peerId, own: false, time: new Date() })
    else if (chat.type === 'leave') this.#notice(`${nick} left`)
    else if (previous == null) this.#notice(`${nick} is here`)
  }

  readonly #onSubscriptionChange = (evt: CustomEvent<SubscriptionChangeData>): void => {
    const change = evt.detail.subscriptions.find(s => s.topic === this.topic)
    if (change == null) return
    const peerId = evt.detail.peerId.toString()
    if (change.subscribe) {
      // a newcomer: tell it who we are now rather than in up to 5 s
      void this.#announce('presence')
    } else {
      this.#nicks.delete(peerId)
    }
    this.#emitMembers()
  }

  #emitMembers (): void {
    const members = this.members()
    const key = members.map(m => `${m.peerId}=${m.nick ?? ''}`).sort().join(',')
    if (key === this.#lastMembers) return
    this.#lastMembers = key
    this.dispatchEvent(new CustomEvent('members', { detail: members }))
  }

  #line (line: ChatLine): void {
    this.dispatchEvent(new CustomEvent('line', { detail: line }))
  }

  #notice (text: string): void {
    this.#line({ kind: 'notice', text, time: new Date() })
  }
}
