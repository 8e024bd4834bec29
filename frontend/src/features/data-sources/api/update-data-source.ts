import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { UpdateDataSourceInput } from '@/gql/graphql';
import { execute, unwrap } from '@/lib/graphql';

export const UpdateDataSourceMutation = graphql(`
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
`);

export function useUpdateDataSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: UpdateDataSourceInput) =>
      unwrap((await execute(UpdateDataSourceMutation, { input })).updateDataSource),
    onSuccess: () => client.invalidateQueries({ queryKey: ['team'] }),
  });
}
