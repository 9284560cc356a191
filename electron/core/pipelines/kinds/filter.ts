// Filter rows: keeps the rows where a DuckDB boolean expression holds (false or NULL drops them).
import type { KindRunner } from '../executor.js';
import { describe, tableResult } from '../table.js';
import { duckMessage, INPUT_VIEW, kindRunner, openInput, paramError, withConnection, type RunEnv } from './common.js';

export function filterKind(env: RunEnv): KindRunner {
  return kindRunner('filter', {
    version: 1,
    async run(ctx, { condition }) {
      return withConnection(env, ctx.signal, async (conn) => {
        await openInput(conn, ctx);
        // One expression, not a way to append a second statement or clause.
        let type: string;
        try {
          const statements = await conn.extractStatements(`SELECT (${condition}) AS keep FROM ${INPUT_VIEW}`);
          if (statements.count !== 1) throw new Error('write one expression, without ";"');
          type = (await describe(conn, `SELECT (${condition}) AS keep FROM ${INPUT_VIEW}`))[0]?.type ?? '';
        } catch (err) {
          throw paramError('condition', `not a condition over the columns: ${duckMessage(err)}`);
        }
        if (type !== 'BOOLEAN')
          throw paramError('condition', `the condition gives ${type} values, not true or false (e.g. write age >= 18)`);
        try {
          return await tableResult(conn, `SELECT * FROM ${INPUT_VIEW} WHERE (${condition})`, ctx.outDir);
        } catch (err) {
          throw paramError('condition', duckMessage(err));
        }
      });
    },
  });
}
