// Split: adds the split column (train / validation / test per row) with the same splitting the
// training runs use (random, or stratified so each class keeps its share), seeded. Rows without a
// value in the stratify column get no part, so training and evaluation leave them out.
import { SPLIT_COLUMN, splitParts } from '../../../../shared/pipeline.js';
import type { ColumnType } from '../../../../shared/api.js';
import { ident, literal } from '../../datasets/duck.js';
import { fixedColumnType, storageFamily } from '../../datasets/profile.js';
import { CairnError } from '../../errors.js';
import { readColumns } from '../../training/columns.js';
import { randomSplit, stratifiedSplit, type Splits } from '../../training/splits.js';
import type { KindRunner } from '../executor.js';
import { expectPort } from '../ports.js';
import { tableResult } from '../table.js';
import { INPUT_VIEW, kindRunner, paramError, requireColumns, withInput, type RunEnv } from './common.js';

/**
 * How a DuckDB type is read for class codes: number, boolean and date/time storage keep their own
 * type (stratifiedSplit codes each), text and anything else is read as categories.
 */
function readType(duckType: string): ColumnType {
  return fixedColumnType(storageFamily(duckType)) ?? 'categorical';
}

export function splitKind(env: RunEnv): KindRunner {
  return kindRunner('split', {
    version: 1,
    async run(ctx, p) {
      const table = expectPort(ctx.inputs.data, 'table', 'data');
      // Validation refuses this before a run; a pipeline saved as a draft can still get here.
      if (table.pictures)
        throw new CairnError(
          'invalid_argument',
          'the input is a picture dataset, which a training run splits by label itself: connect the dataset to a train step (model cnn)',
          { port: 'data' },
        );
      const fractions = { train: p.train, validation: p.validation, test: p.test };
      return withInput(env, ctx, async (conn, columns) => {
        if (columns.some((c) => c.name === SPLIT_COLUMN))
          throw paramError('method', `the input is split already (it has a "${SPLIT_COLUMN}" column)`);
        if (columns.some((c) => c.name === 'file_row_number'))
          throw paramError(
            'method',
            'the input has a column named "file_row_number", which the split needs for itself: rename it first',
          );
        let splits: Splits;
        try {
          if (p.method === 'stratified') {
            const name = p.stratify as string;
            requireColumns(columns, [name], 'stratify');
            const storageType = (columns.find((c) => c.name === name) as { type: string }).type;
            const data = await readColumns(conn, table.file, [{ name, storageType, type: readType(storageType) }]);
            splits = stratifiedSplit(
              data.columns.get(name) as NonNullable<ReturnType<typeof data.columns.get>>,
              p.seed,
              { fractions },
            );
          } else {
            const count = await conn.runAndReadAll(`SELECT count(*) FROM ${INPUT_VIEW}`);
            splits = randomSplit(Number(count.getRowsJS()[0]?.[0] ?? 0), p.seed, { fractions });
          }
        } catch (err) {
          if (err instanceof CairnError && err.code === 'invalid_argument' && !err.details?.field) {
            throw paramError(p.method === 'stratified' ? 'stratify' : 'train', err.message, err.details);
          }
          throw err;
        }
        await conn.run('CREATE OR REPLACE TEMP TABLE __parts (row_index BIGINT, part INTEGER)');
        const appender = await conn.createAppender('__parts');
        try {
          splitParts.forEach((_name, part) => {
            for (const r of splits[splitParts[part] as keyof Splits]) {
              appender.appendBigInt(BigInt(r));
              appender.appendInteger(part);
              appender.endRow();
            }
          });
        } finally {
          appender.closeSync();
        }
        const partName = `CASE p.part ${splitParts.map((name, i) => `WHEN ${i} THEN ${literal(name)}`).join(' ')} END`;
        return tableResult(
          conn,
          `SELECT t.* EXCLUDE (file_row_number), ${partName} AS ${ident(SPLIT_COLUMN)}
           FROM read_parquet(${literal(table.file)}, file_row_number = true) t
           LEFT JOIN __parts p ON p.row_index = t.file_row_number
           ORDER BY t.file_row_number`,
          ctx.outDir,
        );
      });
    },
  });
}
