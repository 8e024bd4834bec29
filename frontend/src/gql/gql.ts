/* eslint-disable */
import * as types from './graphql';



/**
 * Map of all GraphQL operations in the project.
 *
 * This map has several performance disadvantages:
 * 1. It is not tree-shakeable, so it will include all operations in the project.
 * 2. It is not minifiable, so the string of a GraphQL query will be multiple times inside the bundle.
 * 3. It does not support dead code elimination, so it will add unused operations.
 *
 * Therefore it is highly recommended to use the babel or swc plugin for production.
 * Learn more about it here: https://the-guild.dev/graphql/codegen/plugins/presets/preset-client#reducing-bundle-size
 */
type Documents = {
    "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      __typename\n      ... on AuthPayload {\n        viewer {\n          id\n          email\n          displayName\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.LogInDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": typeof types.LogOutDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload {\n        viewer {\n          id\n          email\n          displayName\n          teams {\n            id\n            name\n          }\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.SignUpDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      displayName\n      teams {\n        id\n        name\n        role\n      }\n      invitations {\n        id\n        role\n        invitedBy\n        expiresAt\n        team {\n          id\n          name\n        }\n      }\n    }\n  }\n": typeof types.ViewerDocument,
    "\n  mutation CheckConnection($input: CheckConnectionInput!) {\n    checkConnection(input: $input) {\n      __typename\n      ... on ConnectionCheck {\n        ok\n        message\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.CheckConnectionDocument,
    "\n  mutation CreateDataSource($input: CreateDataSourceInput!) {\n    createDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n        name\n        type\n        params\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.CreateDataSourceDocument,
    "\n  mutation CreateDemoDataSource($input: CreateDemoDataSourceInput!) {\n    createDemoDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n        name\n        type\n        params\n        models {\n          id\n          number\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.CreateDemoDataSourceDocument,
    "\n  query DataSources($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      dataSources {\n        id\n        name\n        type\n        params\n        hasPassword\n        createdAt\n        models {\n          id\n          number\n          createdAt\n          cubes {\n            name\n          }\n        }\n      }\n    }\n  }\n": typeof types.DataSourcesDocument,
    "\n  mutation DeleteDataSource($input: DeleteDataSourceInput!) {\n    deleteDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.DeleteDataSourceDocument,
    "\n  mutation UpdateDataSource($input: UpdateDataSourceInput!) {\n    updateDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n        name\n        type\n        params\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.UpdateDataSourceDocument,
    "\n  mutation CreateModelVersion($input: CreateModelVersionInput!) {\n    createModelVersion(input: $input) {\n      __typename\n      ... on ModelVersion {\n        id\n        number\n        files {\n          name\n          code\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n        line\n        problems {\n          file\n          line\n          cube\n          member\n          message\n        }\n      }\n    }\n  }\n": typeof types.CreateModelVersionDocument,
    "\n  query DataSourceTables($dataSourceId: ID!) {\n    dataSourceTables(dataSourceId: $dataSourceId) {\n      schema\n      name\n      columns {\n        name\n        type\n      }\n    }\n  }\n": typeof types.DataSourceTablesDocument,
    "\n  mutation GenerateModels($input: GenerateModelsInput!) {\n    generateModels(input: $input) {\n      __typename\n      ... on ModelVersion {\n        id\n        number\n        files {\n          name\n          code\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.GenerateModelsDocument,
    "\n  query ModelAccess($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      modelAuthorRole\n      viewerCanAuthorModels\n    }\n  }\n": typeof types.ModelAccessDocument,
    "\n  query LiveModelVersion($dataSourceId: ID!) {\n    dataSource(id: $dataSourceId) {\n      id\n      models {\n        id\n        number\n        createdAt\n        files {\n          name\n          code\n        }\n      }\n    }\n  }\n": typeof types.LiveModelVersionDocument,
    "\n  query VisibleCubes($dataSourceId: ID!) {\n    dataSource(id: $dataSourceId) {\n      id\n      models {\n        id\n        number\n        cubes {\n          name\n          title\n          description\n          members {\n            name\n            kind\n            type\n          }\n        }\n      }\n    }\n  }\n": typeof types.VisibleCubesDocument,
    "\n  mutation CreateSqlCredential($input: CreateSqlCredentialInput!) {\n    createSqlCredential(input: $input) {\n      __typename\n      ... on SqlCredentialSecret {\n        password\n        downloadToken\n        credential {\n          ...SqlCredentialFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.CreateSqlCredentialDocument,
    "\n  mutation DeleteSqlCredential($input: DeleteSqlCredentialInput!) {\n    deleteSqlCredential(input: $input) {\n      __typename\n      ... on SqlCredential {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.DeleteSqlCredentialDocument,
    "\n  fragment SqlCredentialFields on SqlCredential {\n    id\n    username\n    createdAt\n    lastUsedAt\n    expiresAt\n    openSessions\n    downloadPath\n    member {\n      id\n      role\n      user {\n        id\n        email\n        displayName\n      }\n    }\n    dataSource {\n      id\n      name\n      type\n    }\n    connection {\n      postgres {\n        ...ConnectionInfoFields\n      }\n      mysql {\n        ...ConnectionInfoFields\n      }\n    }\n  }\n": typeof types.SqlCredentialFieldsFragmentDoc,
    "\n  fragment ConnectionInfoFields on ConnectionInfo {\n    host\n    port\n    database\n    username\n    command\n    uri\n    jdbcUrl\n    sqlalchemyUrl\n  }\n": typeof types.ConnectionInfoFieldsFragmentDoc,
    "\n  mutation RotateSqlCredentialPassword($input: RotateSqlCredentialPasswordInput!) {\n    rotateSqlCredentialPassword(input: $input) {\n      __typename\n      ... on SqlCredentialSecret {\n        password\n        downloadToken\n        credential {\n          ...SqlCredentialFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.RotateSqlCredentialPasswordDocument,
    "\n  mutation RunQuery($input: RunQueryInput!) {\n    runQuery(input: $input) {\n      __typename\n      ... on QueryRun {\n        tag\n        kind\n        columns {\n          name\n          type\n        }\n        rows\n        rowLimit\n        truncated\n        compiledSql\n        elapsedMs\n      }\n      ... on QueryError {\n        code\n        sqlstate\n        message\n        hint\n      }\n    }\n  }\n": typeof types.RunQueryDocument,
    "\n  query SqlCredentials($teamId: ID!) {\n    sqlCredentials(teamId: $teamId) {\n      ...SqlCredentialFields\n    }\n    team(id: $teamId) {\n      id\n      members {\n        id\n        role\n        user {\n          id\n          email\n          displayName\n        }\n      }\n      dataSources {\n        id\n        name\n        type\n      }\n    }\n  }\n": typeof types.SqlCredentialsDocument,
    "\n  mutation UpdateSqlCredential($input: UpdateSqlCredentialInput!) {\n    updateSqlCredential(input: $input) {\n      __typename\n      ... on SqlCredential {\n        ...SqlCredentialFields\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.UpdateSqlCredentialDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      __typename\n      ... on Team {\n        id\n        name\n        viewerRole\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.AcceptInvitationDocument,
    "\n  mutation CancelInvitation($input: CancelInvitationInput!) {\n    cancelInvitation(input: $input) {\n      __typename\n      ... on Invitation {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.CancelInvitationDocument,
    "\n  mutation DeclineInvitation($input: DeclineInvitationInput!) {\n    declineInvitation(input: $input) {\n      __typename\n      ... on ReceivedInvitation {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.DeclineInvitationDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      __typename\n      ... on Member {\n        id\n        role\n      }\n      ... on Invitation {\n        id\n        email\n        role\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.InviteMemberDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      __typename\n      ... on Member {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.RemoveMemberDocument,
    "\n  query TeamMembers($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      name\n      modelAuthorRole\n      members {\n        id\n        role\n        user {\n          id\n          email\n          displayName\n        }\n      }\n      invitations {\n        id\n        email\n        role\n      }\n    }\n  }\n": typeof types.TeamMembersDocument,
    "\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      __typename\n      ... on Member {\n        id\n        role\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.UpdateMemberRoleDocument,
    "\n  mutation UpdateModelAuthoring($input: UpdateModelAuthoringInput!) {\n    updateModelAuthoring(input: $input) {\n      __typename\n      ... on Team {\n        id\n        modelAuthorRole\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": typeof types.UpdateModelAuthoringDocument,
    "\n  query ViewerProbe {\n    viewer {\n      id\n    }\n  }\n": typeof types.ViewerProbeDocument,
};
const documents: Documents = {
    "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      __typename\n      ... on AuthPayload {\n        viewer {\n          id\n          email\n          displayName\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.LogInDocument,
    "\n  mutation LogOut {\n    logOut\n  }\n": types.LogOutDocument,
    "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload {\n        viewer {\n          id\n          email\n          displayName\n          teams {\n            id\n            name\n          }\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.SignUpDocument,
    "\n  query Viewer {\n    viewer {\n      id\n      email\n      displayName\n      teams {\n        id\n        name\n        role\n      }\n      invitations {\n        id\n        role\n        invitedBy\n        expiresAt\n        team {\n          id\n          name\n        }\n      }\n    }\n  }\n": types.ViewerDocument,
    "\n  mutation CheckConnection($input: CheckConnectionInput!) {\n    checkConnection(input: $input) {\n      __typename\n      ... on ConnectionCheck {\n        ok\n        message\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.CheckConnectionDocument,
    "\n  mutation CreateDataSource($input: CreateDataSourceInput!) {\n    createDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n        name\n        type\n        params\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.CreateDataSourceDocument,
    "\n  mutation CreateDemoDataSource($input: CreateDemoDataSourceInput!) {\n    createDemoDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n        name\n        type\n        params\n        models {\n          id\n          number\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.CreateDemoDataSourceDocument,
    "\n  query DataSources($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      dataSources {\n        id\n        name\n        type\n        params\n        hasPassword\n        createdAt\n        models {\n          id\n          number\n          createdAt\n          cubes {\n            name\n          }\n        }\n      }\n    }\n  }\n": types.DataSourcesDocument,
    "\n  mutation DeleteDataSource($input: DeleteDataSourceInput!) {\n    deleteDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.DeleteDataSourceDocument,
    "\n  mutation UpdateDataSource($input: UpdateDataSourceInput!) {\n    updateDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n        name\n        type\n        params\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.UpdateDataSourceDocument,
    "\n  mutation CreateModelVersion($input: CreateModelVersionInput!) {\n    createModelVersion(input: $input) {\n      __typename\n      ... on ModelVersion {\n        id\n        number\n        files {\n          name\n          code\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n        line\n        problems {\n          file\n          line\n          cube\n          member\n          message\n        }\n      }\n    }\n  }\n": types.CreateModelVersionDocument,
    "\n  query DataSourceTables($dataSourceId: ID!) {\n    dataSourceTables(dataSourceId: $dataSourceId) {\n      schema\n      name\n      columns {\n        name\n        type\n      }\n    }\n  }\n": types.DataSourceTablesDocument,
    "\n  mutation GenerateModels($input: GenerateModelsInput!) {\n    generateModels(input: $input) {\n      __typename\n      ... on ModelVersion {\n        id\n        number\n        files {\n          name\n          code\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.GenerateModelsDocument,
    "\n  query ModelAccess($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      modelAuthorRole\n      viewerCanAuthorModels\n    }\n  }\n": types.ModelAccessDocument,
    "\n  query LiveModelVersion($dataSourceId: ID!) {\n    dataSource(id: $dataSourceId) {\n      id\n      models {\n        id\n        number\n        createdAt\n        files {\n          name\n          code\n        }\n      }\n    }\n  }\n": types.LiveModelVersionDocument,
    "\n  query VisibleCubes($dataSourceId: ID!) {\n    dataSource(id: $dataSourceId) {\n      id\n      models {\n        id\n        number\n        cubes {\n          name\n          title\n          description\n          members {\n            name\n            kind\n            type\n          }\n        }\n      }\n    }\n  }\n": types.VisibleCubesDocument,
    "\n  mutation CreateSqlCredential($input: CreateSqlCredentialInput!) {\n    createSqlCredential(input: $input) {\n      __typename\n      ... on SqlCredentialSecret {\n        password\n        downloadToken\n        credential {\n          ...SqlCredentialFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.CreateSqlCredentialDocument,
    "\n  mutation DeleteSqlCredential($input: DeleteSqlCredentialInput!) {\n    deleteSqlCredential(input: $input) {\n      __typename\n      ... on SqlCredential {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.DeleteSqlCredentialDocument,
    "\n  fragment SqlCredentialFields on SqlCredential {\n    id\n    username\n    createdAt\n    lastUsedAt\n    expiresAt\n    openSessions\n    downloadPath\n    member {\n      id\n      role\n      user {\n        id\n        email\n        displayName\n      }\n    }\n    dataSource {\n      id\n      name\n      type\n    }\n    connection {\n      postgres {\n        ...ConnectionInfoFields\n      }\n      mysql {\n        ...ConnectionInfoFields\n      }\n    }\n  }\n": types.SqlCredentialFieldsFragmentDoc,
    "\n  fragment ConnectionInfoFields on ConnectionInfo {\n    host\n    port\n    database\n    username\n    command\n    uri\n    jdbcUrl\n    sqlalchemyUrl\n  }\n": types.ConnectionInfoFieldsFragmentDoc,
    "\n  mutation RotateSqlCredentialPassword($input: RotateSqlCredentialPasswordInput!) {\n    rotateSqlCredentialPassword(input: $input) {\n      __typename\n      ... on SqlCredentialSecret {\n        password\n        downloadToken\n        credential {\n          ...SqlCredentialFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.RotateSqlCredentialPasswordDocument,
    "\n  mutation RunQuery($input: RunQueryInput!) {\n    runQuery(input: $input) {\n      __typename\n      ... on QueryRun {\n        tag\n        kind\n        columns {\n          name\n          type\n        }\n        rows\n        rowLimit\n        truncated\n        compiledSql\n        elapsedMs\n      }\n      ... on QueryError {\n        code\n        sqlstate\n        message\n        hint\n      }\n    }\n  }\n": types.RunQueryDocument,
    "\n  query SqlCredentials($teamId: ID!) {\n    sqlCredentials(teamId: $teamId) {\n      ...SqlCredentialFields\n    }\n    team(id: $teamId) {\n      id\n      members {\n        id\n        role\n        user {\n          id\n          email\n          displayName\n        }\n      }\n      dataSources {\n        id\n        name\n        type\n      }\n    }\n  }\n": types.SqlCredentialsDocument,
    "\n  mutation UpdateSqlCredential($input: UpdateSqlCredentialInput!) {\n    updateSqlCredential(input: $input) {\n      __typename\n      ... on SqlCredential {\n        ...SqlCredentialFields\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.UpdateSqlCredentialDocument,
    "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      __typename\n      ... on Team {\n        id\n        name\n        viewerRole\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.AcceptInvitationDocument,
    "\n  mutation CancelInvitation($input: CancelInvitationInput!) {\n    cancelInvitation(input: $input) {\n      __typename\n      ... on Invitation {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.CancelInvitationDocument,
    "\n  mutation DeclineInvitation($input: DeclineInvitationInput!) {\n    declineInvitation(input: $input) {\n      __typename\n      ... on ReceivedInvitation {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.DeclineInvitationDocument,
    "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      __typename\n      ... on Member {\n        id\n        role\n      }\n      ... on Invitation {\n        id\n        email\n        role\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.InviteMemberDocument,
    "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      __typename\n      ... on Member {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.RemoveMemberDocument,
    "\n  query TeamMembers($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      name\n      modelAuthorRole\n      members {\n        id\n        role\n        user {\n          id\n          email\n          displayName\n        }\n      }\n      invitations {\n        id\n        email\n        role\n      }\n    }\n  }\n": types.TeamMembersDocument,
    "\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      __typename\n      ... on Member {\n        id\n        role\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.UpdateMemberRoleDocument,
    "\n  mutation UpdateModelAuthoring($input: UpdateModelAuthoringInput!) {\n    updateModelAuthoring(input: $input) {\n      __typename\n      ... on Team {\n        id\n        modelAuthorRole\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n": types.UpdateModelAuthoringDocument,
    "\n  query ViewerProbe {\n    viewer {\n      id\n    }\n  }\n": types.ViewerProbeDocument,
};

