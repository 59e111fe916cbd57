import { generateKeyPair } from '@ts-libp2p/crypto'
import { StrictNoSign, StrictSign, TopicValidatorResult } from '@ts-libp2p/interface'
import { peerIdFromPrivateKey } from '@ts-libp2p/peer-id'
import { expect } from 'chai'
import { msgIdToKey } from '../src/message-id.js'
import { buildMessage } from '../src/sign.js'
import { validateMessage } from '../src/validate.js'
import type { RPCMessage } from '../src/pb/rpc.js'
import type { PrivateKey, PeerId, TopicValidatorFn } from '@ts-libp2p/interface'

const data = new TextEncoder().encode('banana')

describe('validate', () => {
  let key: PrivateKey
  let source: PeerId
  let signed: RPCMessage

  before(async () => {
    key = await generateKeyPair('Ed25519')
    source = peerIdFromPrivateKey(await generateKeyPair('Ed25519'))
    signed = await buildMessage({ policy: StrictSign, topic: 't', data, privateKey: key })
  })

  it('accepts a valid signed message with its id', async () => {
    const outcome = await validateMessage(signed, { policy: StrictSign, propagationSource: source })
    expect(outcome.result).to.equal(TopicValidatorResult.Accept)
    if (outcome.result !== TopicValidatorResult.Accept) throw new Error('unreachable')
    expect(outcome.message.type).to.equal('signed')
    expect(outcome.msgIdKey).to.equal(msgIdToKey(outcome.msgId))
  })

  it('rejects by size before anything else', async () => {
    const outcome = await validateMessage(signed, { policy: StrictSign, propagationSource: source, maxMessageSize: 10 })
    expect(outcome).to.deep.equal({ result: TopicValidatorResult.Reject, reason: 'message-too-large' })
  })

  it('rejects policy violations both ways', async () => {
    const unsigned = await buildMessage({ policy: StrictNoSign, topic: 't', data })
    expect(await validateMessage(unsigned, { policy: StrictSign, propagationSource: source })).to.deep.equal({ result: TopicValidatorResult.Reject, reason: 'missing-fields' })
    expect(await validateMessage(signed, { policy: StrictNoSign, propagationSource: source })).to.deep.equal({ result: TopicValidatorResult.Reject, reason: 'unexpected-fields' })
    expect((await validateMessage(unsigned, { policy: StrictNoSign, propagationSource: source })).result).to.equal(TopicValidatorResult.Accept)
  })

  it('rejects a bad signature after the duplicate check, and marks ids seen only once valid', async () => {
    const forged: RPCMessage = { ...signed, raw: undefined, data: new Uint8Array([1]) }
    const outcome = await validateMessage(forged, { policy: StrictSign, propagationSource: source })
    expect(outcome.result).to.equal(TopicValidatorResult.Reject)
    expect(outcome).to.have.property('reason', 'invalid-signature')
    // a duplicate is ignored without verifying (the forged copy of a seen id is not even checked)
    const seen = new Set<string>()
    const options = {
      policy: StrictSign,
      propagationSource: source,
      isDuplicate: (k: string) => seen.has(k),
      markSeen: (k: string) => !seen.has(k) && seen.add(k) != null
    } as const
    // a forged copy arriving first is rejected and NOT marked seen: it cannot censor the real message
    expect((await validateMessage(forged, options)).result).to.equal(TopicValidatorResult.Reject)
    expect(seen.size).to.equal(0)
    const first = await validateMessage(signed, options)
    expect(first.result).to.equal(TopicValidatorResult.Accept)
    expect(seen.size).to.equal(1)
    const dup = await validateMessage(forged, options)
    expect(dup.result).to.equal(TopicValidatorResult.Ignore)
    expect(dup).to.have.property('reason', 'duplicate')
    // two copies validated concurrently: the second to finish is a duplicate
    seen.clear()
    const both = await Promise.all([validateMessage(signed, options), validateMessage(signed, options)])
    expect(both.map(o => o.result).sort()).to.deep.equal([TopicValidatorResult.Accept, TopicValidatorResult.Ignore].sort())
  })

  it('runs the topic validator with the propagation source and honours its verdict', async () => {
    const calls: PeerId[] = []
    for (const [verdict, expected, reason] of [
      [TopicValidatorResult.Accept, TopicValidatorResult.Accept, undefined],
      [TopicValidatorResult.Reject, TopicValidatorResult.Reject, 'validator-reject'],
      [TopicValidatorResult.Ignore, TopicValidatorResult.Ignore, 'validator-ignore'],
      ['bogus', TopicValidatorResult.Reject, 'validator-error']
    ] as const) {
      const validator: TopicValidatorFn = async (peer) => { calls.push(peer); return verdict as TopicValidatorResult }
      const outcome = await validateMessage(signed, { policy: StrictSign, propagationSource: source, topicValidators: new Map([['t', validator]]) })
      expect(outcome.result, String(verdict)).to.equal(expected)
      if (reason != null) expect(outcome).to.have.property('reason', reason)
    }
    expect(calls.every(p => p.equals(source))).to.equal(true)
    // a validator for another topic does not run
    const other = await validateMessage(signed, { policy: StrictSign, propagationSource: source, topicValidators: new Map([['other', () => TopicValidatorResult.Reject]]) })
    expect(other.result).to.equal(TopicValidatorResult.Accept)
  })

  it('a throwing validator or id function rejects; an aborted signal ignores', async () => {
    const throwing = await validateMessage(signed, { policy: StrictSign, propagationSource: source, topicValidators: new Map([['t', () => { throw new Error('boom') }]]) })
    expect(throwing).to.have.property('reason', 'validator-error')
    const badId = await validateMessage(signed, { policy: StrictSign, propagationSource: source, msgIdFn: () => { throw new Error('boom') } })
    expect(badId).to.have.property('reason', 'message-id-error')
    const controller = new AbortController()
    controller.abort()
    const aborted = await validateMessage(signed, { policy: StrictSign, propagationSource: source, signal: controller.signal })
    expect(aborted).to.have.property('reason', 'aborted')
  })
})
