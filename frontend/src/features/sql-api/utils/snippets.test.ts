import { describe, expect, it } from 'vitest';
import { connectionInfo } from '@/testing/fixtures';
import { buildSnippets, withPassword } from './snippets';

describe('connection snippets', () => {
  it('puts an escaped password into URLs only when it is known', () => {
    expect(withPassword('postgresql://u1@h:1/db', 'u1', 'a/b@c')).toBe('postgresql://u1:a%2Fb%40c@h:1/db');
    expect(withPassword('postgresql://u1@h:1/db', 'u1', '<password>')).toBe('postgresql://u1:<password>@h:1/db');
  });

  it('covers every tool the issue names, for both protocols', () => {
    for (const protocol of ['postgres', 'mysql'] as const) {
      const ids = buildSnippets(protocol, connectionInfo(protocol, 'u1'), null).map((s) => s.id);
      expect(ids).toEqual([protocol === 'postgres' ? 'psql' : 'mysql', 'uri', 'jdbc', 'sqlalchemy', 'jupyter', 'tableau', 'superset', 'metabase', 'hex']);
    }
  });

  it('builds working client code with the one-time password', () => {
    const snippets = buildSnippets('postgres', connectionInfo('postgres', 'u1'), 'pw1');
    const code = (id: string) => {
      const s = snippets.find((x) => x.id === id)!;
      return s.kind === 'code' ? s.code : '';
    };
    expect(code('psql')).toBe("PGSSLMODE=require PGPASSWORD='pw1' psql --host=sql.example.com --port=15432 --username=u1 --dbname=db");
    expect(code('sqlalchemy')).toContain('create_engine("postgresql+psycopg://u1:pw1@sql.example.com:15432/db")');
    expect(code('jupyter')).toContain('%sql postgresql+psycopg://u1:pw1@sql.example.com:15432/db');
    const superset = snippets.find((x) => x.id === 'superset')!;
    expect(superset.kind === 'fields' && superset.fields[1]!.value).toBe('postgresql://u1:pw1@sql.example.com:15432/db');
    const metabase = snippets.find((x) => x.id === 'metabase')!;
    expect(metabase.kind === 'fields' && metabase.fields.map((f) => f.label)).toEqual([
      'Display name', 'Host', 'Port', 'Database name', 'Username', 'Password', 'Use a secure connection (SSL)',
    ]);
  });

  it('never invents a password it does not have', () => {
    const snippets = buildSnippets('mysql', connectionInfo('mysql', 'u1'), null);
    const all = JSON.stringify(snippets);
    expect(all).toContain('<password>');
    expect(all).toContain('mysql+pymysql://u1:<password>@sql.example.com:13306/db');
  });
});
