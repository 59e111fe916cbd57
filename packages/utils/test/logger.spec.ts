import { format } from 'node:util'
import { multiaddr } from '@multiformats/multiaddr'
import { expect } from 'chai'
import debug from 'debug'
import { Uint8ArrayList } from 'uint8arraylist'
import { defaultLogger, disable, disabledLogger, enable, enabled, logger, prefixLogger } from '../src/logger.js'

describe('logger', () => {
  let lines: string[]
  let previous: string
  let originalLog: any

  beforeEach(() => {
    lines = []
    previous = disable()
    originalLog = debug.log
    debug.log = (...args: any[]) => { lines.push(format(...args)) }
  })

  afterEach(() => {
    debug.log = originalLog
    enable(previous)
  })

  it('writes under its namespace, with :error and :trace beside it', () => {
    enable('test:a,test:a:error')
    const log = logger('test:a')
    log('hello %d', 1)
    log.error('bad %s', 'thing')
    log.trace('not shown')
    expect(log.enabled).to.equal(true)
    expect((log.trace as any).enabled).to.equal(false)
    expect(lines).to.have.lengthOf(2)
    expect(lines[0]).to.include('test:a').and.include('hello 1')
    expect(lines[1]).to.include('test:a:error').and.include('bad thing')
  })

  it('writes nothing unless enabled', () => {
    const log = logger('test:quiet')
    log('x')
    expect(log.enabled).to.equal(false)
    expect(lines).to.have.lengthOf(0)
  })

  it('newScope adds to the namespace', () => {
    enable('test:b:*')
    const log = logger('test:b').newScope('stream:1')
    log('scoped')
    expect(lines[0]).to.include('test:b:stream:1')
  })

  it('formats peer ids, multiaddrs, bytes and errors', () => {
    enable('test:f')
    const log = logger('test:f')
    const peerId = { toString: () => '12D3KooWPeer' }
    log('%p %a', peerId, multiaddr('/memory/x'))
    log('%b', Uint8Array.from([0, 1, 2]))
    log('%b', new Uint8ArrayList(Uint8Array.from([0]), Uint8Array.from([1, 2])))
    log('%t %m', Uint8Array.from([0xff]), Uint8Array.from([0xff]))
    log('%e', new Error('boom'))
    log('%e', new AggregateError([new Error('first cause')], 'many'))
    log('%p %b', undefined, undefined)
    expect(lines[0]).to.include('12D3KooWPeer /memory/x')
    // base58btc of 00 01 02 is "15T"
    expect(lines[1]).to.include('15T')
    expect(lines[2]).to.include('15T')
    expect(lines[3]).to.include('74').and.include('/w')
    expect(lines[4]).to.include('Error: boom').and.include('logger.spec')
    expect(lines[5]).to.include('many').and.include('first cause')
    expect(lines[6]).to.include('undefined undefined')
  })

  it('defaultLogger names components ts-libp2p:<name>', () => {
    enable('ts-libp2p:test-component')
    const log = defaultLogger().forComponent('test-component')
    log('from a component')
    expect(lines[0]).to.include('ts-libp2p:test-component')
    expect(enabled('ts-libp2p:test-component')).to.equal(true)
  })

  it('prefixLogger tells nodes apart', () => {
    enable('dialer:*')
    prefixLogger('dialer').forComponent('tcp')('a')
    prefixLogger('listener').forComponent('tcp')('b')
    expect(lines).to.have.lengthOf(1)
    expect(lines[0]).to.include('dialer:tcp')
  })

  it('disabledLogger never writes', () => {
    enable('*')
    const log = disabledLogger('test:off')
    log('x')
    log.error('x')
    log.trace('x')
    log.newScope('y')('x')
    expect(log.enabled).to.equal(false)
    expect(lines).to.have.lengthOf(0)
  })

  it('starts writing when its namespace is enabled after the logger was made', () => {
    const log = logger('test:late')
    log('before')
    expect(log.enabled).to.equal(false)
    enable('test:late,test:late:trace')
    expect(log.enabled).to.equal(true)
    log('after')
    log.trace('traced')
    disable()
    log('off again')
    expect(lines).to.have.lengthOf(2)
    expect(lines[0]).to.include('after')
    expect(lines[1]).to.include('test:late:trace').and.include('traced')
  })
})
