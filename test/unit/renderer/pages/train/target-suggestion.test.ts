import { describe, expect, it } from 'vitest';
import type { ColumnProfile } from '../../../../../shared/api.js';
import { nameWords, suggestTarget } from '../../../../../renderer/src/pages/train/target-suggestion.js';
import { col as profile } from '../column-profile.js';

const col = (name: string, type: ColumnProfile['type'], distinct = 50) => profile(name, type, { distinct });

const num = (name: string, distinct = 500) => col(name, 'numeric', distinct);
const int = (name: string, distinct = 30) => col(name, 'integer', distinct);
const cat = (name: string, distinct: number) => col(name, 'categorical', distinct);
const bool = (name: string) => col(name, 'boolean', 2);
const target = (columns: ColumnProfile[], rows?: number) => suggestTarget(columns, rows)?.column;

describe('target suggestion', () => {
  it('picks the price in a table of gem dimensions, not the coordinate-like y', () => {
    const diamonds = [
      num('carat'),
      cat('cut', 5),
      cat('color', 7),
      cat('clarity', 8),
      num('depth'),
      num('table'),
      int('price', 11602),
      num('x'),
      num('y'),
      num('z'),
    ];
    const s = suggestTarget(diamonds, 53940);
    expect(s?.column).toBe('price');
    expect(s?.reason).toMatch(/named like an outcome/);
  });

  it('picks a yes/no first column over a count that happens to be last', () => {
    const credit = [
      bool('card'),
      int('reports', 13),
      num('age'),
      num('income'),
      num('share'),
      num('expenditure'),
      bool('owner'),
      bool('selfemp'),
      int('dependents', 7),
      int('months', 193),
      int('majorcards', 2),
      int('active', 35),
    ];
    const s = suggestTarget(credit, 1319);
    expect(s?.column).toBe('card');
    expect(s?.reason).toBe('first column, two values');
  });

  it('picks the last column of a daily weather table, past its date', () => {
    const weather = [
      col('date', 'datetime', 1461),
      num('precipitation'),
      num('temp_max'),
      num('temp_min'),
      num('wind'),
      cat('weather', 5),
    ];
    expect(suggestTarget(weather, 1461)).toEqual({ column: 'weather', reason: 'last column, 5 classes' });
    const rain = [
      col('Date', 'datetime'),
      cat('Location', 49),
      num('MinTemp'),
      num('Rainfall'),
      bool('RainToday'),
      bool('RainTomorrow'),
    ];
    expect(target(rain, 1000)).toBe('RainTomorrow');
  });

  it('picks iris species by name and position', () => {
    const iris = [num('sepal_length'), num('sepal_width'), num('petal_length'), num('petal_width'), cat('species', 3)];
    expect(suggestTarget(iris, 150)).toEqual({
      column: 'species',
      reason: 'named like an outcome, last column, 3 classes',
    });
  });

  it('lets a target-like name anywhere beat position and shape', () => {
    expect(target([bool('flag'), cat('label', 4), num('a'), bool('done')])).toBe('label');
    expect(target([num('a'), int('isFraud', 2), num('b')])).toBe('isFraud');
    expect(target([num('a'), num('target_value'), bool('last')])).toBe('target_value');
  });

  it('takes y as a target only when no other sign points elsewhere', () => {
    expect(target([num('y'), num('a'), num('b')])).toBe('y');
    expect(target([num('x'), num('y')])).toBe('y');
  });

  it('passes over ids, constants and columns that cannot be targets', () => {
    expect(target([int('id', 1000), num('a'), num('b')], 1000)).toBe('b');
    expect(target([num('a'), num('b'), cat('constant', 1)])).toBe('b');
    expect(target([num('a'), num('b'), col('notes', 'text'), col('when', 'datetime')])).toBe('b');
    expect(target([col('when', 'datetime')])).toBeUndefined();
  });

  it('splits names into words at separators and camelCase humps', () => {
    expect(nameWords('RainTomorrow')).toEqual(['rain', 'tomorrow']);
    expect(nameWords('sale_price-usd')).toEqual(['sale', 'price', 'usd']);
    expect(nameWords('classLabel2')).toEqual(['class', 'label2']);
  });
});
