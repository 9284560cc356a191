// Impute: fills missing values per column (a rule), else by the column's type: numbers with their
// mean, median or most frequent value, other columns with their most frequent value. Statistics
// are over the present values of the input; a filled column keeps its type (an integer column's
// mean is rounded). After a split, the statistics come from the train rows only (see fitRows).
import { SPLIT_COLUMN } from '../../../../shared/pipeline.js';
import { ident, literal } from '../../datasets/duck.js';
import type { KindRunner } from '../executor.js';
import { isNumeric, tableResult, type TableColumn } from '../table.js';
import {
  fitRows,
  INPUT_VIEW,
  kindRunner,
  paramError,
  requireColumns,
  sqlValue,
  withInput,
  type RunEnv,
} from './common.js';

type Strategy = 'mean' | 'median' | 'mode' | 'constant';

interface Plan {
  column: TableColumn;
  strategy: Strategy;
  /** The field to blame for a problem with this column. */
  field: string;
  value?: string;
}

const STAT = { mean: 'avg', median: 'median', mode: 'mode' } as const;

export function imputeKind(env: RunEnv): KindRunner {
  return kindRunner('impute', {
    version: 2,
    async run(ctx, p) {
      return withInput(env, ctx, async (conn, columns) => {
        requireColumns(columns, p.exclude, 'exclude');
        p.rules.forEach((r, i) => {
          requireColumns(columns, [r.column], `rules.${i}.column`);
          if (r.column === SPLIT_COLUMN)
            throw paramError(`rules.${i}.column`, `"${SPLIT_COLUMN}" says which part a row is in: it is not filled`);
        });
        const rules = new Map(p.rules.map((r, i) => [r.column, { ...r, i }]));
        const excluded = new Set([...p.exclude, SPLIT_COLUMN]);
        const plans: Plan[] = [];
        for (const column of columns) {
          const rule = rules.get(column.name);
          if (rule) {
            if ((rule.strategy === 'mean' || rule.strategy === 'median') && !isNumeric(column.type)) {
              throw paramError(
                `rules.${rule.i}.strategy`,
                `"${column.name}" is ${column.type}: its ${rule.strategy} means nothing (use most frequent or a constant)`,
              );
            }
            plans.push({
              column,
              strategy: rule.strategy,
              field: `rules.${rule.i}`,
              ...(rule.value !== undefined ? { value: rule.value } : {}),
            });
          } else if (!excluded.has(column.name)) {
            const strategy = isNumeric(column.type) ? p.numeric : p.other;
            if (strategy !== 'none')
              plans.push({ column, strategy, field: isNumeric(column.type) ? 'numeric' : 'other' });
          }
        }
        const computed = plans.filter((x) => x.strategy !== 'constant');
        const { where, fit } = await fitRows(conn, columns);
        const stats = computed.length
          ? ((
              await conn.runAndReadAll(
                `SELECT ${computed.map((x) => `${STAT[x.strategy as keyof typeof STAT]}(${ident(x.column.name)})`).join(', ')} FROM ${INPUT_VIEW} WHERE ${where}`,
              )
            ).getRowsJS()[0] ?? [])
          : [];
        const fills = new Map<string, string>();
        computed.forEach((x, i) => {
          const v = stats[i];
          // A column with no values at all has nothing to fill from: it stays missing.
          if (v !== null && v !== undefined) fills.set(x.column.name, `CAST(${sqlValue(v)} AS ${x.column.type})`);
        });
        for (const x of plans.filter((y) => y.strategy === 'constant')) {
          const cast = `TRY_CAST(${literal(x.value ?? '')} AS ${x.column.type})`;
          const ok = (await conn.runAndReadAll(`SELECT ${cast} IS NOT NULL`)).getRowsJS()[0]?.[0];
          if (ok !== true)
            throw paramError(
              `${x.field}.value`,
              `"${x.value ?? ''}" cannot be read as ${x.column.type}, the type of "${x.column.name}"`,
            );
          fills.set(x.column.name, cast);
        }
        const select = columns
          .map((c) => {
            const fill = fills.get(c.name);
            return fill ? `COALESCE(${ident(c.name)}, ${fill}) AS ${ident(c.name)}` : ident(c.name);
          })
          .join(', ');
        return tableResult(conn, `SELECT ${select} FROM ${INPUT_VIEW}`, ctx.outDir, computed.length ? { fit } : {});
      });
    },
  });
}
