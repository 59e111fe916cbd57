// Names each module after its npm package: TypeDoc names an entry point by its path (`ping/src`); the pages
// should say `@ts-libp2p/ping`, the name users import.
import { Converter, ReflectionKind } from 'typedoc'

export function load (app) {
  app.converter.on(Converter.EVENT_RESOLVE_BEGIN, (context) => {
    for (const mod of context.project.getReflectionsByKind(ReflectionKind.Module)) {
      const match = /^([a-z0-9-]+)\/src$/.exec(mod.name)
      if (match != null) mod.name = `@ts-libp2p/${match[1]}`
    }
  })
}
