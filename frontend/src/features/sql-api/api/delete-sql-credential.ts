import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute, unwrap } from '@/lib/graphql';

export const DeleteSqlCredentialMutation = graphql(`
  mutation DeleteSqlCredential($input: DeleteSqlCredentialInput!) {
    deleteSqlCredential(input: $input) {
      __typename
      ... on SqlCredential {
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

export function useDeleteSqlCredential() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap((await execute(DeleteSqlCredentialMutation, { input: { id } })).deleteSqlCredential),
    onSuccess: () => client.invalidateQueries({ queryKey: ['team'] }),
  });
}
