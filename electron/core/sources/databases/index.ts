// The database source kinds, by the name a source's `kind` gives.
import type { SourceKind, SourceKindName } from '../source-kind.js';
import { mysqlKind } from './mysql.js';
import { postgresKind } from './postgres.js';
import { sqliteKind } from './sqlite.js';

export const databaseKinds: Record<Extract<SourceKindName, 'postgres' | 'mysql' | 'sqlite'>, SourceKind> = {
  postgres: postgresKind,
  mysql: mysqlKind,
  sqlite: sqliteKind,
};
