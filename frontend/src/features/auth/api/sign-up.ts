import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { SignUpInput } from '@/gql/graphql';
import { execute, unwrap } from '@/lib/graphql';

export const SignUpMutation = graphql(`
  mutation SignUp($input: SignUpInput!) {
    signUp(input: $input) {
      __typename
      ... on AuthPayload {
        viewer {
          id
          email
          displayName
          teams {
            id
            name
          }
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

export function useSignUp() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: SignUpInput) => unwrap((await execute(SignUpMutation, { input })).signUp),
    onSuccess: () => client.resetQueries(),
  });
}
