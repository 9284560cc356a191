// The runs query language: `model = "gbdt" AND (test.accuracy > 0.9 OR params.learningRate < 0.01)`.
// A hand-written recursive-descent parser: the grammar is a dozen lines, and one written here
// reports every error at its column in the user's words and bounds its own depth, which a parser
// library's generic messages and unbounded recursion would not. The renderer parses as the user
// types; the engine parses the same text again (it never trusts a parsed tree from a client) and
// compiles the tree to SQL with every value bound (electron/core/db/run-query-sql.ts).
//
//   query     := [or] EOF
//   or        := and (OR and)*
//   and       := unary (AND unary)*
//   unary     := NOT unary | '(' or ')' | condition
//   condition := field ( op value | [NOT] IN '(' value (',' value)* ')' | [NOT] LIKE string
//                      | [NOT] CONTAINS string | IS [NOT] NULL )
//   op        := = | == | != | <> | < | <= | > | >=
//   value     := number | string | word        (a bare word is text: status = failed)
//
// LIKE takes SQL's wildcards (% and _, \ escapes them); CONTAINS takes plain text. Keywords are case-blind. A comparison with a value the run lacks (no test accuracy yet) is false,
// and so is its NOT: `NOT test.accuracy > 0.9` keeps runs scoring at most 0.9, not failed runs.
import { MAX_QUERY_LENGTH } from '../api/runs.js';
import { knownFieldsLike, queryField, type QueryField } from './fields.js';

export { MAX_QUERY_LENGTH };

/** Deepest nesting of parentheses and NOTs: bounds the parser's and SQLite's recursion. */
export const MAX_QUERY_DEPTH = 16;
/** Most conditions in one query: bounds the SQL and its bound parameters. */
export const MAX_QUERY_CONDITIONS = 64;
/** Most values in one IN list. */
export const MAX_IN_VALUES = 100;

export type Comparison = '=' | '!=' | '<' | '<=' | '>' | '>=';
export type Literal = string | number;

export type QueryNode =
  | { kind: 'and' | 'or'; items: QueryNode[] }
  | { kind: 'not'; item: QueryNode }
  | { kind: 'compare'; field: QueryField; op: Comparison; value: Literal }
  | { kind: 'in'; field: QueryField; values: Literal[]; negated: boolean }
  | { kind: 'like'; field: QueryField; pattern: string; negated: boolean }
  /** `IS NULL` (negated: `IS NOT NULL`): whether the run has the value at all. */
  | { kind: 'missing'; field: QueryField; negated: boolean };

/** A parsed query: null keeps every run (an empty query). */
export type RunQuery = QueryNode | null;

/** A query the parser refuses, with where: `column` is 1-based, `length` the characters to underline. */
export class RunQueryError extends Error {
  constructor(
    message: string,
    readonly column: number,
    readonly length = 1,
  ) {
    super(message);
    this.name = 'RunQueryError';
  }
}

type Token =
  | { kind: 'word'; text: string; at: number }
  | { kind: 'string'; value: string; text: string; at: number }
  | { kind: 'number'; value: number; text: string; at: number }
  | { kind: 'op'; text: Comparison; at: number }
  | { kind: 'punct'; text: '(' | ')' | ','; at: number }
  | { kind: 'end'; text: ''; at: number };

const WORD = /[A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z_][A-Za-z0-9_]*)*/y;
const NUMBER = /-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][+-]?\d+)?/y;
const OPS: readonly [string, Comparison][] = [
  ['<=', '<='],
  ['>=', '>='],
  ['!=', '!='],
  ['<>', '!='],
  ['==', '='],
  ['=', '='],
  ['<', '<'],
  ['>', '>'],
];

/** "column 12" for a 0-based offset. */
function at(offset: number): string {
  return `column ${offset + 1}`;
}

function fail(message: string, offset: number, length = 1): never {
  throw new RunQueryError(`${message} at ${at(offset)}`, offset + 1, Math.max(1, length));
}

/** A character as an error names it: visible, quoted, control characters as code points. */
function shown(c: string): string {
  const code = c.codePointAt(0) ?? 0;
  return code < 0x20 || code === 0x7f ? `U+${code.toString(16).toUpperCase().padStart(4, '0')}` : `'${c}'`;
}

function readString(text: string, start: number): Token {
  const quote = text[start];
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i] as string;
    if (c === quote) return { kind: 'string', value, text: text.slice(start, i + 1), at: start };
    if (c === '\\' && i + 1 < text.length) {
      // Only a quote or a backslash is escaped; any other pair stays as written (a LIKE pattern's \%).
      const next = text[i + 1] as string;
      value += next === quote || next === '\\' ? next : c + next;
      i++;
    } else value += c;
  }
  return fail(`unterminated text: no closing ${quote}`, start, text.length - start);
}

