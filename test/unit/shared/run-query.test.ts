import { describe, expect, it } from 'vitest';
import {
  knownFieldsLike,
  parseRunQuery,
  queryField,
  QUERY_FIELDS,
  runQueryError,
  type RunQueryError,
  type QueryNode,
} from '../../../shared/run-query.js';
import { PARAM_SETTINGS } from '../../../shared/run-query/fields.js';

/** A tree written back as text with every group bracketed, so precedence shows. */
function show(node: QueryNode | null): string {
  if (node === null) return '∅';
  switch (node.kind) {
    case 'and':
    case 'or':
      return `(${node.items.map(show).join(` ${node.kind.toUpperCase()} `)})`;
    case 'not':
      return `NOT ${show(node.item)}`;
    case 'compare':
      return `${node.field.name} ${node.op} ${JSON.stringify(node.value)}`;
    case 'in':
      return `${node.field.name} ${node.negated ? 'NOT IN' : 'IN'} ${JSON.stringify(node.values)}`;
    case 'like':
      return `${node.field.name} ${node.negated ? 'NOT LIKE' : 'LIKE'} ${JSON.stringify(node.pattern)}`;
    case 'missing':
      return `${node.field.name} IS ${node.negated ? 'NOT NULL' : 'NULL'}`;
  }
}

const parsed = (text: string) => show(parseRunQuery(text));

function errorOf(text: string): RunQueryError {
  const err = runQueryError(text);
  if (!err) throw new Error(`expected ${text} to be refused`);
  return err;
}

