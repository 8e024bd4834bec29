import { describe, expect, it } from 'vitest';
import { connectionInfo } from '@/testing/fixtures';
import { buildSnippets, PASSWORD_MASK, PASSWORD_PLACEHOLDER, type Snippet, withPassword } from './snippets';

const text = (s: Snippet) => (s.kind === 'code' ? s.code : s.fields.map((f) => `${f.label}=${f.value}`).join('\n'));
const find = (snippets: Snippet[], id: string) => snippets.find((s) => s.id === id)!;

describe('connection snippets', () => {
  it('puts an escaped password into URLs; the mask and the placeholder stay as they are', () => {
    expect(withPassword('postgresql://u1@h:1/db', 'u1', 'a/b@c')).toBe('postgresql://u1:a%2Fb%40c@h:1/db');
    expect(withPassword('postgresql://u1@h:1/db', 'u1', PASSWORD_PLACEHOLDER)).toBe('postgresql://u1:<password>@h:1/db');
    expect(withPassword('postgresql://u1@h:1/db', 'u1', PASSWORD_MASK)).toBe(`postgresql://u1:${PASSWORD_MASK}@h:1/db`);
  });

  it('offers the same formats for both protocols, BI tools included', () => {
    const ids = (p: 'postgres' | 'mysql') => buildSnippets(p, connectionInfo(p, 'u1'), PASSWORD_PLACEHOLDER).map((s) => s.id);
    const expected = ['cli', 'uri', 'jdbc', 'sqlalchemy', 'jupyter', 'env', 'tableau', 'metabase', 'powerbi', 'dbeaver', 'superset', 'hex'];
    expect(ids('postgres')).toEqual(expected);
    // Same ids: a format chosen under PSQL exists under MYSQL (the empty-panel bug).
    expect(ids('mysql')).toEqual(expected);
  });

  it('builds working PostgreSQL code with the password, TLS required in each', () => {
    const snippets = buildSnippets('postgres', connectionInfo('postgres', 'u1'), "pw'1");
    expect(text(find(snippets, 'cli'))).toBe(`PGPASSWORD='pw'\\''1' psql "host=sql.example.com port=15432 dbname=db user=u1 sslmode=require"`);
    expect(text(find(snippets, 'sqlalchemy'))).toContain('create_engine("postgresql+psycopg://u1:pw\'1@sql.example.com:15432/db?sslmode=require")');
    expect(text(find(snippets, 'jupyter'))).toContain("%sql postgresql+psycopg://u1:pw'1@sql.example.com:15432/db?sslmode=require");
    expect(text(find(snippets, 'env'))).toContain('PGSSLMODE=require');
    expect(text(find(snippets, 'env'))).toContain(`PGPASSWORD='pw'\\''1'`);
    for (const id of ['uri', 'jdbc', 'superset'] as const) expect(text(find(snippets, id))).toContain('sslmode=require');
    for (const id of ['tableau', 'metabase', 'powerbi', 'dbeaver', 'hex'] as const) {
      const s = find(snippets, id);
      expect(s.kind === 'fields' && s.fields.find((f) => f.secret)?.value).toBe("pw'1");
      expect(text(s)).toMatch(/SSL|Encrypt/);
    }
  });

  it('gives every MySQL client its TLS setting', () => {
    const snippets = buildSnippets('mysql', connectionInfo('mysql', 'u1'), 'pw1');
    expect(text(find(snippets, 'cli'))).toBe("MYSQL_PWD='pw1' mysql -h sql.example.com -P 13306 -u u1 --ssl db");
    expect(text(find(snippets, 'uri'))).toBe('mysql://u1:pw1@sql.example.com:13306/db?ssl-mode=REQUIRED');
    expect(text(find(snippets, 'jdbc'))).toContain('jdbc:mysql://sql.example.com:13306/db?user=u1&sslMode=REQUIRED');
    expect(text(find(snippets, 'jdbc'))).toContain('jdbc:mariadb://sql.example.com:13306/db?user=u1&useSsl=true&trustServerCertificate=true');
    expect(text(find(snippets, 'sqlalchemy'))).toContain('mysql+pymysql://u1:pw1@sql.example.com:13306/db?ssl_check_hostname=false');
    expect(text(find(snippets, 'metabase'))).toContain('Use a secure connection (SSL)=On');
    expect(text(find(snippets, 'dbeaver'))).toContain('Use SSL');
  });

  it('never invents a password it does not have, and masks one it has', () => {
    const unknown = JSON.stringify(buildSnippets('mysql', connectionInfo('mysql', 'u1'), PASSWORD_PLACEHOLDER));
    expect(unknown).toContain('mysql+pymysql://u1:<password>@sql.example.com:13306/db');
    expect(unknown).toContain('# mysql asks for the password');
    for (const p of ['postgres', 'mysql'] as const) {
      const masked = buildSnippets(p, connectionInfo(p, 'u1'), PASSWORD_MASK);
      for (const s of masked) expect(text(s), s.id).toContain(PASSWORD_MASK);
    }
  });
});