function tokenize(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i] as string;
    if (/\s/.test(c)) {
      i++;
      continue;
    }
    if (c === '"' || c === "'") {
      const t = readString(text, i);
      tokens.push(t);
      i += t.text.length;
      continue;
    }
    if (c === '(' || c === ')' || c === ',') {
      tokens.push({ kind: 'punct', text: c, at: i });
      i++;
      continue;
    }
    NUMBER.lastIndex = i;
    const num = NUMBER.exec(text);
    if (num) {
      const value = Number(num[0]);
      if (!Number.isFinite(value)) fail(`number ${num[0]} is too large`, i, num[0].length);
      tokens.push({ kind: 'number', value, text: num[0], at: i });
      i += num[0].length;
      continue;
    }
    WORD.lastIndex = i;
    const word = WORD.exec(text);
    if (word) {
      tokens.push({ kind: 'word', text: word[0], at: i });
      i += word[0].length;
      continue;
    }
    const op = OPS.find(([written]) => text.startsWith(written, i));
    if (op) {
      tokens.push({ kind: 'op', text: op[1], at: i });
      i += op[0].length;
      continue;
    }
    fail(`unexpected ${shown(c)}`, i);
  }
  tokens.push({ kind: 'end', text: '', at: text.length });
  return tokens;
}

const KEYWORDS = new Set(['and', 'or', 'not', 'in', 'like', 'contains', 'is', 'null']);

function isKeyword(t: Token, keyword: string): boolean {
  return t.kind === 'word' && t.text.toLowerCase() === keyword;
}

/** How a token is named in "expected …, found …". */
function describe(t: Token): string {
  return t.kind === 'end' ? 'the end of the query' : `'${t.text}'`;
}

class Parser {
  private pos = 0;
  private conditions = 0;

  constructor(private readonly tokens: Token[]) {}

  private peek(): Token {
    return this.tokens[this.pos] as Token;
  }

  private next(): Token {
    const t = this.peek();
    if (t.kind !== 'end') this.pos++;
    return t;
  }

  private expectPunct(text: '(' | ')', what: string): void {
    const t = this.peek();
    if (t.kind !== 'punct' || t.text !== text) fail(`expected ${what}, found ${describe(t)}`, t.at, t.text.length);
    this.pos++;
  }

  query(): RunQuery {
    if (this.peek().kind === 'end') return null;
    const node = this.or(0);
    const t = this.peek();
    if (t.kind !== 'end') {
      const hint =
        t.kind === 'punct' && t.text === ')'
          ? 'a ) without its ('
          : `expected AND, OR or the end, found ${describe(t)}`;
      fail(hint, t.at, t.text.length);
    }
    return node;
  }

  /** Operands joined by one keyword, as one flat node: `a AND b AND c` is not nested. */
  private chain(kind: 'and' | 'or', operand: () => QueryNode): QueryNode {
    const items = [operand()];
    while (isKeyword(this.peek(), kind)) {
      this.pos++;
      items.push(operand());
    }
    return items.length === 1 ? (items[0] as QueryNode) : { kind, items };
  }

  private or(depth: number): QueryNode {
    return this.chain('or', () => this.and(depth));
  }

  private and(depth: number): QueryNode {
    return this.chain('and', () => this.unary(depth));
  }

  private unary(depth: number): QueryNode {
    const t = this.peek();
    const nests = isKeyword(t, 'not') || (t.kind === 'punct' && t.text === '(');
    // Checked before descending, so a hostile "((((…" is refused without deep recursion.
    if (nests && depth >= MAX_QUERY_DEPTH)
      fail(`the query nests more than ${MAX_QUERY_DEPTH} levels of parentheses and NOT`, t.at);
    if (isKeyword(t, 'not')) {
      this.pos++;
      return { kind: 'not', item: this.unary(depth + 1) };
    }
    if (t.kind === 'punct' && t.text === '(') {
      this.pos++;
      const inner = this.or(depth + 1);
      this.expectPunct(')', "')'");
      return inner;
    }
    return this.condition();
  }

  private field(): QueryField {
    const t = this.next();
    if (t.kind !== 'word' || KEYWORDS.has(t.text.toLowerCase()))
      fail(`expected a field such as model or test.accuracy, found ${describe(t)}`, t.at, t.text.length);
    const field = queryField(t.text);
    if (!field) {
      const known = knownFieldsLike(t.text).join(', ');
      throw new RunQueryError(`unknown field ${t.text} at ${at(t.at)}; known: ${known}`, t.at + 1, t.text.length);
    }
    return field;
  }

