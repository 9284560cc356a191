// `npm run bench -- <name>`: runs bench/<name>.ts through tsx. Benchmarks print their own ratios.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const available = readdirSync(path.join(root, 'bench'))
  .filter((f) => f.endsWith('.ts'))
  .map((f) => f.replace(/\.ts$/, ''));
const [name, ...rest] = process.argv.slice(2);
if (!name || !available.includes(name)) {
  console.error(`usage: npm run bench -- <${available.join('|')}> [options]`);
  process.exit(2);
}
const tsx = pathToFileURL(createRequire(import.meta.url).resolve('tsx')).href;
const file = path.join(root, 'bench', `${name}.ts`);
if (!existsSync(file)) process.exit(2);
const result = spawnSync(process.execPath, ['--import', tsx, file, ...rest], { stdio: 'inherit', cwd: root });
process.exit(result.status ?? 1);
