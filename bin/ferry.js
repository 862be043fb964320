#!/usr/bin/env node
import { main } from '../out/src/cli/main.js';

await main();
