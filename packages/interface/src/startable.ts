/** A component with a lifecycle. The node calls each phase on all components before the next. */
export interface Startable {
  beforeStart?(): void | Promise<void>
  start(): void | Promise<void>
  afterStart?(): void | Promise<void>
  beforeStop?(): void | Promise<void>
  stop(): void | Promise<void>
  afterStop?(): void | Promise<void>
}

/** True when `obj` has `start` and `stop` methods. */
export function isStartable (obj?: any): obj is Startable {
  return obj != null && typeof obj.start === 'function' && typeof obj.stop === 'function'
}

async function runPhase (objs: Startable[], phase: keyof Startable): Promise<void> {
  await Promise.all(objs.map(async (obj) => { await obj[phase]?.() }))
}

/** Runs beforeStart, start and afterStart across every startable in `objs`, phase by phase. */
export async function start (...objs: any[]): Promise<void> {
  const startables = objs.filter(isStartable)
  for (const phase of ['beforeStart', 'start', 'afterStart'] as const) {
    await runPhase(startables, phase)
  }
}

/** Runs beforeStop, stop and afterStop across every startable in `objs`, phase by phase. */
export async function stop (...objs: any[]): Promise<void> {
  const startables = objs.filter(isStartable)
  for (const phase of ['beforeStop', 'stop', 'afterStop'] as const) {
    await runPhase(startables, phase)
  }
}
