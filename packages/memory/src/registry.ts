import type { MemoryListener } from './listener.js'

/**
 * The listeners of this process, by their `/memory/<name>` address. Module
 * state: every memory transport loaded from this copy of the package sees
 * the same listeners, whichever node created them.
 */
const listeners = new Map<string, MemoryListener>()

/** Claims `address` for `listener`; false if it is taken. */
export function register (address: string, listener: MemoryListener): boolean {
  if (listeners.has(address)) {
    return false
  }
  listeners.set(address, listener)
  return true
}

/** Releases `address` if `listener` holds it. */
export function unregister (address: string, listener: MemoryListener): void {
  if (listeners.get(address) === listener) {
    listeners.delete(address)
  }
}

/** The listener at `address`, if any. */
export function lookup (address: string): MemoryListener | undefined {
  return listeners.get(address)
}

/** How many addresses are listened on now (for tests and diagnostics). */
export function listenerCount (): number {
  return listeners.size
}
