import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { InviteMemberInput } from '@/gql/graphql';
import { execute, unwrap } from '@/lib/graphql';

export const InviteMemberMutation = graphql(`
  mutation InviteMember($input: InviteMemberInput!) {
    inviteMember(input: $input) {
      __typename
      ... on Member {
        id
        role
      }
      ... on Invitation {
        id
        email
        role
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);

export function useInviteMember(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: Omit<InviteMemberInput, 'teamId'>) =>
      unwrap((await execute(InviteMemberMutation, { input: { ...input, teamId } })).inviteMember),
    onSuccess: () => client.invalidateQueries({ queryKey: ['team', teamId] }),
  });
}
