import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute, unwrap } from '@/lib/graphql';

export const CancelInvitationMutation = graphql(`
  mutation CancelInvitation($input: CancelInvitationInput!) {
    cancelInvitation(input: $input) {
      __typename
      ... on Invitation {
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

export function useCancelInvitation(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (invitationId: string) =>
      unwrap((await execute(CancelInvitationMutation, { input: { invitationId } })).cancelInvitation),
    onSuccess: () => client.invalidateQueries({ queryKey: ['team', teamId] }),
  });
}
