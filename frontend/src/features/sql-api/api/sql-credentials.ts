import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { SqlCredentialsQuery } from '@/gql/graphql';
import { execute } from '@/lib/graphql';

export const SqlCredentialsDocument = graphql(`
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
`);

/** The team's credentials with the members and data sources a credential can be bound to. */
export type TeamCredentials = SqlCredentialsQuery['team'] & { sqlCredentials: SqlCredentialsQuery['sqlCredentials'] };

export const sqlCredentialsQueryKey = (teamId: string) => ['team', teamId, 'sqlCredentials'] as const;

export function useSqlCredentials(teamId: string) {
  return useQuery({
    queryKey: sqlCredentialsQueryKey(teamId),
    queryFn: async (): Promise<TeamCredentials> => {
      const { sqlCredentials, team } = await execute(SqlCredentialsDocument, { teamId });
      return { ...team, sqlCredentials };
    },
  });
}
