import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute } from '@/lib/graphql';

export const DataSourcesQuery = graphql(`
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
`);

export const dataSourcesQueryKey = (teamId: string) => ['team', teamId, 'dataSources'] as const;

export function useDataSources(teamId: string) {
  return useQuery({
    queryKey: dataSourcesQueryKey(teamId),
    queryFn: async () => (await execute(DataSourcesQuery, { teamId })).team.dataSources,
  });
}
