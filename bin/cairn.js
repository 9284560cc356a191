#!/usr/bin/env node
// The `cairn` command. The CLI is TypeScript run through tsx, so it works straight after
// `npm install` with no build step.
import { tsImport } from 'tsx/esm/api';

const { main } = await tsImport('../electron/cli/main.ts', import.meta.url);
process.exitCode = await main(process.argv.slice(2));
