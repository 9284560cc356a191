// Scale: numeric columns to mean 0 and standard deviation 1 (population deviation, as
// scikit-learn's StandardScaler), or to 0..1 by their minimum and maximum. A column constant in
// the rows fitted on is only shifted (to 0 there). Scaled columns are DOUBLE. After a split, the
// statistics come from the train rows only (see fitRows).
import { ident } from '../../datasets/duck.js';
import type { KindRunner } from '../executor.js';
import { isNumeric, tableResult } from '../table.js';
import { chooseColumns, fitRows, INPUT_VIEW, kindRunner, sqlValue, withInput, type RunEnv } from './common.js';

export function scaleKind(env: RunEnv): KindRunner {
  return kindRunner('scale', {
    version: 2,
    async run(ctx, p) {
      return withInput(env, ctx, async (conn, columns) => {
        const numeric = (c: { type: string }) => isNumeric(c.type);
        const chosen = chooseColumns(columns, p, {
          byDefault: numeric,
          accepts: numeric,
          refusal: (c) => `"${c.name}" is ${c.type}, not a number column`,
        });
        const { where, fit } = await fitRows(conn, columns);
        const stats = chosen.length
          ? ((
              await conn.runAndReadAll(
                `SELECT ${chosen
                  .map((c) => {
                    const x = `CAST(${ident(c.name)} AS DOUBLE)`;
                    return p.method === 'standard' ? `avg(${x}), stddev_pop(${x})` : `min(${x}), max(${x})`;
                  })
                  .join(', ')} FROM ${INPUT_VIEW} WHERE ${where}`,
              )
            ).getRowsJS()[0] ?? [])
          : [];
        const exprs = new Map<string, string>();
        chosen.forEach((c, i) => {
          const x = `CAST(${ident(c.name)} AS DOUBLE)`;
          const a = stats[2 * i] as number | null;
          const b = stats[2 * i + 1] as number | null;
          if (a === null || b === null) return;
          exprs.set(
            c.name,
            p.method === 'standard'
              ? b > 0
                ? `(${x} - ${sqlValue(a)}) / ${sqlValue(b)}`
                : `(${x} - ${sqlValue(a)})`
              : b > a
                ? `(${x} - ${sqlValue(a)}) / ${sqlValue(b - a)}`
                : `(${x} - ${sqlValue(a)})`,
          );
        });
        const select = columns
          .map((c) => (exprs.has(c.name) ? `${exprs.get(c.name) as string} AS ${ident(c.name)}` : ident(c.name)))
          .join(', ');
        return tableResult(conn, `SELECT ${select} FROM ${INPUT_VIEW}`, ctx.outDir, chosen.length ? { fit } : {});
      });
    },
  });
}
