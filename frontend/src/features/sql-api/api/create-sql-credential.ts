import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { CreateSqlCredentialInput } from '@/gql/graphql';
import { execute, unwrap } from '@/lib/graphql';

export const CreateSqlCredentialMutation = graphql(`
  mutation CreateSqlCredential($input: CreateSqlCredentialInput!) {
    createSqlCredential(input: $input) {
      __typename
      ... on SqlCredentialSecret {
        password
        downloadToken
        credential {
          ...SqlCredentialFields
        }
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);

export function useCreateSqlCredential() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateSqlCredentialInput) =>
      unwrap((await execute(CreateSqlCredentialMutation, { input })).createSqlCredential),
    onSuccess: () => client.invalidateQueries({ queryKey: ['team'] }),
  });
}
