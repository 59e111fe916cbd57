/**
 * The crypto backend of this platform. In Node it is node:crypto; bundlers
 * that honour the package.json `browser` field load `index.browser.js`, which
 * picks the portable backend instead.
 */
export { nodeBackend as platformBackend } from './node.js'