describe('parseRunQuery', () => {
  it('reads the issue example with AND binding tighter than OR', () => {
    expect(parsed('model = "gbdt" AND (test.accuracy > 0.9 OR params.learningRate < 0.01)')).toBe(
      '(model = "gbdt" AND (test.accuracy > 0.9 OR params.learningRate < 0.01))',
    );
    expect(parsed('seed = 1 OR seed = 2 AND seed = 3')).toBe('(seed = 1 OR (seed = 2 AND seed = 3))');
    expect(parsed('seed = 1 AND seed = 2 OR seed = 3')).toBe('((seed = 1 AND seed = 2) OR seed = 3)');
  });

  it('binds NOT tighter than AND, and chains of one operator stay flat', () => {
    expect(parsed('NOT seed = 1 AND seed = 2')).toBe('(NOT seed = 1 AND seed = 2)');
    expect(parsed('NOT (seed = 1 AND seed = 2)')).toBe('NOT (seed = 1 AND seed = 2)');
    expect(parsed('not not seed = 1')).toBe('NOT NOT seed = 1');
    expect(parsed('seed = 1 and seed = 2 and seed = 3')).toBe('(seed = 1 AND seed = 2 AND seed = 3)');
  });

  it('reads every comparison, IN, LIKE, IS NULL, and values as numbers, quoted or bare text', () => {
    expect(parsed('duration <= 1.5e2')).toBe('duration <= 150');
    expect(parsed('version >= 2 AND version != 3 AND version <> 4 AND version == 5 AND version < -1')).toBe(
      '(version >= 2 AND version != 3 AND version != 4 AND version = 5 AND version < -1)',
    );
    expect(parsed('status IN (failed, \'cancelled\', "interrupted")')).toBe(
      'status IN ["failed","cancelled","interrupted"]',
    );
    expect(parsed('model NOT IN ("mlp")')).toBe('model NOT IN ["mlp"]');
    expect(parsed('dataset LIKE "iris%" AND name NOT LIKE \'%\\_v2\'')).toBe(
      '(dataset LIKE "iris%" AND name NOT LIKE "%\\\\_v2")',
    );
    // CONTAINS is plain text: its %, _ and \ are escaped into the LIKE pattern.
    expect(parsed(String.raw`name CONTAINS "50%_a\\b" AND target not contains "x"`)).toBe(
      String.raw`(name LIKE "%50\\%\\_a\\\\b%" AND target NOT LIKE "%x%")`,
    );
    expect(parsed('validation.accuracy IS NULL OR test.r2 is not null')).toBe(
      '(validation.accuracy IS NULL OR test.r2 IS NOT NULL)',
    );
    expect(parsed('name = "say \\"hi\\" \\\\ there"')).toBe('name = "say \\"hi\\" \\\\ there"');
    // A number written for a text field is its text.
    expect(parsed('target = 2024')).toBe('target = "2024"');
  });

  it('reads field names and keywords in any case, and the empty query as keep-all', () => {
    expect(parsed('PARAMS.LEARNINGRATE < 0.1 And Model = gbdt')).toBe('(params.learningRate < 0.1 AND model = "gbdt")');
    expect(parseRunQuery('')).toBeNull();
    expect(parseRunQuery('   \n ')).toBeNull();
  });

  it('names the column of each error', () => {
    const unknown = errorOf('model = "gbdt" AND params.foo > 1');
    expect(unknown.column).toBe(20);
    expect(unknown.length).toBe('params.foo'.length);
    expect(unknown.message).toMatch(/^unknown field params\.foo at column 20; known: params\.epochs, /);
    expect(unknown.message).toContain('params.learningRate');
    expect(unknown.message).not.toContain('test.accuracy');

    expect(errorOf('seed = 1 AND').message).toBe(
      'expected a field such as model or test.accuracy, found the end of the query at column 13',
    );
    expect(errorOf('(seed = 1').message).toBe("expected ')', found the end of the query at column 10");
    expect(errorOf('seed = 1)').message).toBe('a ) without its ( at column 9');
    expect(errorOf('seed = 1 seed = 2').message).toBe("expected AND, OR or the end, found 'seed' at column 10");
    expect(errorOf('name = "open').message).toBe('unterminated text: no closing " at column 8');
    expect(errorOf('seed ~ 1').message).toBe("unexpected '~' at column 6");
    expect(errorOf('seed 1').message).toBe(
      "expected a comparison (= != < <= > >=), IN, LIKE, CONTAINS or IS after seed, found '1' at column 6",
    );
    expect(errorOf('test.accuracy > "high"').message).toBe(
      'test.accuracy holds numbers, not text like "high" at column 17',
    );
    expect(errorOf('duration LIKE "1%"').message).toBe('LIKE matches text, and duration holds numbers at column 10');
    expect(errorOf('name CONTAINS iris').message).toBe(
      "expected quoted text after CONTAINS, found 'iris' at column 15",
    );
    expect(errorOf('model = "gbm"').message).toBe(
      'model is never "gbm"; known: auto, mlp, gbdt, logistic_regression, linear_regression, cnn at column 9',
    );
    expect(errorOf('params.optimizer IN (adam, adamw)').column).toBe(28);
    expect(errorOf('test.accuracy = null').message).toBe(
      'to find runs without test.accuracy, write test.accuracy IS NULL at column 17',
    );
    expect(errorOf('seed IS 1').message).toBe("expected NULL after IS, found '1' at column 9");
    expect(errorOf('seed = 1e999').message).toBe('number 1e999 is too large at column 8');
  });

  it('suggests the columns for a misspelt bare name, and the split for a misspelt score', () => {
    expect(errorOf('modle = mlp').message).toMatch(/^unknown field modle at column 1; known: id, name, model, status,/);
    expect(knownFieldsLike('test.acc')).toContain('test.accuracy');
    expect(knownFieldsLike('test.acc').every((n) => n.startsWith('test.'))).toBe(true);
  });
});

describe('query fields', () => {
  it('offer every scalar training setting as params.<name>, typed as the setting is', () => {
    for (const [name, setting] of Object.entries(PARAM_SETTINGS)) {
      const field = queryField(`params.${name}`);
      expect(field?.type, name).toBe(setting.type === 'enum' ? 'text' : 'number');
      if (setting.type === 'enum') expect(field?.values).toEqual(setting.options.map((o) => o.value));
    }
    expect(queryField('seed')?.source).toEqual({ kind: 'param', param: 'seed' });
  });

  it('offer each score on the test and validation splits', () => {
    expect(queryField('test.f1_macro')?.source).toEqual({ kind: 'score', split: 'test', metric: 'f1_macro' });
    expect(queryField('validation.rmse')?.source).toEqual({ kind: 'score', split: 'validation', metric: 'rmse' });
    expect([...QUERY_FIELDS.keys()].filter((n) => n.startsWith('test.')).length).toBe(
      [...QUERY_FIELDS.keys()].filter((n) => n.startsWith('validation.')).length,
    );
  });
});
