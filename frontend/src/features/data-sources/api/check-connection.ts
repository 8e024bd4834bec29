import { useMutation } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { CheckConnectionInput } from '@/gql/graphql';
import { execute, unwrap } from '@/lib/graphql';

export const CheckConnectionMutation = graphql(`
  mutation CheckConnection($input: CheckConnectionInput!) {
    checkConnection(input: $input) {
      __typename
      ... on ConnectionCheck {
        ok
        message
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);

export function useCheckConnection() {
  return useMutation({
    mutationFn: async (input: CheckConnectionInput) =>
      unwrap((await execute(CheckConnectionMutation, { input })).checkConnection),
  });
}
