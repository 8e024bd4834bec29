import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute } from '@/lib/graphql';

export const VisibleCubesQuery = graphql(`
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
`);

/** The live version's cubes and members as the viewer's access list shows them. */
export function useVisibleCubes(dataSourceId: string) {
  return useQuery({
    queryKey: ['dataSource', dataSourceId, 'visible-cubes'] as const,
    queryFn: async () => (await execute(VisibleCubesQuery, { dataSourceId })).dataSource.models ?? null,
  });
}
