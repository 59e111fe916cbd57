/**
 * @peculiar/x509, loaded after the Reflect metadata API its dependency
 * injection (tsyringe) needs. Import X.509 from here, never from
 * '@peculiar/x509' directly: module evaluation follows import order, so this
 * file is what guarantees the polyfill is in place first.
 */
import 'reflect-metadata'

export * from '@peculiar/x509'
