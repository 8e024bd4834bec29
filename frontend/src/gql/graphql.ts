/* eslint-disable */
/** Internal type. DO NOT USE DIRECTLY. */
type Exact<T extends { [key: string]: unknown }> = { [K in keyof T]: T[K] };
/** Internal type. DO NOT USE DIRECTLY. */
export type Incremental<T> = T | { [P in keyof T]?: P extends ' $fragmentName' | '__typename' ? T[P] : never };
import type { DocumentTypeDecoration } from '@graphql-typed-document-node/core';
export type AcceptInvitationInput = {
  invitationId: string | number;
};

export type CancelInvitationInput = {
  invitationId: string | number;
};

/** A saved data source, or unsaved settings to try before saving. */
export type CheckConnectionInput = {
  dataSourceId?: string | number | null | undefined;
  params?: Record<string, unknown> | null | undefined;
  teamId?: string | number | null | undefined;
  type?: DataSourceType | null | undefined;
};

export type CreateDataSourceInput = {
  name: string;
  params: Record<string, unknown>;
  teamId: string | number;
  type: DataSourceType;
};

export type CreateDemoDataSourceInput = {
  name?: string;
  teamId: string | number;
};

export type CreateModelVersionInput = {
  dataSourceId: string | number;
  files: Array<ModelFileInput>;
};

export type CreateSqlCredentialInput = {
  dataSourceId: string | number;
  memberId: string | number;
};

export type DataSourceType =
  | 'DUCKDB'
  | 'MYSQL'
  | 'POSTGRES'
  | 'SQLITE';

export type DeclineInvitationInput = {
  invitationId: string | number;
};

export type DeleteDataSourceInput = {
  id: string | number;
};

export type DeleteSqlCredentialInput = {
  id: string | number;
};

export type GenerateModelsInput = {
  dataSourceId: string | number;
  /** Any id of your choosing; poll modelGenerationProgress(jobId) meanwhile. */
  jobId?: string | null | undefined;
  overwrite?: boolean;
  /** Tables to model; empty means every table. */
  tables?: Array<TableRef>;
};

export type InviteMemberInput = {
  email: string;
  role?: TeamRole;
  teamId: string | number;
};

export type LogInInput = {
  email: string;
  password: string;
};

export type ModelFileInput = {
  code: string;
  name: string;
};

export type RemoveMemberInput = {
  memberId: string | number;
};

export type RotateSqlCredentialPasswordInput = {
  id: string | number;
};

/** One statement, run as one of the viewer's own credentials or with the viewer's access on a data source of the team. */
export type RunQueryInput = {
  credentialId?: string | number | null | undefined;
  dataSourceId?: string | number | null | undefined;
  sql: string;
  teamId: string | number;
};

export type SignUpInput = {
  displayName: string;
  email: string;
  password: string;
};

export type TableRef = {
  name: string;
  schema: string;
};

/** A member's role in a team. */
export type TeamRole =
  | 'ADMIN'
  | 'MEMBER'
  | 'OWNER';

export type UpdateDataSourceInput = {
  id: string | number;
  name?: string | null | undefined;
  /** Fields to change; an empty password keeps the stored one. */
  params?: Record<string, unknown> | null | undefined;
};

export type UpdateMemberRoleInput = {
  memberId: string | number;
  role: TeamRole;
};

export type UpdateModelAuthoringInput = {
  /** The least role that may publish models: OWNER (owners only), ADMIN (owners and admins, the default) or MEMBER (everyone). */
  authorRole: TeamRole;
  teamId: string | number;
};

export type UpdateSqlCredentialInput = {
  dataSourceId?: string | number | null | undefined;
  id: string | number;
  memberId?: string | number | null | undefined;
};

export type LogInMutationVariables = Exact<{
  input: LogInInput;
}>;


