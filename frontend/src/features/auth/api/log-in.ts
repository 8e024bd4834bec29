import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { LogInInput } from '@/gql/graphql';
import { execute, unwrap } from '@/lib/graphql';

export const LogInMutation = graphql(`
  mutation LogIn($input: LogInInput!) {
    logIn(input: $input) {
      __typename
      ... on AuthPayload {
        viewer {
          id
          email
          displayName
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

export function useLogIn() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: LogInInput) => unwrap((await execute(LogInMutation, { input })).logIn),
    onSuccess: () => client.resetQueries(),
  });
}
