/** The crypto backend outside Node: @noble/curves, @noble/hashes and WebCrypto. */
export { portableBackend as platformBackend } from './portable.js'
