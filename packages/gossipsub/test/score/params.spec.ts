import { expect } from 'chai'
import { createPeerScoreParams, createPeerScoreThresholds, validatePeerScoreParams, validatePeerScoreThresholds, validateTopicScoreParams, defaultTopicScoreParams } from '../../src/score/params.js'

function rejects (fn: () => void, match: RegExp): void {
  try {
    fn()
  } catch (err: any) {
    expect(err.name).to.equal('InvalidScoreParamsError')
    expect(err.message).to.match(match)
    return
  }
  throw new Error('expected InvalidScoreParamsError')
}

describe('score params', () => {
  it('accepts the defaults', () => {
    validatePeerScoreParams(createPeerScoreParams({ topics: { t: {} } }))
    validatePeerScoreThresholds(createPeerScoreThresholds())
  })

  it('rejects weights of the wrong sign and decays outside (0, 1)', () => {
    rejects(() => { validatePeerScoreParams(createPeerScoreParams({ IPColocationFactorWeight: 1 })) }, /IPColocationFactorWeight/)
    rejects(() => { validatePeerScoreParams(createPeerScoreParams({ behaviourPenaltyWeight: 1 })) }, /behaviourPenaltyWeight/)
    rejects(() => { validatePeerScoreParams(createPeerScoreParams({ behaviourPenaltyDecay: 1 })) }, /behaviourPenaltyDecay/)
    rejects(() => { validatePeerScoreParams(createPeerScoreParams({ IPColocationFactorThreshold: 0 })) }, /IPColocationFactorThreshold/)
    rejects(() => { validatePeerScoreParams(createPeerScoreParams({ decayToZero: 0 })) }, /decayToZero/)
    rejects(() => { validatePeerScoreParams(createPeerScoreParams({ appSpecificWeight: -1 })) }, /appSpecificWeight/)
  })

  it('rejects each bad topic parameter', () => {
    const bad: Array<[Partial<ReturnType<typeof defaultTopicScoreParams>>, RegExp]> = [
      [{ topicWeight: -1 }, /topicWeight/],
      [{ timeInMeshWeight: -1 }, /timeInMeshWeight/],
      [{ timeInMeshQuantum: 0 }, /timeInMeshQuantum/],
      [{ firstMessageDeliveriesDecay: 1.5 }, /firstMessageDeliveriesDecay/],
      [{ meshMessageDeliveriesWeight: 1 }, /meshMessageDeliveriesWeight/],
      [{ meshMessageDeliveriesCap: 1, meshMessageDeliveriesThreshold: 5 }, /meshMessageDeliveriesCap/],
      [{ meshMessageDeliveriesActivation: 10 }, /Activation/],
      [{ meshFailurePenaltyWeight: 1 }, /meshFailurePenaltyWeight/],
      [{ invalidMessageDeliveriesWeight: 1 }, /invalidMessageDeliveriesWeight/],
      [{ invalidMessageDeliveriesDecay: 0 }, /invalidMessageDeliveriesDecay/]
    ]
    for (const [override, match] of bad) {
      rejects(() => { validateTopicScoreParams('t', { ...defaultTopicScoreParams(), ...override }) }, match)
    }
  })

  it('enforces the threshold order graylist <= publish <= gossip <= 0 <= acceptPX', () => {
    rejects(() => { validatePeerScoreThresholds(createPeerScoreThresholds({ gossipThreshold: 1 })) }, /gossipThreshold/)
    rejects(() => { validatePeerScoreThresholds(createPeerScoreThresholds({ publishThreshold: -5 })) }, /publishThreshold/)
    rejects(() => { validatePeerScoreThresholds(createPeerScoreThresholds({ graylistThreshold: -20 })) }, /graylistThreshold/)
    rejects(() => { validatePeerScoreThresholds(createPeerScoreThresholds({ acceptPXThreshold: -1 })) }, /acceptPXThreshold/)
    rejects(() => { validatePeerScoreThresholds(createPeerScoreThresholds({ opportunisticGraftThreshold: -1 })) }, /opportunisticGraftThreshold/)
  })
})
