import { expect } from 'chai'
import { nodeCrypto } from '../src/crypto-node.browser.js'

describe('crypto-node.browser', () => {
  it('stands in for the node backend with the portable one', () => {
    expect(nodeCrypto.name).to.equal('portable')
  })
})
