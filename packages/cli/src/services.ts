import type { ControlOp } from './control.js'
import type { CliNode } from './stack.js'

/** The control operations of the node's optional services (dht, pubsub), for those it runs. */
export function serviceOps (_node: CliNode): Record<string, ControlOp> {
  return {}
}
