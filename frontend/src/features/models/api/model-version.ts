import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute } from '@/lib/graphql';

export const LiveModelVersionQuery = graphql(`
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
`);

export const modelVersionQueryKey = (dataSourceId: string) => ['dataSource', dataSourceId, 'modelVersion'] as const;

/** The live (newest) version of the data source's models, or null before any was saved. */
export function useModelVersion(dataSourceId: string) {
  return useQuery({
    queryKey: modelVersionQueryKey(dataSourceId),
    queryFn: async () => (await execute(LiveModelVersionQuery, { dataSourceId })).dataSource.models ?? null,
  });
}
