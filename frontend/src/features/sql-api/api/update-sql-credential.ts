import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { UpdateSqlCredentialInput } from '@/gql/graphql';
import { execute, unwrap } from '@/lib/graphql';

export const UpdateSqlCredentialMutation = graphql(`
  mutation UpdateSqlCredential($input: UpdateSqlCredentialInput!) {
    updateSqlCredential(input: $input) {
      __typename
      ... on SqlCredential {
        ...SqlCredentialFields
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);

export function useUpdateSqlCredential() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: UpdateSqlCredentialInput) =>
      unwrap((await execute(UpdateSqlCredentialMutation, { input })).updateSqlCredential),
    onSuccess: () => client.invalidateQueries({ queryKey: ['team'] }),
  });
}
