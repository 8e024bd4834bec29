import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute } from '@/lib/graphql';

export const ModelVersionQuery = graphql(`
  query ModelVersion($dataSourceId: ID!) {
    modelVersion(dataSourceId: $dataSourceId) {
      id
      number
      createdAt
      files {
        name
        code
      }
    }
  }
`);

export const modelVersionQueryKey = (dataSourceId: string) => ['dataSource', dataSourceId, 'modelVersion'] as const;

export function useModelVersion(dataSourceId: string) {
  return useQuery({
    queryKey: modelVersionQueryKey(dataSourceId),
    queryFn: async () => (await execute(ModelVersionQuery, { dataSourceId })).modelVersion,
  });
}
