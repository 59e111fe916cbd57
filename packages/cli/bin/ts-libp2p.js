#!/usr/bin/env node
// The `ts-libp2p` executable. A committed shim (mode 755 in git) rather than the compiled file, whose mode
// a fresh `tsc` build leaves at 644: so `npx ts-libp2p` works in a clone right after `npm ci && npm run build`.
import '../dist/src/bin.js'
