// Encode: text (and boolean) columns to numbers. One-hot: a 0/1 column per value, named
// column_value as pandas' get_dummies names them, the most frequent values first up to a limit,
// the rest sharing column_other; a missing value is 0 everywhere. Ordinal: one integer per value
// in sorted order, missing stays missing. After a split, the values come from the train rows only
// (see fitRows): a value only other rows have goes to column_other (one-hot, all zeros when there is
// none) or becomes missing (ordinal), as scikit-learn's encoders do with handle_unknown set to
// ignore / use_encoded_value.
import { asText, ident, literal } from '../../datasets/duck.js';
import type { KindRunner } from '../executor.js';
import { tableResult } from '../table.js';
import { chooseColumns, fitRows, INPUT_VIEW, kindRunner, paramError, withInput, type RunEnv } from './common.js';

/** Types an encoder takes: text and booleans (numbers are numbers already). */
function encodable(type: string): boolean {
  return type === 'VARCHAR' || type === 'BOOLEAN';
}

export function encodeKind(env: RunEnv): KindRunner {
  return kindRunner('encode', {
    version: 2,
    async run(ctx, p) {
      return withInput(env, ctx, async (conn, columns) => {
        const chosen = chooseColumns(columns, p, {
          byDefault: (c) => c.type === 'VARCHAR',
          accepts: (c) => encodable(c.type),
          refusal: (c) => `"${c.name}" is ${c.type}: only text and boolean columns are encoded`,
        });
        const { where, fit } = await fitRows(conn, columns);
        const names = new Set(columns.map((c) => c.name));
        const exprs = new Map<string, string[]>();
        for (const c of chosen) {
          const text = `CAST(${ident(c.name)} AS VARCHAR)`;
          const counted = (
            await conn.runAndReadAll(
              `SELECT ${text} AS v, count(*) AS n FROM ${INPUT_VIEW} WHERE ${where} AND ${ident(c.name)} IS NOT NULL GROUP BY 1 ORDER BY ${p.method === 'onehot' ? 'n DESC, v' : 'v'}`,
            )
          )
            .getRowsJS()
            .map((r) => asText(r[0]));
          if (p.method === 'ordinal') {
            const cases = counted.map((v, i) => `WHEN ${literal(v)} THEN ${i}`).join(' ');
            exprs.set(c.name, [
              `${counted.length ? `CASE ${text} ${cases} END` : 'NULL'}::INTEGER AS ${ident(c.name)}`,
            ]);
            continue;
          }
          const kept = counted.slice(0, p.maxCategories);
          const rest = counted.length > kept.length;
          const out: string[] = [];
          for (const v of [...kept, ...(rest ? [null] : [])]) {
            const name = `${c.name}_${v ?? 'other'}`;
            if (names.has(name))
              throw paramError('columns', `encoding "${c.name}" would make a column "${name}", which already exists`);
            names.add(name);
            const test =
              v === null
                ? `${text} IS NOT NULL AND ${text} NOT IN (${kept.map((k) => literal(k)).join(', ')})`
                : `${text} IS NOT DISTINCT FROM ${literal(v)}`;
            out.push(`(${test})::INTEGER AS ${ident(name)}`);
          }
          exprs.set(c.name, out);
        }
        const select = columns.flatMap((c) => exprs.get(c.name) ?? [ident(c.name)]);
        if (select.length === 0) throw paramError('columns', 'no columns would be left');
        return tableResult(
          conn,
          `SELECT ${select.join(', ')} FROM ${INPUT_VIEW}`,
          ctx.outDir,
          chosen.length ? { fit } : {},
        );
      });
    },
  });
}
