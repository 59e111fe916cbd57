// Creates (or refreshes) the standard shape of a package: package.json and tsconfig.json.
// Usage: node scripts/new-package.mjs <name> "<description>" [dep ...] [--dev dep ...] [--ref pkg ...]
import { mkdirSync, writeFileSync, existsSync, readFileSync } from 'node:fs'
import { join } from 'node:path'

const [name, description, ...rest] = process.argv.slice(2)
const deps = {}; const devDeps = {}; const refs = new Set()
let mode = 'dep'
for (const arg of rest) {
  if (arg === '--dev') { mode = 'dev'; continue }
  if (arg === '--ref') { mode = 'ref'; continue }
  if (mode === 'ref') { refs.add(arg); continue }
  const at = arg.lastIndexOf('@')
  const [pkg, version] = at > 0 ? [arg.slice(0, at), arg.slice(at + 1)] : [arg, '*']
  if (pkg.startsWith('@ts-libp2p/')) refs.add(pkg.slice('@ts-libp2p/'.length))
  ;(mode === 'dev' ? devDeps : deps)[pkg] = pkg.startsWith('@ts-libp2p/') ? '^0.1.0' : version
}
const dir = join('packages', name)
mkdirSync(join(dir, 'src'), { recursive: true })
mkdirSync(join(dir, 'test'), { recursive: true })
const pkgPath = join(dir, 'package.json')
const previous = existsSync(pkgPath) ? JSON.parse(readFileSync(pkgPath, 'utf8')) : {}
const pkg = {
  name: `@ts-libp2p/${name}`,
  version: '0.1.0',
  description,
  license: 'MIT',
  type: 'module',
  engines: { node: '>=20' },
  repository: { type: 'git', url: 'git+https://github.com/ts-libp2p/ts-libp2p.git', directory: `packages/${name}` },
  sideEffects: false,
  files: ['src', 'dist', '!dist/test', '!dist/**/*.tsbuildinfo'],
  types: './dist/src/index.d.ts',
  exports: { '.': { types: './dist/src/index.d.ts', import: './dist/src/index.js' }, ...(previous.exports ?? {}) },
  scripts: { build: 'tsc -b', test: 'node ../../scripts/test.mjs --package .', ...(previous.scripts ?? {}) },
  dependencies: { ...deps },
  devDependencies: { ...devDeps },
  publishConfig: { access: 'public' }
}
if (Object.keys(pkg.devDependencies).length === 0) delete pkg.devDependencies
writeFileSync(pkgPath, JSON.stringify(pkg, null, 2) + '\n')
const tsconfig = {
  extends: '../../tsconfig.base.json',
  compilerOptions: { outDir: 'dist', rootDir: '.' },
  include: ['src', 'test'],
  references: [...refs].sort().map(r => ({ path: `../${r}` }))
}
writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify(tsconfig, null, 2) + '\n')
