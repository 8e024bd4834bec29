export const viewer = {
  id: 'u1',
  email: 'ada@example.com',
  displayName: 'Ada',
  teams: [{ id: 't1', name: 'Ada personal', role: 'OWNER', personal: true }],
};

export const members = [
  { id: 'm1', role: 'OWNER', createdAt: '2026-11-01T10:00:00Z', user: { id: 'u1', email: 'ada@example.com', displayName: 'Ada' } },
  { id: 'm2', role: 'MEMBER', createdAt: '2026-11-02T10:00:00Z', user: { id: 'u2', email: 'bob@example.com', displayName: 'Bob' } },
];

export const dataSources = [
  { id: 'ds1', name: 'Demo e-commerce', type: 'DUCKDB' },
  { id: 'ds2', name: 'Warehouse', type: 'POSTGRES' },
];

export function connectionInfo(protocol: 'postgres' | 'mysql', username: string) {
  const pg = protocol === 'postgres';
  const port = pg ? 15432 : 13306;
  return {
    host: 'sql.example.com',
    port,
    database: 'db',
    username,
    command: pg
      ? `psql "host=sql.example.com port=${port} dbname=db user=${username} sslmode=require"`
      : `mysql -h sql.example.com -P ${port} -u ${username} -p --ssl db`,
    // As the server spells them (backend/core/services/credentials.py connection_details).
    uri: `${pg ? 'postgresql' : 'mysql'}://${username}@sql.example.com:${port}/db${pg ? '?sslmode=require' : ''}`,
    jdbcUrl: `jdbc:${pg ? 'postgresql' : 'mysql'}://sql.example.com:${port}/db?user=${username}${pg ? '&sslmode=require' : ''}`,
    sqlalchemyUrl: `${pg ? 'postgresql+psycopg' : 'mysql+pymysql'}://${username}@sql.example.com:${port}/db${pg ? '?sslmode=require' : ''}`,
  };
}

export function credential(overrides: { id?: string; username?: string; memberIndex?: number; dataSourceIndex?: number } = {}) {
  const username = overrides.username ?? '4x4qg8ei76';
  return {
    id: overrides.id ?? 'c1',
    username,
    createdAt: '2026-11-20T09:30:00Z',
    lastUsedAt: null as string | null,
    openSessions: 0,
    downloadPath: `/api/credentials/${overrides.id ?? 'c1'}/download`,
    member: members[overrides.memberIndex ?? 0]!,
    dataSource: dataSources[overrides.dataSourceIndex ?? 0]!,
    connection: { postgres: connectionInfo('postgres', username), mysql: connectionInfo('mysql', username) },
  };
}

export const secret = (password: string, cred = credential()) => ({
  __typename: 'SqlCredentialSecret',
  password,
  downloadToken: 'tok123',
  credential: cred,
});
