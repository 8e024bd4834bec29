import type { ConnectionInfoFieldsFragment } from '@/gql/graphql';

export type Protocol = 'postgres' | 'mysql';

export type ToolField = { label: string; value: string; secret?: boolean };

/**
 * One way to connect. The ids are the same for both protocols, so the format a user picked
 * survives a switch between PSQL and MYSQL (a MySQL set without the PostgreSQL id left the
 * panel empty).
 */
export type FormatId =
  | 'cli'
  | 'uri'
  | 'jdbc'
  | 'sqlalchemy'
  | 'jupyter'
  | 'env'
  | 'tableau'
  | 'metabase'
  | 'powerbi'
  | 'dbeaver'
  | 'superset'
  | 'hex';

export type Snippet =
  | { id: FormatId; label: string; group: string; kind: 'code'; code: string; note?: string }
  | { id: FormatId; label: string; group: string; kind: 'fields'; fields: ToolField[]; note?: string };

/** What snippets show when the password is not known (anything but right after create/rotate). */
export const PASSWORD_PLACEHOLDER = '<password>';
/** What snippets show in place of a known password until the user reveals it. */
export const PASSWORD_MASK = '••••••••';

const UNESCAPED = new Set([PASSWORD_PLACEHOLDER, PASSWORD_MASK]);

/** Puts the password into a `scheme://user@host` URL; the server's URLs never carry it. */
export function withPassword(url: string, username: string, password: string): string {
  const marker = `//${username}@`;
  if (!url.includes(marker)) return url;
  const secret = UNESCAPED.has(password) ? password : encodeURIComponent(password);
  return url.replace(marker, `//${username}:${secret}@`);
}

/** Adds query parameters to a URL that may already have some. */
export function withParams(url: string, params: string): string {
  if (!params) return url;
  return url + (url.includes('?') ? '&' : '?') + params;
}

function withoutDriver(url: string): string {
  return url.replace(/^(\w+)\+\w+:/, '$1:');
}