/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogIn($input: LogInInput!) {\n    logIn(input: $input) {\n      __typename\n      ... on AuthPayload {\n        viewer {\n          id\n          email\n          displayName\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').LogInDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation LogOut {\n    logOut\n  }\n"): typeof import('./graphql').LogOutDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation SignUp($input: SignUpInput!) {\n    signUp(input: $input) {\n      __typename\n      ... on AuthPayload {\n        viewer {\n          id\n          email\n          displayName\n          teams {\n            id\n            name\n          }\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').SignUpDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query Viewer {\n    viewer {\n      id\n      email\n      displayName\n      teams {\n        id\n        name\n        role\n      }\n      invitations {\n        id\n        role\n        invitedBy\n        expiresAt\n        team {\n          id\n          name\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').ViewerDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CheckConnection($input: CheckConnectionInput!) {\n    checkConnection(input: $input) {\n      __typename\n      ... on ConnectionCheck {\n        ok\n        message\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').CheckConnectionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateDataSource($input: CreateDataSourceInput!) {\n    createDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n        name\n        type\n        params\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').CreateDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateDemoDataSource($input: CreateDemoDataSourceInput!) {\n    createDemoDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n        name\n        type\n        params\n        models {\n          id\n          number\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').CreateDemoDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DataSources($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      dataSources {\n        id\n        name\n        type\n        params\n        hasPassword\n        createdAt\n        models {\n          id\n          number\n          createdAt\n          cubes {\n            name\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').DataSourcesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteDataSource($input: DeleteDataSourceInput!) {\n    deleteDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').DeleteDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateDataSource($input: UpdateDataSourceInput!) {\n    updateDataSource(input: $input) {\n      __typename\n      ... on DataSource {\n        id\n        name\n        type\n        params\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateDataSourceDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateModelVersion($input: CreateModelVersionInput!) {\n    createModelVersion(input: $input) {\n      __typename\n      ... on ModelVersion {\n        id\n        number\n        files {\n          name\n          code\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n        line\n        problems {\n          file\n          line\n          cube\n          member\n          message\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').CreateModelVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query DataSourceTables($dataSourceId: ID!) {\n    dataSourceTables(dataSourceId: $dataSourceId) {\n      schema\n      name\n      columns {\n        name\n        type\n      }\n    }\n  }\n"): typeof import('./graphql').DataSourceTablesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation GenerateModels($input: GenerateModelsInput!) {\n    generateModels(input: $input) {\n      __typename\n      ... on ModelVersion {\n        id\n        number\n        files {\n          name\n          code\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').GenerateModelsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ModelAccess($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      modelAuthorRole\n      viewerCanAuthorModels\n    }\n  }\n"): typeof import('./graphql').ModelAccessDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query LiveModelVersion($dataSourceId: ID!) {\n    dataSource(id: $dataSourceId) {\n      id\n      models {\n        id\n        number\n        createdAt\n        files {\n          name\n          code\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').LiveModelVersionDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query VisibleCubes($dataSourceId: ID!) {\n    dataSource(id: $dataSourceId) {\n      id\n      models {\n        id\n        number\n        cubes {\n          name\n          title\n          description\n          members {\n            name\n            kind\n            type\n          }\n        }\n      }\n    }\n  }\n"): typeof import('./graphql').VisibleCubesDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CreateSqlCredential($input: CreateSqlCredentialInput!) {\n    createSqlCredential(input: $input) {\n      __typename\n      ... on SqlCredentialSecret {\n        password\n        downloadToken\n        credential {\n          ...SqlCredentialFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').CreateSqlCredentialDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeleteSqlCredential($input: DeleteSqlCredentialInput!) {\n    deleteSqlCredential(input: $input) {\n      __typename\n      ... on SqlCredential {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').DeleteSqlCredentialDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment SqlCredentialFields on SqlCredential {\n    id\n    username\n    createdAt\n    lastUsedAt\n    expiresAt\n    openSessions\n    downloadPath\n    member {\n      id\n      role\n      user {\n        id\n        email\n        displayName\n      }\n    }\n    dataSource {\n      id\n      name\n      type\n    }\n    connection {\n      postgres {\n        ...ConnectionInfoFields\n      }\n      mysql {\n        ...ConnectionInfoFields\n      }\n    }\n  }\n"): typeof import('./graphql').SqlCredentialFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  fragment ConnectionInfoFields on ConnectionInfo {\n    host\n    port\n    database\n    username\n    command\n    uri\n    jdbcUrl\n    sqlalchemyUrl\n  }\n"): typeof import('./graphql').ConnectionInfoFieldsFragmentDoc;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RotateSqlCredentialPassword($input: RotateSqlCredentialPasswordInput!) {\n    rotateSqlCredentialPassword(input: $input) {\n      __typename\n      ... on SqlCredentialSecret {\n        password\n        downloadToken\n        credential {\n          ...SqlCredentialFields\n        }\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').RotateSqlCredentialPasswordDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RunQuery($input: RunQueryInput!) {\n    runQuery(input: $input) {\n      __typename\n      ... on QueryRun {\n        tag\n        kind\n        columns {\n          name\n          type\n        }\n        rows\n        rowLimit\n        truncated\n        compiledSql\n        elapsedMs\n      }\n      ... on QueryError {\n        code\n        sqlstate\n        message\n        hint\n      }\n    }\n  }\n"): typeof import('./graphql').RunQueryDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query SqlCredentials($teamId: ID!) {\n    sqlCredentials(teamId: $teamId) {\n      ...SqlCredentialFields\n    }\n    team(id: $teamId) {\n      id\n      members {\n        id\n        role\n        user {\n          id\n          email\n          displayName\n        }\n      }\n      dataSources {\n        id\n        name\n        type\n      }\n    }\n  }\n"): typeof import('./graphql').SqlCredentialsDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateSqlCredential($input: UpdateSqlCredentialInput!) {\n    updateSqlCredential(input: $input) {\n      __typename\n      ... on SqlCredential {\n        ...SqlCredentialFields\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateSqlCredentialDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation AcceptInvitation($input: AcceptInvitationInput!) {\n    acceptInvitation(input: $input) {\n      __typename\n      ... on Team {\n        id\n        name\n        viewerRole\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').AcceptInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation CancelInvitation($input: CancelInvitationInput!) {\n    cancelInvitation(input: $input) {\n      __typename\n      ... on Invitation {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').CancelInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation DeclineInvitation($input: DeclineInvitationInput!) {\n    declineInvitation(input: $input) {\n      __typename\n      ... on ReceivedInvitation {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').DeclineInvitationDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation InviteMember($input: InviteMemberInput!) {\n    inviteMember(input: $input) {\n      __typename\n      ... on Member {\n        id\n        role\n      }\n      ... on Invitation {\n        id\n        email\n        role\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').InviteMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation RemoveMember($input: RemoveMemberInput!) {\n    removeMember(input: $input) {\n      __typename\n      ... on Member {\n        id\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').RemoveMemberDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query TeamMembers($teamId: ID!) {\n    team(id: $teamId) {\n      id\n      name\n      modelAuthorRole\n      members {\n        id\n        role\n        user {\n          id\n          email\n          displayName\n        }\n      }\n      invitations {\n        id\n        email\n        role\n      }\n    }\n  }\n"): typeof import('./graphql').TeamMembersDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {\n    updateMemberRole(input: $input) {\n      __typename\n      ... on Member {\n        id\n        role\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateMemberRoleDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  mutation UpdateModelAuthoring($input: UpdateModelAuthoringInput!) {\n    updateModelAuthoring(input: $input) {\n      __typename\n      ... on Team {\n        id\n        modelAuthorRole\n      }\n      ... on UserError {\n        code\n        message\n        field\n      }\n    }\n  }\n"): typeof import('./graphql').UpdateModelAuthoringDocument;
/**
 * The graphql function is used to parse GraphQL queries into a document that can be used by GraphQL clients.
 */
export function graphql(source: "\n  query ViewerProbe {\n    viewer {\n      id\n    }\n  }\n"): typeof import('./graphql').ViewerProbeDocument;


export function graphql(source: string) {
  return (documents as any)[source] ?? {};
}