export type LogInMutation = { logIn:
    | { __typename: 'AuthPayload', viewer: { id: string, email: string, displayName: string } }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type LogOutMutationVariables = Exact<{ [key: string]: never; }>;


export type LogOutMutation = { logOut: boolean };

export type SignUpMutationVariables = Exact<{
  input: SignUpInput;
}>;


export type SignUpMutation = { signUp:
    | { __typename: 'AuthPayload', viewer: { id: string, email: string, displayName: string, teams: Array<{ id: string, name: string }> } }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type ViewerQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerQuery = { viewer: { id: string, email: string, displayName: string, teams: Array<{ id: string, name: string, role: TeamRole }>, invitations: Array<{ id: string, role: TeamRole, invitedBy: string | null, expiresAt: string, team: { id: string, name: string } }> } | null };

export type CheckConnectionMutationVariables = Exact<{
  input: CheckConnectionInput;
}>;


export type CheckConnectionMutation = { checkConnection:
    | { __typename: 'ConnectionCheck', ok: boolean, message: string }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type CreateDataSourceMutationVariables = Exact<{
  input: CreateDataSourceInput;
}>;


export type CreateDataSourceMutation = { createDataSource:
    | { __typename: 'DataSource', id: string, name: string, type: DataSourceType, params: Record<string, unknown> }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type CreateDemoDataSourceMutationVariables = Exact<{
  input: CreateDemoDataSourceInput;
}>;


export type CreateDemoDataSourceMutation = { createDemoDataSource:
    | { __typename: 'DataSource', id: string, name: string, type: DataSourceType, params: Record<string, unknown>, models: { id: string, number: number } | null }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type DataSourcesQueryVariables = Exact<{
  teamId: string | number;
}>;


export type DataSourcesQuery = { team: { id: string, dataSources: Array<{ id: string, name: string, type: DataSourceType, params: Record<string, unknown>, hasPassword: boolean, createdAt: string, models: { id: string, number: number, createdAt: string, cubes: Array<{ name: string }> } | null }> } };

export type DeleteDataSourceMutationVariables = Exact<{
  input: DeleteDataSourceInput;
}>;


export type DeleteDataSourceMutation = { deleteDataSource:
    | { __typename: 'DataSource', id: string }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type UpdateDataSourceMutationVariables = Exact<{
  input: UpdateDataSourceInput;
}>;


export type UpdateDataSourceMutation = { updateDataSource:
    | { __typename: 'DataSource', id: string, name: string, type: DataSourceType, params: Record<string, unknown> }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type CreateModelVersionMutationVariables = Exact<{
  input: CreateModelVersionInput;
}>;


export type CreateModelVersionMutation = { createModelVersion:
    | { __typename: 'ModelVersion', id: string, number: number, files: Array<{ name: string, code: string }> }
    | { __typename: 'UserError', code: string, message: string, field: string | null, line: number | null, problems: Array<{ file: string, line: number, cube: string | null, member: string | null, message: string }> | null }
   };

export type DataSourceTablesQueryVariables = Exact<{
  dataSourceId: string | number;
}>;


export type DataSourceTablesQuery = { dataSourceTables: Array<{ schema: string, name: string, columns: Array<{ name: string, type: string }> }> };

export type GenerateModelsMutationVariables = Exact<{
  input: GenerateModelsInput;
}>;


export type GenerateModelsMutation = { generateModels:
    | { __typename: 'ModelVersion', id: string, number: number, files: Array<{ name: string, code: string }> }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type ModelAccessQueryVariables = Exact<{
  teamId: string | number;
}>;


export type ModelAccessQuery = { team: { id: string, modelAuthorRole: TeamRole, viewerCanAuthorModels: boolean } };

export type LiveModelVersionQueryVariables = Exact<{
  dataSourceId: string | number;
}>;


export type LiveModelVersionQuery = { dataSource: { id: string, models: { id: string, number: number, createdAt: string, files: Array<{ name: string, code: string }> } | null } };

export type VisibleCubesQueryVariables = Exact<{
  dataSourceId: string | number;
}>;


export type VisibleCubesQuery = { dataSource: { id: string, models: { id: string, number: number, cubes: Array<{ name: string, title: string | null, description: string | null, members: Array<{ name: string, kind: string, type: string | null }> }> } | null } };

export type CreateSqlCredentialMutationVariables = Exact<{
  input: CreateSqlCredentialInput;
}>;


export type CreateSqlCredentialMutation = { createSqlCredential:
    | { __typename: 'SqlCredentialSecret', password: string, downloadToken: string, credential: { id: string, username: string, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, openSessions: number, downloadPath: string, member: { id: string, role: TeamRole, user: { id: string, email: string, displayName: string } }, dataSource: { id: string, name: string, type: DataSourceType }, connection: { postgres: { host: string, port: number, database: string, username: string, command: string, uri: string, jdbcUrl: string, sqlalchemyUrl: string }, mysql: { host: string, port: number, database: string, username: string, command: string, uri: string, jdbcUrl: string, sqlalchemyUrl: string } } } }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type DeleteSqlCredentialMutationVariables = Exact<{
  input: DeleteSqlCredentialInput;
}>;


export type DeleteSqlCredentialMutation = { deleteSqlCredential:
    | { __typename: 'SqlCredential', id: string }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type SqlCredentialFieldsFragment = { id: string, username: string, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, openSessions: number, downloadPath: string, member: { id: string, role: TeamRole, user: { id: string, email: string, displayName: string } }, dataSource: { id: string, name: string, type: DataSourceType }, connection: { postgres: { host: string, port: number, database: string, username: string, command: string, uri: string, jdbcUrl: string, sqlalchemyUrl: string }, mysql: { host: string, port: number, database: string, username: string, command: string, uri: string, jdbcUrl: string, sqlalchemyUrl: string } } };

export type ConnectionInfoFieldsFragment = { host: string, port: number, database: string, username: string, command: string, uri: string, jdbcUrl: string, sqlalchemyUrl: string };

export type RotateSqlCredentialPasswordMutationVariables = Exact<{
  input: RotateSqlCredentialPasswordInput;
}>;


export type RotateSqlCredentialPasswordMutation = { rotateSqlCredentialPassword:
    | { __typename: 'SqlCredentialSecret', password: string, downloadToken: string, credential: { id: string, username: string, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, openSessions: number, downloadPath: string, member: { id: string, role: TeamRole, user: { id: string, email: string, displayName: string } }, dataSource: { id: string, name: string, type: DataSourceType }, connection: { postgres: { host: string, port: number, database: string, username: string, command: string, uri: string, jdbcUrl: string, sqlalchemyUrl: string }, mysql: { host: string, port: number, database: string, username: string, command: string, uri: string, jdbcUrl: string, sqlalchemyUrl: string } } } }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type RunQueryMutationVariables = Exact<{
  input: RunQueryInput;
}>;


export type RunQueryMutation = { runQuery:
    | { __typename: 'QueryError', code: string, sqlstate: string, message: string, hint: string | null }
    | { __typename: 'QueryRun', tag: string, kind: string, rows: Array<Array<string | null>>, rowLimit: number, truncated: boolean, compiledSql: string | null, elapsedMs: number, columns: Array<{ name: string, type: string }> }
   };

export type SqlCredentialsQueryVariables = Exact<{
  teamId: string | number;
}>;


export type SqlCredentialsQuery = { sqlCredentials: Array<{ id: string, username: string, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, openSessions: number, downloadPath: string, member: { id: string, role: TeamRole, user: { id: string, email: string, displayName: string } }, dataSource: { id: string, name: string, type: DataSourceType }, connection: { postgres: { host: string, port: number, database: string, username: string, command: string, uri: string, jdbcUrl: string, sqlalchemyUrl: string }, mysql: { host: string, port: number, database: string, username: string, command: string, uri: string, jdbcUrl: string, sqlalchemyUrl: string } } }>, team: { id: string, members: Array<{ id: string, role: TeamRole, user: { id: string, email: string, displayName: string } }>, dataSources: Array<{ id: string, name: string, type: DataSourceType }> } };

export type UpdateSqlCredentialMutationVariables = Exact<{
  input: UpdateSqlCredentialInput;
}>;


export type UpdateSqlCredentialMutation = { updateSqlCredential:
    | { __typename: 'SqlCredential', id: string, username: string, createdAt: string, lastUsedAt: string | null, expiresAt: string | null, openSessions: number, downloadPath: string, member: { id: string, role: TeamRole, user: { id: string, email: string, displayName: string } }, dataSource: { id: string, name: string, type: DataSourceType }, connection: { postgres: { host: string, port: number, database: string, username: string, command: string, uri: string, jdbcUrl: string, sqlalchemyUrl: string }, mysql: { host: string, port: number, database: string, username: string, command: string, uri: string, jdbcUrl: string, sqlalchemyUrl: string } } }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type AcceptInvitationMutationVariables = Exact<{
  input: AcceptInvitationInput;
}>;


export type AcceptInvitationMutation = { acceptInvitation:
    | { __typename: 'Team', id: string, name: string, viewerRole: TeamRole }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type CancelInvitationMutationVariables = Exact<{
  input: CancelInvitationInput;
}>;


export type CancelInvitationMutation = { cancelInvitation:
    | { __typename: 'Invitation', id: string }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type DeclineInvitationMutationVariables = Exact<{
  input: DeclineInvitationInput;
}>;


export type DeclineInvitationMutation = { declineInvitation:
    | { __typename: 'ReceivedInvitation', id: string }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type InviteMemberMutationVariables = Exact<{
  input: InviteMemberInput;
}>;


export type InviteMemberMutation = { inviteMember:
    | { __typename: 'Invitation', id: string, email: string, role: TeamRole }
    | { __typename: 'Member', id: string, role: TeamRole }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type RemoveMemberMutationVariables = Exact<{
  input: RemoveMemberInput;
}>;


export type RemoveMemberMutation = { removeMember:
    | { __typename: 'Member', id: string }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type TeamMembersQueryVariables = Exact<{
  teamId: string | number;
}>;


export type TeamMembersQuery = { team: { id: string, name: string, modelAuthorRole: TeamRole, members: Array<{ id: string, role: TeamRole, user: { id: string, email: string, displayName: string } }>, invitations: Array<{ id: string, email: string, role: TeamRole }> } };

export type UpdateMemberRoleMutationVariables = Exact<{
  input: UpdateMemberRoleInput;
}>;


export type UpdateMemberRoleMutation = { updateMemberRole:
    | { __typename: 'Member', id: string, role: TeamRole }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type UpdateModelAuthoringMutationVariables = Exact<{
  input: UpdateModelAuthoringInput;
}>;


export type UpdateModelAuthoringMutation = { updateModelAuthoring:
    | { __typename: 'Team', id: string, modelAuthorRole: TeamRole }
    | { __typename: 'UserError', code: string, message: string, field: string | null }
   };

export type ViewerProbeQueryVariables = Exact<{ [key: string]: never; }>;


export type ViewerProbeQuery = { viewer: { id: string } | null };

export class TypedDocumentString<TResult, TVariables>
  extends String
  implements DocumentTypeDecoration<TResult, TVariables>
{
  __apiType?: NonNullable<DocumentTypeDecoration<TResult, TVariables>['__apiType']>;
  private value: string;
  public __meta__?: Record<string, any> | undefined;

  constructor(value: string, __meta__?: Record<string, any> | undefined) {
    super(value);
    this.value = value;
    this.__meta__ = __meta__;
  }

  override toString(): string & DocumentTypeDecoration<TResult, TVariables> {
    return this.value;
  }
}
export const ConnectionInfoFieldsFragmentDoc = new TypedDocumentString(`
    fragment ConnectionInfoFields on ConnectionInfo {
  host
  port
  database
  username
  command
  uri
  jdbcUrl
  sqlalchemyUrl
}
    `, {"fragmentName":"ConnectionInfoFields"}) as unknown as TypedDocumentString<ConnectionInfoFieldsFragment, unknown>;
export const SqlCredentialFieldsFragmentDoc = new TypedDocumentString(`
    fragment SqlCredentialFields on SqlCredential {
  id
  username
  createdAt
  lastUsedAt
  expiresAt
  openSessions
  downloadPath
  member {
    id
    role
    user {
      id
      email
      displayName
    }
  }
  dataSource {
    id
    name
    type
  }
  connection {
    postgres {
      ...ConnectionInfoFields
    }
    mysql {
      ...ConnectionInfoFields
    }
  }
}
    fragment ConnectionInfoFields on ConnectionInfo {
  host
  port
  database
  username
  command
  uri
  jdbcUrl
  sqlalchemyUrl
}`, {"fragmentName":"SqlCredentialFields"}) as unknown as TypedDocumentString<SqlCredentialFieldsFragment, unknown>;
export const LogInDocument = new TypedDocumentString(`
    mutation LogIn($input: LogInInput!) {
  logIn(input: $input) {
    __typename
    ... on AuthPayload {
      viewer {
        id
        email
        displayName
      }
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<LogInMutation, LogInMutationVariables>;
export const LogOutDocument = new TypedDocumentString(`
    mutation LogOut {
  logOut
}
    `) as unknown as TypedDocumentString<LogOutMutation, LogOutMutationVariables>;
export const SignUpDocument = new TypedDocumentString(`
    mutation SignUp($input: SignUpInput!) {
  signUp(input: $input) {
    __typename
    ... on AuthPayload {
      viewer {
        id
        email
        displayName
        teams {
          id
          name
        }
      }
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<SignUpMutation, SignUpMutationVariables>;
export const ViewerDocument = new TypedDocumentString(`
    query Viewer {
  viewer {
    id
    email
    displayName
    teams {
      id
      name
      role
    }
    invitations {
      id
      role
      invitedBy
      expiresAt
      team {
        id
        name
      }
    }
  }
}
    `) as unknown as TypedDocumentString<ViewerQuery, ViewerQueryVariables>;
export const CheckConnectionDocument = new TypedDocumentString(`
    mutation CheckConnection($input: CheckConnectionInput!) {
  checkConnection(input: $input) {
    __typename
    ... on ConnectionCheck {
      ok
      message
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<CheckConnectionMutation, CheckConnectionMutationVariables>;
export const CreateDataSourceDocument = new TypedDocumentString(`
    mutation CreateDataSource($input: CreateDataSourceInput!) {
  createDataSource(input: $input) {
    __typename
    ... on DataSource {
      id
      name
      type
      params
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<CreateDataSourceMutation, CreateDataSourceMutationVariables>;
export const CreateDemoDataSourceDocument = new TypedDocumentString(`
    mutation CreateDemoDataSource($input: CreateDemoDataSourceInput!) {
  createDemoDataSource(input: $input) {
    __typename
    ... on DataSource {
      id
      name
      type
      params
      models {
        id
        number
      }
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<CreateDemoDataSourceMutation, CreateDemoDataSourceMutationVariables>;
export const DataSourcesDocument = new TypedDocumentString(`
    query DataSources($teamId: ID!) {
  team(id: $teamId) {
    id
    dataSources {
      id
      name
      type
      params
      hasPassword
      createdAt
      models {
        id
        number
        createdAt
        cubes {
          name
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<DataSourcesQuery, DataSourcesQueryVariables>;
export const DeleteDataSourceDocument = new TypedDocumentString(`
    mutation DeleteDataSource($input: DeleteDataSourceInput!) {
  deleteDataSource(input: $input) {
    __typename
    ... on DataSource {
      id
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteDataSourceMutation, DeleteDataSourceMutationVariables>;
export const UpdateDataSourceDocument = new TypedDocumentString(`
    mutation UpdateDataSource($input: UpdateDataSourceInput!) {
  updateDataSource(input: $input) {
    __typename
    ... on DataSource {
      id
      name
      type
      params
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateDataSourceMutation, UpdateDataSourceMutationVariables>;
export const CreateModelVersionDocument = new TypedDocumentString(`
    mutation CreateModelVersion($input: CreateModelVersionInput!) {
  createModelVersion(input: $input) {
    __typename
    ... on ModelVersion {
      id
      number
      files {
        name
        code
      }
    }
    ... on UserError {
      code
      message
      field
      line
      problems {
        file
        line
        cube
        member
        message
      }
    }
  }
}
    `) as unknown as TypedDocumentString<CreateModelVersionMutation, CreateModelVersionMutationVariables>;
export const DataSourceTablesDocument = new TypedDocumentString(`
    query DataSourceTables($dataSourceId: ID!) {
  dataSourceTables(dataSourceId: $dataSourceId) {
    schema
    name
    columns {
      name
      type
    }
  }
}
    `) as unknown as TypedDocumentString<DataSourceTablesQuery, DataSourceTablesQueryVariables>;
export const GenerateModelsDocument = new TypedDocumentString(`
    mutation GenerateModels($input: GenerateModelsInput!) {
  generateModels(input: $input) {
    __typename
    ... on ModelVersion {
      id
      number
      files {
        name
        code
      }
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<GenerateModelsMutation, GenerateModelsMutationVariables>;
export const ModelAccessDocument = new TypedDocumentString(`
    query ModelAccess($teamId: ID!) {
  team(id: $teamId) {
    id
    modelAuthorRole
    viewerCanAuthorModels
  }
}
    `) as unknown as TypedDocumentString<ModelAccessQuery, ModelAccessQueryVariables>;
export const LiveModelVersionDocument = new TypedDocumentString(`
    query LiveModelVersion($dataSourceId: ID!) {
  dataSource(id: $dataSourceId) {
    id
    models {
      id
      number
      createdAt
      files {
        name
        code
      }
    }
  }
}
    `) as unknown as TypedDocumentString<LiveModelVersionQuery, LiveModelVersionQueryVariables>;
export const VisibleCubesDocument = new TypedDocumentString(`
    query VisibleCubes($dataSourceId: ID!) {
  dataSource(id: $dataSourceId) {
    id
    models {
      id
      number
      cubes {
        name
        title
        description
        members {
          name
          kind
          type
        }
      }
    }
  }
}
    `) as unknown as TypedDocumentString<VisibleCubesQuery, VisibleCubesQueryVariables>;
export const CreateSqlCredentialDocument = new TypedDocumentString(`
    mutation CreateSqlCredential($input: CreateSqlCredentialInput!) {
  createSqlCredential(input: $input) {
    __typename
    ... on SqlCredentialSecret {
      password
      downloadToken
      credential {
        ...SqlCredentialFields
      }
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    fragment SqlCredentialFields on SqlCredential {
  id
  username
  createdAt
  lastUsedAt
  expiresAt
  openSessions
  downloadPath
  member {
    id
    role
    user {
      id
      email
      displayName
    }
  }
  dataSource {
    id
    name
    type
  }
  connection {
    postgres {
      ...ConnectionInfoFields
    }
    mysql {
      ...ConnectionInfoFields
    }
  }
}
fragment ConnectionInfoFields on ConnectionInfo {
  host
  port
  database
  username
  command
  uri
  jdbcUrl
  sqlalchemyUrl
}`) as unknown as TypedDocumentString<CreateSqlCredentialMutation, CreateSqlCredentialMutationVariables>;
export const DeleteSqlCredentialDocument = new TypedDocumentString(`
    mutation DeleteSqlCredential($input: DeleteSqlCredentialInput!) {
  deleteSqlCredential(input: $input) {
    __typename
    ... on SqlCredential {
      id
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<DeleteSqlCredentialMutation, DeleteSqlCredentialMutationVariables>;
export const RotateSqlCredentialPasswordDocument = new TypedDocumentString(`
    mutation RotateSqlCredentialPassword($input: RotateSqlCredentialPasswordInput!) {
  rotateSqlCredentialPassword(input: $input) {
    __typename
    ... on SqlCredentialSecret {
      password
      downloadToken
      credential {
        ...SqlCredentialFields
      }
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    fragment SqlCredentialFields on SqlCredential {
  id
  username
  createdAt
  lastUsedAt
  expiresAt
  openSessions
  downloadPath
  member {
    id
    role
    user {
      id
      email
      displayName
    }
  }
  dataSource {
    id
    name
    type
  }
  connection {
    postgres {
      ...ConnectionInfoFields
    }
    mysql {
      ...ConnectionInfoFields
    }
  }
}
fragment ConnectionInfoFields on ConnectionInfo {
  host
  port
  database
  username
  command
  uri
  jdbcUrl
  sqlalchemyUrl
}`) as unknown as TypedDocumentString<RotateSqlCredentialPasswordMutation, RotateSqlCredentialPasswordMutationVariables>;
export const RunQueryDocument = new TypedDocumentString(`
    mutation RunQuery($input: RunQueryInput!) {
  runQuery(input: $input) {
    __typename
    ... on QueryRun {
      tag
      kind
      columns {
        name
        type
      }
      rows
      rowLimit
      truncated
      compiledSql
      elapsedMs
    }
    ... on QueryError {
      code
      sqlstate
      message
      hint
    }
  }
}
    `) as unknown as TypedDocumentString<RunQueryMutation, RunQueryMutationVariables>;
export const SqlCredentialsDocument = new TypedDocumentString(`
    query SqlCredentials($teamId: ID!) {
  sqlCredentials(teamId: $teamId) {
    ...SqlCredentialFields
  }
  team(id: $teamId) {
    id
    members {
      id
      role
      user {
        id
        email
        displayName
      }
    }
    dataSources {
      id
      name
      type
    }
  }
}
    fragment SqlCredentialFields on SqlCredential {
  id
  username
  createdAt
  lastUsedAt
  expiresAt
  openSessions
  downloadPath
  member {
    id
    role
    user {
      id
      email
      displayName
    }
  }
  dataSource {
    id
    name
    type
  }
  connection {
    postgres {
      ...ConnectionInfoFields
    }
    mysql {
      ...ConnectionInfoFields
    }
  }
}
fragment ConnectionInfoFields on ConnectionInfo {
  host
  port
  database
  username
  command
  uri
  jdbcUrl
  sqlalchemyUrl
}`) as unknown as TypedDocumentString<SqlCredentialsQuery, SqlCredentialsQueryVariables>;
export const UpdateSqlCredentialDocument = new TypedDocumentString(`
    mutation UpdateSqlCredential($input: UpdateSqlCredentialInput!) {
  updateSqlCredential(input: $input) {
    __typename
    ... on SqlCredential {
      ...SqlCredentialFields
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    fragment SqlCredentialFields on SqlCredential {
  id
  username
  createdAt
  lastUsedAt
  expiresAt
  openSessions
  downloadPath
  member {
    id
    role
    user {
      id
      email
      displayName
    }
  }
  dataSource {
    id
    name
    type
  }
  connection {
    postgres {
      ...ConnectionInfoFields
    }
    mysql {
      ...ConnectionInfoFields
    }
  }
}
fragment ConnectionInfoFields on ConnectionInfo {
  host
  port
  database
  username
  command
  uri
  jdbcUrl
  sqlalchemyUrl
}`) as unknown as TypedDocumentString<UpdateSqlCredentialMutation, UpdateSqlCredentialMutationVariables>;
export const AcceptInvitationDocument = new TypedDocumentString(`
    mutation AcceptInvitation($input: AcceptInvitationInput!) {
  acceptInvitation(input: $input) {
    __typename
    ... on Team {
      id
      name
      viewerRole
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<AcceptInvitationMutation, AcceptInvitationMutationVariables>;
export const CancelInvitationDocument = new TypedDocumentString(`
    mutation CancelInvitation($input: CancelInvitationInput!) {
  cancelInvitation(input: $input) {
    __typename
    ... on Invitation {
      id
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<CancelInvitationMutation, CancelInvitationMutationVariables>;
export const DeclineInvitationDocument = new TypedDocumentString(`
    mutation DeclineInvitation($input: DeclineInvitationInput!) {
  declineInvitation(input: $input) {
    __typename
    ... on ReceivedInvitation {
      id
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<DeclineInvitationMutation, DeclineInvitationMutationVariables>;
export const InviteMemberDocument = new TypedDocumentString(`
    mutation InviteMember($input: InviteMemberInput!) {
  inviteMember(input: $input) {
    __typename
    ... on Member {
      id
      role
    }
    ... on Invitation {
      id
      email
      role
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<InviteMemberMutation, InviteMemberMutationVariables>;
export const RemoveMemberDocument = new TypedDocumentString(`
    mutation RemoveMember($input: RemoveMemberInput!) {
  removeMember(input: $input) {
    __typename
    ... on Member {
      id
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<RemoveMemberMutation, RemoveMemberMutationVariables>;
export const TeamMembersDocument = new TypedDocumentString(`
    query TeamMembers($teamId: ID!) {
  team(id: $teamId) {
    id
    name
    modelAuthorRole
    members {
      id
      role
      user {
        id
        email
        displayName
      }
    }
    invitations {
      id
      email
      role
    }
  }
}
    `) as unknown as TypedDocumentString<TeamMembersQuery, TeamMembersQueryVariables>;
export const UpdateMemberRoleDocument = new TypedDocumentString(`
    mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {
  updateMemberRole(input: $input) {
    __typename
    ... on Member {
      id
      role
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateMemberRoleMutation, UpdateMemberRoleMutationVariables>;
export const UpdateModelAuthoringDocument = new TypedDocumentString(`
    mutation UpdateModelAuthoring($input: UpdateModelAuthoringInput!) {
  updateModelAuthoring(input: $input) {
    __typename
    ... on Team {
      id
      modelAuthorRole
    }
    ... on UserError {
      code
      message
      field
    }
  }
}
    `) as unknown as TypedDocumentString<UpdateModelAuthoringMutation, UpdateModelAuthoringMutationVariables>;
export const ViewerProbeDocument = new TypedDocumentString(`
    query ViewerProbe {
  viewer {
    id
  }
}
    `) as unknown as TypedDocumentString<ViewerProbeQuery, ViewerProbeQueryVariables>;