function shellQuote(value: string): string {
  return `'${value.replace(/'/g, `'\\''`)}'`;
}

function envValue(value: string): string {
  return /^[\w.:/@?=+-]*$/.test(value) ? value : shellQuote(value);
}

/**
 * TLS is required by both gateways. The server's PostgreSQL strings carry `sslmode=require`
 * already; its MySQL strings are plain, so each MySQL client gets its own spelling here.
 * The certificate may be self-signed: these settings encrypt without checking it (see
 * docs/security.md for pinning the certificate instead).
 */
const MYSQL_TLS = {
  uri: 'ssl-mode=REQUIRED',
  jdbc: 'sslMode=REQUIRED',
  mariadbJdbc: 'useSsl=true&trustServerCertificate=true',
  // PyMySQL turns TLS on when any ssl_* option is given; without a CA it does not verify.
  sqlalchemy: 'ssl_check_hostname=false',
};

/**
 * Every connection format for one protocol, built around `password`: the real password for
 * what copy buttons copy, PASSWORD_MASK for what the page shows until revealed, or
 * PASSWORD_PLACEHOLDER when the password is not known.
 */
export function buildSnippets(protocol: Protocol, info: ConnectionInfoFieldsFragment, password: string): Snippet[] {
  const pw = password;
  const known = pw !== PASSWORD_PLACEHOLDER;
  const port = String(info.port);
  const pg = protocol === 'postgres';
  const product = pg ? 'PostgreSQL' : 'MySQL';
  const sqlalchemy = withPassword(pg ? info.sqlalchemyUrl : withParams(info.sqlalchemyUrl, MYSQL_TLS.sqlalchemy), info.username, pw);
  const uri = withPassword(pg ? info.uri : withParams(info.uri, MYSQL_TLS.uri), info.username, pw);
  const jdbc = pg ? info.jdbcUrl : withParams(info.jdbcUrl, MYSQL_TLS.jdbc);
  const driverPackage = pg ? 'psycopg[binary]' : 'pymysql';
  const query = 'SELECT table_name FROM information_schema.tables';
  const passwordField = (label = 'Password'): ToolField => ({ label, value: pw, secret: known });

  const cli: Snippet = pg
    ? {
        id: 'cli',
        label: 'psql',
        group: 'Command line',
        kind: 'code',
        code: known ? `PGPASSWORD=${shellQuote(pw)} ${info.command}` : `${info.command}\n# psql asks for the password`,
      }
    : {
        id: 'cli',
        label: 'mysql',
        group: 'Command line',
        kind: 'code',
        code: known ? `MYSQL_PWD=${shellQuote(pw)} ${info.command.replace(/ -p(?= )/, '')}` : `${info.command}\n# mysql asks for the password`,
      };

  const env: string[] = [
    `METRICSQL_HOST=${envValue(info.host)}`,
    `METRICSQL_PORT=${port}`,
    `METRICSQL_DATABASE=${envValue(info.database)}`,
    `METRICSQL_USER=${envValue(info.username)}`,
    `METRICSQL_PASSWORD=${known ? envValue(pw) : pw}`,
    `METRICSQL_URL=${known ? envValue(uri) : uri}`,
    ...(pg
      ? [
          `PGHOST=${envValue(info.host)}`,
          `PGPORT=${port}`,
          `PGDATABASE=${envValue(info.database)}`,
          `PGUSER=${envValue(info.username)}`,
          `PGPASSWORD=${known ? envValue(pw) : pw}`,
          'PGSSLMODE=require',
        ]
      : [`MYSQL_HOST=${envValue(info.host)}`, `MYSQL_TCP_PORT=${port}`]),
  ];

  return [
    cli,
    { id: 'uri', label: 'URI', group: 'Connection strings', kind: 'code', code: uri },
    {
      id: 'jdbc',
      label: 'JDBC',
      group: 'Connection strings',
      kind: 'code',
      code: [
        jdbc,
        `# user: ${info.username}`,
        `# password: ${pw}`,
        ...(pg ? [] : [`# MariaDB Connector/J 2.x: ${withParams(info.jdbcUrl.replace(/^jdbc:mysql:/, 'jdbc:mariadb:'), MYSQL_TLS.mariadbJdbc)}`]),
      ].join('\n'),
    },
    {
      id: 'sqlalchemy',
      label: 'SQLAlchemy / pandas',
      group: 'Connection strings',
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
      group: 'Connection strings',
      kind: 'code',
      code: [`%pip install jupysql ${driverPackage}`, '%load_ext sql', `%sql ${sqlalchemy}`, `%sql ${query}`].join('\n'),
    },
    { id: 'env', label: '.env', group: 'Connection strings', kind: 'code', code: env.join('\n') },
    {
      id: 'tableau',
      label: 'Tableau',
      group: 'BI tools',
      kind: 'fields',
      note: `Connect → To a Server → ${product}; Authentication: Username and Password.`,
      fields: [
        { label: 'Server', value: info.host },
        { label: 'Port', value: port },
        ...(pg ? [{ label: 'Database', value: info.database }] : []),
        { label: 'Username', value: info.username },
        passwordField(),
        { label: 'Require SSL', value: 'Yes' },
      ],
    },
    {
      id: 'metabase',
      label: 'Metabase',
      group: 'BI tools',
      kind: 'fields',
      note: `Admin → Databases → Add database → ${product}.`,
      fields: [
        { label: 'Display name', value: `MetricSQL (${info.database})` },
        { label: 'Host', value: info.host },
        { label: 'Port', value: port },
        { label: 'Database name', value: info.database },
        { label: 'Username', value: info.username },
        passwordField(),
        { label: 'Use a secure connection (SSL)', value: 'On' },
        pg
          ? { label: 'SSL Mode', value: 'require' }
          : { label: 'Additional JDBC connection string options', value: 'trustServerCertificate=true' },
      ],
    },
    {
      id: 'powerbi',
      label: 'Power BI',
      group: 'BI tools',
      kind: 'fields',
      note: `Get data → ${product} database; then "Database" credentials. Power BI encrypts and checks the certificate: trust the server's certificate on the machine, or untick encryption only on a trusted network.`,
      fields: [
        { label: 'Server', value: `${info.host}:${port}` },
        { label: 'Database', value: info.database },
        { label: 'Data Connectivity mode', value: 'Import' },
        { label: 'User name', value: info.username },
        passwordField(),
        { label: 'Encrypt connection', value: 'On' },
      ],
    },
    {
      id: 'dbeaver',
      label: 'DBeaver',
      group: 'BI tools',
      kind: 'fields',
      note: `New Database Connection → ${product}; the SSL settings are on the SSL tab${pg ? '' : ' (or as driver properties)'}.`,
      fields: [
        { label: 'Host', value: info.host },
        { label: 'Port', value: port },
        { label: 'Database', value: info.database },
        { label: 'Username', value: info.username },
        passwordField(),
        pg
          ? { label: 'SSL: SSL mode', value: 'require' }
          : { label: 'SSL: Use SSL / Require SSL / Verify server certificate', value: 'On / On / Off' },
      ],
    },
    {
      id: 'superset',
      label: 'Superset',
      group: 'BI tools',
      kind: 'fields',
      note: `Settings → Database Connections → + Database → ${product} → "Connect this database with a SQLAlchemy URI string instead".`,
      fields: [
        { label: 'Display name', value: `MetricSQL (${info.database})` },
        { label: 'SQLAlchemy URI', value: withoutDriver(sqlalchemy), secret: known },
      ],
    },
    {
      id: 'hex',
      label: 'Hex',
      group: 'BI tools',
      kind: 'fields',
      note: `Data sources → Add a connection → ${product}; turn SSL on.`,
      fields: [
        { label: 'Host', value: info.host },
        { label: 'Port', value: port },
        { label: 'Database', value: info.database },
        { label: 'Username', value: info.username },
        passwordField(),
        { label: 'SSL', value: pg ? 'require' : 'On' },
      ],
    },
  ];
}
