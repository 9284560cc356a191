// SQL transform: one DuckDB SELECT over the input table, which the query reads as `input`.
import { SQL_INPUT_TABLE } from '../../../../shared/pipeline.js';
import type { StatementType } from '@duckdb/node-api';
import type { KindRunner } from '../executor.js';
import { tableResult } from '../table.js';
import { duckMessage, kindRunner, openInput, paramError, withConnection, type RunEnv } from './common.js';

export function sqlKind(env: RunEnv): KindRunner {
  return kindRunner('sql', {
    version: 1,
    async run(ctx, { query }) {
      const text = query.trim().replace(/;\s*$/, '');
      return withConnection(env, ctx.signal, async (conn) => {
        await openInput(conn, ctx);
        const { StatementType: Statement } = await import('@duckdb/node-api');
        let kind: StatementType;
        try {
          const statements = await conn.extractStatements(text);
          if (statements.count !== 1)
            throw paramError('query', `write one SELECT statement (this has ${statements.count})`);
          kind = (await statements.prepare(0)).statementType;
        } catch (err) {
          if (err instanceof Error && err.name === 'CairnError') throw err;
          throw paramError('query', duckMessage(err));
        }
        if (kind !== Statement.SELECT)
          throw paramError(
            'query',
            `the query must be a SELECT reading "${SQL_INPUT_TABLE}"; it may not change anything`,
          );
        try {
          return await tableResult(conn, text, ctx.outDir);
        } catch (err) {
          throw paramError('query', duckMessage(err));
        }
      });
    },
  });
}
