// Select / drop / rename columns.
import { ident } from '../../datasets/duck.js';
import type { KindRunner } from '../executor.js';
import { tableResult } from '../table.js';
import { INPUT_VIEW, kindRunner, paramError, requireColumns, withInput, type RunEnv } from './common.js';

export function columnsKind(env: RunEnv): KindRunner {
  return kindRunner('columns', {
    version: 1,
    async run(ctx, p) {
      return withInput(env, ctx, async (conn, columns) => {
        requireColumns(columns, p.columns, 'columns');
        const named = new Set(p.columns);
        const kept =
          p.mode === 'select'
            ? p.columns.filter((c, i) => p.columns.indexOf(c) === i)
            : columns.map((c) => c.name).filter((c) => !named.has(c));
        if (kept.length === 0) throw paramError('columns', 'that drops every column');
        const renames = new Map<string, string>();
        p.rename.forEach((r, i) => {
          if (!kept.includes(r.from))
            throw paramError(
              `rename.${i}.from`,
              `no column "${r.from}" ${named.has(r.from) && p.mode === 'drop' ? 'left after dropping' : 'among the kept columns'}`,
            );
          renames.set(r.from, r.to);
        });
        const finalNames = kept.map((c) => renames.get(c) ?? c);
        const clash = finalNames.find((n, i) => finalNames.indexOf(n) !== i);
        if (clash !== undefined) {
          const at = p.rename.findIndex((r) => r.to === clash);
          throw paramError(at >= 0 ? `rename.${at}.to` : 'rename', `two columns would be named "${clash}"`);
        }
        const select = kept.map((c, i) => `${ident(c)} AS ${ident(finalNames[i] as string)}`).join(', ');
        return tableResult(conn, `SELECT ${select} FROM ${INPUT_VIEW}`, ctx.outDir);
      });
    },
  });
}
