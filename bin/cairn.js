#!/usr/bin/env node
// The `cairn` command. It runs the build (out/main/cli.js, plain JavaScript) when that is up to
// date with the sources, and the TypeScript sources through tsx otherwise, so it works straight
// after `npm install` with no build step and never runs a stale build.
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { cliEntry } from '../scripts/build-freshness.mjs';

const entry = cliEntry(path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..'));
const { main } = entry.built
  ? await import(pathToFileURL(entry.file).href)
  : await (await import('tsx/esm/api')).tsImport(pathToFileURL(entry.file).href, import.meta.url);
process.exitCode = await main(process.argv.slice(2));
