import { graphql } from '@/gql';

// Shared selection so that every credential operation refreshes the same fields.
export const SqlCredentialFields = graphql(`
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
`);

export const ConnectionInfoFields = graphql(`
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
`);