  private condition(): QueryNode {
    const start = this.peek();
    const field = this.field();
    if (++this.conditions > MAX_QUERY_CONDITIONS)
      fail(`the query has more than ${MAX_QUERY_CONDITIONS} conditions`, start.at, start.text.length);
    const t = this.next();
    if (t.kind === 'op') return { kind: 'compare', field, op: t.text, value: this.value(field) };
    if (isKeyword(t, 'is')) {
      const negated = isKeyword(this.peek(), 'not');
      if (negated) this.pos++;
      const n = this.next();
      if (!isKeyword(n, 'null')) fail(`expected NULL after IS, found ${describe(n)}`, n.at, n.text.length);
      return { kind: 'missing', field, negated };
    }
    const negated = isKeyword(t, 'not');
    const verb = negated ? this.next() : t;
    if (isKeyword(verb, 'in')) return { kind: 'in', field, values: this.list(field), negated };
    if (isKeyword(verb, 'like') || isKeyword(verb, 'contains')) {
      const like = isKeyword(verb, 'like');
      const name = like ? 'LIKE' : 'CONTAINS';
      if (field.type !== 'text')
        fail(`${name} matches text, and ${field.name} holds numbers`, verb.at, verb.text.length);
      const p = this.next();
      if (p.kind !== 'string') fail(`expected quoted text after ${name}, found ${describe(p)}`, p.at, p.text.length);
      // CONTAINS is LIKE around the text, its own wildcards escaped: `name CONTAINS "50%"` means 50%.
      const pattern = like ? p.value : `%${p.value.replace(/[\\%_]/g, '\\$&')}%`;
      return { kind: 'like', field, pattern, negated };
    }
    return fail(
      `expected a comparison (= != < <= > >=), IN, LIKE, CONTAINS or IS after ${field.name}, found ${describe(verb)}`,
      verb.at,
      verb.text.length,
    );
  }

  private list(field: QueryField): Literal[] {
    this.expectPunct('(', "'(' after IN");
    const values = [this.value(field)];
    for (;;) {
      const t = this.next();
      if (t.kind === 'punct' && t.text === ')') return values;
      if (t.kind !== 'punct' || t.text !== ',')
        fail(`expected ',' or ')' in the IN list, found ${describe(t)}`, t.at, t.text.length);
      if (values.length >= MAX_IN_VALUES) fail(`an IN list holds at most ${MAX_IN_VALUES} values`, t.at);
      values.push(this.value(field));
    }
  }

  /** A literal, checked against the field: a number for numbers, one of a closed set's values. */
  private value(field: QueryField): Literal {
    const t = this.next();
    if (t.kind === 'number') {
      if (field.type === 'number') return t.value;
      return this.textValue(field, t.text, t);
    }
    if (t.kind === 'string' || (t.kind === 'word' && !KEYWORDS.has(t.text.toLowerCase()))) {
      const text = t.kind === 'string' ? t.value : t.text;
      if (field.type === 'number') fail(`${field.name} holds numbers, not text like ${t.text}`, t.at, t.text.length);
      return this.textValue(field, text, t);
    }
    if (isKeyword(t, 'null'))
      fail(`to find runs without ${field.name}, write ${field.name} IS NULL`, t.at, t.text.length);
    return fail(`expected a value after ${field.name}, found ${describe(t)}`, t.at, t.text.length);
  }

  private textValue(field: QueryField, text: string, t: Token): string {
    if (field.values && !field.values.includes(text))
      fail(`${field.name} is never ${JSON.stringify(text)}; known: ${field.values.join(', ')}`, t.at, t.text.length);
    return text;
  }
}

/** The query's tree; throws RunQueryError, with the column, for anything it cannot read. */
export function parseRunQuery(text: string): RunQuery {
  if (text.length > MAX_QUERY_LENGTH)
    throw new RunQueryError(`the query is longer than ${MAX_QUERY_LENGTH} characters`, MAX_QUERY_LENGTH + 1);
  return new Parser(tokenize(text)).query();
}

/** Why a query cannot be read, or undefined when it can: for checking as the user types. */
export function runQueryError(text: string): RunQueryError | undefined {
  try {
    parseRunQuery(text);
    return undefined;
  } catch (err) {
    if (err instanceof RunQueryError) return err;
    throw err;
  }
}
