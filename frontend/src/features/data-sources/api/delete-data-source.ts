import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute, unwrap } from '@/lib/graphql';

export const DeleteDataSourceMutation = graphql(`
  mutation DeleteDataSource($input: DeleteDataSourceInput!) {
    deleteDataSource(input: $input) {
      __typename
      ... on DataSource {
        id
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);

export function useDeleteDataSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) => unwrap((await execute(DeleteDataSourceMutation, { input: { id } })).deleteDataSource),
    onSuccess: () => client.invalidateQueries({ queryKey: ['team'] }),
  });
}
