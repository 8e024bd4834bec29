import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute } from '@/lib/graphql';

export const DataSourceTablesQuery = graphql(`
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
`);

export function useDataSourceTables(dataSourceId: string | null) {
  return useQuery({
    queryKey: ['dataSource', dataSourceId, 'tables'],
    enabled: dataSourceId != null,
    queryFn: async () => (await execute(DataSourceTablesQuery, { dataSourceId: dataSourceId! })).dataSourceTables,
  });
}
