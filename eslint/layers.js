// The layer rule DESIGN.md asks for: a file may import only from the rooms its own room may see,
// and only the packages its runtime has. Every import form counts (static, re-export, dynamic
// `import()` and `require()`), and relative specifiers are judged by the path they resolve to, so
// `await import('../main/x.js')` from the engine is caught like a static import is (as VS Code's
// code-layering rule does). Tested in test/unit/eslint/layers.test.ts.
import { builtinModules } from 'node:module';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..');

/** Rooms by folder, most specific first; files outside them (tests, benchmarks, scripts) are free. */
const ROOMS = [
  ['electron/core/', 'core'],
  ['electron/main/', 'main'],
  ['electron/preload/', 'preload'],
  ['electron/server/', 'server'],
  ['electron/cli/', 'cli'],
  ['shared/', 'shared'],
  ['renderer/', 'renderer'],
];

/** The rooms each room may import from. */
const SEES = {
  shared: ['shared'],
  core: ['shared', 'core'],
  main: ['shared', 'core', 'main'],
  preload: ['shared', 'preload'],
  server: ['shared', 'core', 'server'],
  cli: ['shared', 'core', 'server', 'cli'],
  renderer: ['shared', 'renderer'],
};

const NODE_BUILTINS = new Set(builtinModules.flatMap((m) => [m, `node:${m}`]));

/**
 * Packages by room. Rooms that run in a browser or in both runtimes list what they may use (so a
 * native or node-only package, `better-sqlite3` say, cannot creep in); the Node rooms list what they
 * may not. A new renderer dependency is added here on purpose.
 */
const PACKAGES = {
  shared: { allow: ['zod'] },
  renderer: {
    allow: ['react', 'react-dom', '@xyflow/react', '@tanstack/react-virtual', 'echarts', '@dagrejs/dagre', 'zod'],
  },
  // Sandboxed preloads load as one CommonJS script: electron and nothing from node_modules.
  preload: { allow: ['electron'] },
  core: { deny: ['electron'] },
  server: { deny: ['electron'] },
  cli: { deny: ['electron'] },
  main: { deny: [] },
};

/** The room of a file (an absolute path), or undefined outside every room. */
export function roomOf(file) {
  const rel = path.relative(ROOT, path.resolve(file)).split(path.sep).join('/');
  if (rel.startsWith('..')) return undefined;
  return ROOMS.find(([prefix]) => rel.startsWith(prefix))?.[1];
}

/** `@scope/name/sub` -> `@scope/name`; `name/sub` -> `name`. */
function packageName(specifier) {
  const parts = specifier.split('/');
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : (parts[0] ?? specifier);
}

/** Why `specifier` may not be imported from `file`, or undefined when it may. */
export function layerViolation(file, specifier) {
  const room = roomOf(file);
  if (!room) return undefined;
  if (specifier.startsWith('.') || specifier.startsWith('/')) {
    const target = roomOf(path.resolve(path.dirname(path.resolve(file)), specifier));
    if (target && !SEES[room].includes(target)) return `${room} may not import ${target} (${specifier})`;
    if (!target && !specifier.startsWith('.'))
      return `${room} may not import a file outside the source rooms (${specifier})`;
    return undefined;
  }
  const rules = PACKAGES[room];
  if (NODE_BUILTINS.has(specifier)) {
    return rules.allow || rules.deny?.includes(specifier)
      ? `${room} may not import the Node built-in ${specifier}`
      : undefined;
  }
  const name = packageName(specifier);
  if (rules.allow && !rules.allow.includes(name))
    return `${room} may not import the package ${name} (allowed: ${rules.allow.join(', ')})`;
  if (rules.deny?.includes(name)) return `${room} may not import ${name}`;
  return undefined;
}

/** The string a module-source node names, or undefined when it is computed. */
function literalSource(node) {
  if (!node) return undefined;
  if (node.type === 'Literal' && typeof node.value === 'string') return node.value;
  if (node.type === 'TemplateLiteral' && node.expressions.length === 0)
    return node.quasis[0]?.value.cooked ?? undefined;
  return undefined;
}

/** @type {import('eslint').Rule.RuleModule} */
export const layersRule = {
  meta: {
    type: 'problem',
    docs: { description: 'Imports follow the rooms of DESIGN.md: core, hosts, shared and renderer.' },
    schema: [],
    messages: {
      layer: '{{why}}.',
      computed: 'a dynamic import in {{room}} must name its module as a string, so the layer rule can check it.',
    },
  },
  create(context) {
    const file = context.filename;
    const room = roomOf(file);
    if (!room) return {};
    const check = (node, sourceNode) => {
      const specifier = literalSource(sourceNode);
      if (specifier === undefined) {
        context.report({ node, messageId: 'computed', data: { room } });
        return;
      }
      const why = layerViolation(file, specifier);
      if (why) context.report({ node, messageId: 'layer', data: { why } });
    };
    return {
      ImportDeclaration: (node) => check(node, node.source),
      ExportNamedDeclaration: (node) => node.source && check(node, node.source),
      ExportAllDeclaration: (node) => check(node, node.source),
      ImportExpression: (node) => check(node, node.source),
      TSImportType: (node) => check(node, node.source),
      CallExpression: (node) => {
        if (node.callee.type === 'Identifier' && node.callee.name === 'require' && node.arguments.length === 1)
          check(node, node.arguments[0]);
      },
    };
  },
};

export default { rules: { layers: layersRule } };
