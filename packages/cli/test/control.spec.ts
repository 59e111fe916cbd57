import { PassThrough } from 'node:stream'
import { expect } from 'chai'
import { resolveNodeConfig } from '../src/config.js'
import { BASE_OPS, runControl } from '../src/control.js'
import { Output } from '../src/output.js'
import { createNode } from '../src/stack.js'
import type { CliNode } from '../src/stack.js'

describe('control', () => {
  let a: CliNode
  let b: CliNode
  let input: PassThrough
  let replies: any[]
  let output: Output
  let done: Promise<void>
  let controller: AbortController

  let consumed = 0
  // the next reply not yet looked at (a reply may arrive synchronously, before this is called)
  const next = async (): Promise<any> => {
    for (let i = 0; i < 500 && replies.length <= consumed; i++) await new Promise(resolve => setTimeout(resolve, 10))
    return replies[consumed++]
  }

  beforeEach(async () => {
    const config = await resolveNodeConfig({ listen: ['/ip4/127.0.0.1/tcp/0'], services: 'identify,ping,perf', transports: 'tcp' })
    a = await createNode(config)
    b = await createNode(config)
    input = new PassThrough()
    const stdout = new PassThrough()
    replies = []
    consumed = 0
    let buffered = ''
    stdout.on('data', (d) => {
      buffered += String(d)
      const lines = buffered.split('\n')
      buffered = lines.pop() ?? ''
      for (const line of lines) replies.push(JSON.parse(line))
    })
    output = new Output({ stdin: input, stdout, stderr: new PassThrough(), env: {}, cwd: '/' }, true)
    controller = new AbortController()
    done = runControl(a, input, output, BASE_OPS, controller.signal)
  })

  afterEach(async () => {
    controller.abort()
    await done
    await a.stop()
    await b.stop()
  })

  it('answers status, dial, ping, perf and peer', async () => {
    input.write(JSON.stringify({ id: 1, op: 'status' }) + '\n')
    const status = await next()
    expect(status).to.include({ reply: 1, ok: true })
    expect(status.result.peerId).to.equal(a.peerId.toString())
    const target = b.getMultiaddrs()[0].toString()
    input.write(JSON.stringify({ id: 2, op: 'ping', target }) + '\n')
    const pong = await next()
    expect(pong.ok).to.equal(true, JSON.stringify(pong))
    expect(pong.result.rtt).to.be.a('number')
    input.write(JSON.stringify({ id: 3, op: 'perf', target, uploadBytes: 65536, downloadBytes: 131072 }) + '\n')
    const perf = await next()
    expect(perf.result).to.include({ uploadBytes: 65536, downloadBytes: 131072 })
    input.write(JSON.stringify({ id: 4, op: 'peer', peer: b.peerId.toString() }) + '\n')
    const peer = await next()
    expect(peer.result.peer).to.equal(b.peerId.toString())
    input.write(JSON.stringify({ id: 5, op: 'dial', target }) + '\n')
    expect((await next()).result.peer).to.equal(b.peerId.toString())
  })

  it('answers bad requests with errors and keeps going', async () => {
    input.write('{ not json\n')
    expect((await next()).error.name).to.equal('InvalidRequestError')
    input.write(JSON.stringify({ id: 'x', op: 'launch' }) + '\n')
    const unknown = await next()
    expect(unknown).to.include({ reply: 'x', ok: false })
    expect(unknown.error.name).to.equal('UnknownOperationError')
    input.write(JSON.stringify({ id: 7, op: 'ping', target: 42 }) + '\n')
    expect((await next()).error.message).to.match(/"target"/)
    input.write('x'.repeat(70 * 1024))
    expect((await next()).error.name).to.equal('LimitExceededError')
    input.write('tail of the long line\n' + JSON.stringify({ id: 8, op: 'status' }) + '\n')
    expect(await next()).to.include({ reply: 8, ok: true })
  })

  it('ends on a stop request and on the end of the input', async () => {
    input.write(JSON.stringify({ id: 9, op: 'stop' }) + '\n')
    await done
    expect(replies.at(-1)).to.include({ reply: 9, ok: true })
    const second = new PassThrough()
    const ended = runControl(a, second, output, BASE_OPS, new AbortController().signal)
    second.end()
    await ended
  })
})
