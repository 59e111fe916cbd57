import { expect } from 'chai'
import { ChatRoom, cleanNick, decodeChat, encodeChat, sanitize } from '../../src/chat/room.js'
import { resolveNodeConfig } from '../../src/config.js'
import { createNode } from '../../src/stack.js'
import type { ChatLine, ChatMember } from '../../src/chat/room.js'
import type { CliNode } from '../../src/stack.js'

async function until (fn: () => boolean, what: string): Promise<void> {
  for (let i = 0; i < 300; i++) {
    if (fn()) return
    await new Promise(resolve => setTimeout(resolve, 20))
  }
  throw new Error(`timed out waiting for ${what}`)
}

describe('chat room', () => {
  it('strips terminal control characters and bounds nicknames', () => {
    expect(sanitize('a\x1b[2Jb\nc\u009bd')).to.equal('a [2Jb c d')
    expect(cleanNick('  \x07  ')).to.equal('anonymous')
    expect(cleanNick('x'.repeat(100))).to.have.lengthOf(32)
  })

  it('decodes only well-formed chat messages of bounded size', () => {
    const bytes = encodeChat({ v: 1, type: 'message', nick: 'a', text: 'hi' })
    expect(decodeChat(bytes)).to.deep.equal({ v: 1, type: 'message', nick: 'a', text: 'hi' })
    const enc = new TextEncoder()
    for (const bad of ['nope', '{"v":2,"type":"message","nick":"a","text":"x"}', '{"v":1,"type":"message","nick":"a"}', '{"v":1,"type":"dance","nick":"a"}', 'null']) {
      expect(decodeChat(enc.encode(bad))).to.equal(undefined, bad)
    }
    expect(decodeChat(new Uint8Array(5000))).to.equal(undefined)
    expect(() => encodeChat({ v: 1, type: 'message', nick: 'a', text: 'x'.repeat(5000) })).to.throw(RangeError)
  })

  describe('two members', function () {
    this.timeout(20_000)
    let a: CliNode
    let b: CliNode
    afterEach(async () => { await Promise.all([a?.stop(), b?.stop()]) })

    it('exchange nicknames, messages and leave notices', async () => {
      const config = await resolveNodeConfig({ listen: ['/ip4/127.0.0.1/tcp/0'], transports: 'tcp', services: 'identify,pubsub' })
      a = await createNode(config)
      b = await createNode(config)
      const roomA = new ChatRoom(a, 'r', 'alice')
      const roomB = new ChatRoom(b, 'r', 'bob\x1b[31m')
      const linesA: ChatLine[] = []
      let membersA: ChatMember[] = []
      roomA.addEventListener('line', (evt) => linesA.push((evt as CustomEvent<ChatLine>).detail))
      roomA.addEventListener('members', (evt) => { membersA = (evt as CustomEvent<ChatMember[]>).detail })
      roomA.start()
      roomB.start()
      await b.dial(a.getMultiaddrs()[0])
      await until(() => membersA.some(m => m.nick === 'bob [31m'), 'bob\'s nickname at alice')
      await until(() => roomB.members().length === 1, 'alice in bob\'s room')
      expect(await roomB.send('hello')).to.equal(1)
      await until(() => linesA.some(l => l.kind === 'message' && l.text === 'hello' && l.nick === 'bob [31m' && l.own === false), 'the message')
      roomB.setNick('robert')
      await until(() => linesA.some(l => l.text === 'bob [31m is now robert'), 'the rename')
      await roomB.stop()
      await until(() => linesA.some(l => l.text === 'robert left'), 'the leave notice')
      await roomA.stop()
    })

    it('says so when nobody else is in the room', async () => {
      const config = await resolveNodeConfig({ listen: [], transports: 'tcp', services: 'identify,pubsub' })
      a = await createNode(config)
      b = await createNode(config)
      const room = new ChatRoom(a, 'alone', 'me')
      const lines: ChatLine[] = []
      room.addEventListener('line', (evt) => lines.push((evt as CustomEvent<ChatLine>).detail))
      room.start()
      expect(await room.send('anyone?')).to.equal(0)
      expect(lines.map(l => l.text)).to.include('nobody else is in the room yet: not delivered')
      await room.stop()
    })
  })
})
