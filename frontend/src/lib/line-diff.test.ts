import { describe, expect, it } from 'vitest';
import { diffFiles, diffLines } from './line-diff';

describe('line diff', () => {
  it('aligns unchanged lines and marks the rest', () => {
    const d = diffLines('a\nb\nc\nd', 'a\nB\nc\nd\ne');
    expect(d.map((l) => `${l.kind[0]}${l.text}`)).toEqual(['sa', 'rb', 'aB', 'sc', 'sd', 'ae']);
    expect(d.find((l) => l.text === 'B')).toMatchObject({ newLine: 2 });
    expect(d.find((l) => l.text === 'b')).toMatchObject({ oldLine: 2 });
  });

  it('lists only the files that differ', () => {
    const before = [{ name: 'a.yml', code: 'x' }, { name: 'b.yml', code: 'y' }];
    const after = [{ name: 'a.yml', code: 'x' }, { name: 'c.yml', code: 'z' }];
    expect(diffFiles(before, after).map((f) => [f.name, f.status])).toEqual([
      ['b.yml', 'removed'],
      ['c.yml', 'added'],
    ]);
    expect(diffFiles(before, before)).toEqual([]);
  });
});
