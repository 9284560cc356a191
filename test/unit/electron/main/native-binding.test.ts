import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { electronSqliteBindingPath } from '../../../../electron/main/native-binding.js';

describe('electronSqliteBindingPath', () => {
  it('keeps one build per Electron version under .cache/electron-native', () => {
    expect(electronSqliteBindingPath('/repo', '45.4.1')).toBe(
      path.join('/repo', '.cache', 'electron-native', '45.4.1', 'better_sqlite3.node'),
    );
  });
});
