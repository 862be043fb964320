#!/usr/bin/env node
import module from 'node:module';

// Node 22.1 and later keep V8's compiled code of Ferry's modules between runs (in the system's temporary
// folder), so every command starts sooner; Node 20 has no such cache and starts as before. Enabled before
// Ferry's modules are imported, which is why they are imported dynamically.
module.enableCompileCache?.();
const { main } = await import('../out/src/cli/main.js');
await main();
