import type { ConnectionInfoFieldsFragment } from '@/gql/graphql';

export type Protocol = 'postgres' | 'mysql';

export type ToolField = { label: string; value: string; secret?: boolean };

export type Snippet =
  | { id: string; label: string; kind: 'code'; code: string }
  | { id: string; label: string; kind: 'fields'; fields: ToolField[]; note?: string };

export const PASSWORD_PLACEHOLDER = '<password>';

/** Puts the password into a `scheme://user@host` URL; the server's URLs never carry it. */
export function withPassword(url: string, username: string, password: string): string {
  const marker = `//${username}@`;
  if (!url.includes(marker)) return url;
  const secret = password === PASSWORD_PLACEHOLDER ? password : encodeURIComponent(password);
  return url.replace(marker, `//${username}:${secret}@`);
}

function withoutDriver(url: string): string {
  return url.replace(/^(\w+)\+\w+:/, '$1:');
}

/** Connection snippets per client and the fields each BI tool's form asks for. */
export function buildSnippets(protocol: Protocol, info: ConnectionInfoFieldsFragment, password: string | null): Snippet[] {
  const pw = password ?? PASSWORD_PLACEHOLDER;
  const port = String(info.port);
  const sqlalchemy = withPassword(info.sqlalchemyUrl, info.username, pw);
  const uri = withPassword(info.uri, info.username, pw);
  const pg = protocol === 'postgres';
  const product = pg ? 'PostgreSQL' : 'MySQL';
  const driverPackage = pg ? 'psycopg[binary]' : 'pymysql';
  const query = 'SELECT table_name FROM information_schema.tables';

  const cli: Snippet = pg
    ? {
        id: 'psql',
        label: 'psql',
        kind: 'code',
        // PGSSLMODE=require: never fall back to an unencrypted connection.
        code: password
          ? `PGSSLMODE=require PGPASSWORD='${password}' ${info.command}`
          : `PGSSLMODE=require ${info.command}\n# psql asks for the password`,
      }
    : {
        id: 'mysql',
        label: 'mysql',
        kind: 'code',
        code: `${info.command}\n# enter the password at the prompt`,
      };
  const credentialsFields = (extra: ToolField[] = []): ToolField[] => [
    { label: 'Host', value: info.host },
    { label: 'Port', value: port },
    { label: 'Database', value: info.database },
    { label: 'Username', value: info.username },
    { label: 'Password', value: pw, secret: password != null },
    ...extra,
  ];

  return [
    cli,
    { id: 'uri', label: 'URI', kind: 'code', code: uri },
    {
      id: 'jdbc',
      label: 'JDBC',
      kind: 'code',
      code: `${info.jdbcUrl}\n# user: ${info.username}\n# password: ${pw}`,
    },
    {
      id: 'sqlalchemy',
      label: 'SQLAlchemy / pandas',
      kind: 'code',
      code: [
        `# pip install sqlalchemy pandas ${driverPackage}`,
        'import pandas as pd',
        'from sqlalchemy import create_engine',
        '',
        `engine = create_engine("${sqlalchemy}")`,
        `df = pd.read_sql("${query}", engine)`,
      ].join('\n'),
    },
    {
      id: 'jupyter',
      label: 'Jupyter',
      kind: 'code',
      code: [`%pip install jupysql ${driverPackage}`, '%load_ext sql', `%sql ${sqlalchemy}`, `%sql ${query}`].join('\n'),
    },
    {
      id: 'tableau',
      label: 'Tableau',
      kind: 'fields',
      note: `Connect → To a Server → ${product}; Authentication: Username and Password.`,
      fields: [
        { label: 'Server', value: info.host },
        { label: 'Port', value: port },
        ...(pg ? [{ label: 'Database', value: info.database }] : []),
        { label: 'Username', value: info.username },
        { label: 'Password', value: pw, secret: password != null },
        { label: 'Require SSL', value: 'Yes' },
      ],
    },
    {
      id: 'superset',
      label: 'Superset',
      kind: 'fields',
      note: `Settings → Database Connections → + Database → ${product} → "Connect this database with a SQLAlchemy URI string instead".`,
      fields: [
        { label: 'Display name', value: `MetricSQL (${info.database})` },
        { label: 'SQLAlchemy URI', value: withoutDriver(sqlalchemy), secret: password != null },
      ],
    },
    {
      id: 'metabase',
      label: 'Metabase',
      kind: 'fields',
      note: `Admin → Databases → Add database → ${product}.`,
      fields: [
        { label: 'Display name', value: `MetricSQL (${info.database})` },
        { label: 'Host', value: info.host },
        { label: 'Port', value: port },
        { label: 'Database name', value: info.database },
        { label: 'Username', value: info.username },
        { label: 'Password', value: pw, secret: password != null },
        { label: 'Use a secure connection (SSL)', value: 'On' },
      ],
    },
    {
      id: 'hex',
      label: 'Hex',
      kind: 'fields',
      note: `Data sources → Add a connection → ${product}.`,
      fields: credentialsFields(),
    },
  ];
}
