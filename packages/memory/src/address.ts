import { InvalidMultiaddrError } from '@ts-libp2p/interface'
import { CODE_MEMORY, CODE_P2P } from './constants.js'
import type { Multiaddr } from '@multiformats/multiaddr'

/** True for `/memory/<name>`: what a memory listener can listen on. */
export function isListenAddress (ma: Multiaddr): boolean {
  const components = ma.getComponents()
  return components.length === 1 && components[0].code === CODE_MEMORY && (components[0].value ?? '') !== ''
}

/** True for `/memory/<name>` and `/memory/<name>/p2p/<peer>`: what can be dialled. */
export function isDialAddress (ma: Multiaddr): boolean {
  const components = ma.getComponents()
  if (components.length === 0 || components[0].code !== CODE_MEMORY || (components[0].value ?? '') === '') {
    return false
  }
  return components.length === 1 || (components.length === 2 && components[1].code === CODE_P2P)
}

/**
 * The registry key of a memory address: `/memory/<name>`, without a `/p2p`
 * suffix. Throws InvalidMultiaddrError for anything else.
 */
export function memoryAddress (ma: Multiaddr): string {
  if (!isDialAddress(ma)) {
    throw new InvalidMultiaddrError(`${ma.toString()} is not a /memory/<name> address`)
  }
  return `/memory/${ma.getComponents()[0].value ?? ''}`
}
