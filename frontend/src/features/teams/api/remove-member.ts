import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute, unwrap } from '@/lib/graphql';

export const RemoveMemberMutation = graphql(`
  mutation RemoveMember($input: RemoveMemberInput!) {
    removeMember(input: $input) {
      __typename
      ... on Member {
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

export function useRemoveMember(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (memberId: string) =>
      unwrap((await execute(RemoveMemberMutation, { input: { memberId } })).removeMember),
    onSuccess: () => client.invalidateQueries({ queryKey: ['team', teamId] }),
  });
}
