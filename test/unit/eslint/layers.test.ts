// The layer rule (eslint/layers.js) on files that must pass and files that must fail, one per
// room and import form, through ESLint's own RuleTester with the project's TypeScript parser.
import path from 'node:path';
import { RuleTester } from 'eslint';
import tseslint from 'typescript-eslint';
import { describe, it } from 'vitest';
import { layersRule } from '../../../eslint/layers.js';

RuleTester.describe = describe;
RuleTester.it = it;
RuleTester.itOnly = it.only;

const root = path.resolve(import.meta.dirname, '..', '..', '..');
const at = (file: string) => path.join(root, file);
const tester = new RuleTester({
  languageOptions: { parser: tseslint.parser, ecmaVersion: 2022, sourceType: 'module' },
});
const layer = { messageId: 'layer' };

tester.run('cairn/layers', layersRule, {
  valid: [
    {
      filename: at('electron/core/service.ts'),
      code: "import { z } from 'zod'; import { methods } from '../../shared/api.js'; import fs from 'node:fs';",
    },
    {
      filename: at('electron/core/jobs/job-worker.ts'),
      code: "const m = await import('../training/run-training.js');",
    },
    {
      filename: at('electron/core/datasets/duck.ts'),
      code: "import { DuckDBInstance } from '@duckdb/node-api'; import Database from 'better-sqlite3';",
    },
    {
      filename: at('electron/main/index.ts'),
      code: "import { app } from 'electron'; import { CairnService } from '../core/service.js';",
    },
    {
      filename: at('electron/preload/index.ts'),
      code: "import { contextBridge } from 'electron'; import { CALL_CHANNEL } from '../../shared/bridge.js';",
    },
    {
      filename: at('electron/server/http-host.ts'),
      code: "import Fastify from 'fastify'; import type { CairnService } from '../core/service.js';",
    },
    {
      filename: at('electron/cli/main.ts'),
      code: "import { startHttpHost } from '../server/http-host.js'; const m = await import('../core/service.js');",
    },
    { filename: at('shared/api.ts'), code: "import { z } from 'zod'; export * from './metrics.js';" },
    {
      filename: at('renderer/src/app.tsx'),
      code: "import { useState } from 'react'; import * as echarts from 'echarts/core'; import type { MethodName } from '../../shared/api.js';",
    },
    // Tests, benchmarks and scripts are outside the rooms.
    {
      filename: at('test/unit/x.test.ts'),
      code: "import { app } from 'electron'; import '../../electron/main/index.js';",
    },
  ],
  invalid: [
    // The engine reaching into a host, by every import form.
    { filename: at('electron/core/service.ts'), code: "import { x } from '../main/ipc.js';", errors: [layer] },
    { filename: at('electron/core/service.ts'), code: "const m = await import('../main/ipc.js');", errors: [layer] },
    {
      filename: at('electron/core/service.ts'),
      code: 'const m = await import(`../server/http-host.js`);',
      errors: [layer],
    },
    { filename: at('electron/core/service.ts'), code: "export { x } from '../cli/main.js';", errors: [layer] },
    { filename: at('electron/core/service.ts'), code: "export * from '../../renderer/src/app.js';", errors: [layer] },
    { filename: at('electron/core/service.ts'), code: "type T = typeof import('../main/index.js');", errors: [layer] },
    { filename: at('electron/core/service.ts'), code: "const m = require('../main/ipc.js');", errors: [layer] },
    { filename: at('electron/core/service.ts'), code: "import { app } from 'electron';", errors: [layer] },
    {
      filename: at('electron/core/service.ts'),
      code: 'const name = "x"; const m = await import(name);',
      errors: [{ messageId: 'computed' }],
    },
    // Hosts keep to themselves.
    { filename: at('electron/server/http-host.ts'), code: "import { x } from '../main/ipc.js';", errors: [layer] },
    { filename: at('electron/cli/main.ts'), code: "import { BrowserWindow } from 'electron/main';", errors: [layer] },
    {
      filename: at('electron/main/index.ts'),
      code: "import { startHttpHost } from '../server/http-host.js';",
      errors: [layer],
    },
    {
      filename: at('electron/preload/index.ts'),
      code: "import { CairnService } from '../core/service.js';",
      errors: [layer],
    },
    { filename: at('electron/preload/index.ts'), code: "import { z } from 'zod';", errors: [layer] },
    // shared/ and the renderer: no Node built-ins, no native or node-only packages, no engine.
    { filename: at('shared/api.ts'), code: "import os from 'os';", errors: [layer] },
    { filename: at('shared/api.ts'), code: "import { readFile } from 'node:fs/promises';", errors: [layer] },
    { filename: at('shared/api.ts'), code: "import { x } from '../electron/core/paths.js';", errors: [layer] },
    { filename: at('renderer/src/app.tsx'), code: "import Database from 'better-sqlite3';", errors: [layer] },
    { filename: at('renderer/src/app.tsx'), code: "const duck = await import('@duckdb/node-api');", errors: [layer] },
    { filename: at('renderer/src/app.tsx'), code: "import os from 'os';", errors: [layer] },
    { filename: at('renderer/src/app.tsx'), code: "import { ipcRenderer } from 'electron';", errors: [layer] },
    {
      filename: at('renderer/src/app.tsx'),
      code: "import type { CairnService } from '../../electron/core/service.js';",
      errors: [layer],
    },
  ],
});
