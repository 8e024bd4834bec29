import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute } from '@/lib/graphql';

export const SqlCredentialsQuery = graphql(`
  query SqlCredentials($teamId: ID!) {
    team(id: $teamId) {
      id
      sqlCredentials {
        ...SqlCredentialFields
      }
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

export const sqlCredentialsQueryKey = (teamId: string) => ['team', teamId, 'sqlCredentials'] as const;

export function useSqlCredentials(teamId: string) {
  return useQuery({
    queryKey: sqlCredentialsQueryKey(teamId),
    queryFn: async () => (await execute(SqlCredentialsQuery, { teamId })).team,
  });
}
