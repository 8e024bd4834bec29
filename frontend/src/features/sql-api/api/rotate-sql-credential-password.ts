import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute, unwrap } from '@/lib/graphql';

export const RotateSqlCredentialPasswordMutation = graphql(`
  mutation RotateSqlCredentialPassword($input: RotateSqlCredentialPasswordInput!) {
    rotateSqlCredentialPassword(input: $input) {
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

export function useRotateSqlCredentialPassword() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (id: string) =>
      unwrap((await execute(RotateSqlCredentialPasswordMutation, { input: { id } })).rotateSqlCredentialPassword),
    onSuccess: () => client.invalidateQueries({ queryKey: ['team'] }),
  });
}
