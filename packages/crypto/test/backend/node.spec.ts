import { nodeBackend } from '../../src/backend/node.js'
import { backendConformance } from './conformance.js'

describe('backend/node', () => {
  backendConformance(nodeBackend)
})
