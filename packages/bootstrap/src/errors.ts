import { InvalidParametersError } from '@ts-libp2p/interface'

/**
 * An entry of the bootstrap list is not a multiaddr ending in a valid
 * `/p2p/<peer id>`, or the list is empty or too long. Thrown when the
 * discovery is constructed. A subclass of InvalidParametersError.
 */
export class InvalidBootstrapListError extends InvalidParametersError {
  static override name = 'InvalidBootstrapListError'

  constructor (message = 'Invalid bootstrap list') {
    super(message)
    this.name = 'InvalidBootstrapListError'
  }
}
