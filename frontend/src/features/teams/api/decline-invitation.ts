import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute, unwrap } from '@/lib/graphql';

export const DeclineInvitationMutation = graphql(`
  mutation DeclineInvitation($input: DeclineInvitationInput!) {
    declineInvitation(input: $input) {
      __typename
      ... on ReceivedInvitation {
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

export function useDeclineInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (invitationId: string) =>
      unwrap((await execute(DeclineInvitationMutation, { input: { invitationId } })).declineInvitation),
    onSettled: () => client.invalidateQueries({ queryKey: ['viewer'] }),
  });
}
