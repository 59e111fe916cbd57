/**
 * Browsers have no node:crypto: the package.json "browser" field swaps
 * crypto-node.js for this file, so the default backend is the portable one.
 */
export { portableCrypto as nodeCrypto } from './crypto-portable.js'
