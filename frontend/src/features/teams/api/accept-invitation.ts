import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute, unwrap } from '@/lib/graphql';

export const AcceptInvitationMutation = graphql(`
  mutation AcceptInvitation($input: AcceptInvitationInput!) {
    acceptInvitation(input: $input) {
      __typename
      ... on Team {
        id
        name
        viewerRole
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);

/** Join the team of an invitation addressed to the viewer; the viewer's teams reload. */
export function useAcceptInvitation() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (invitationId: string) =>
      unwrap((await execute(AcceptInvitationMutation, { input: { invitationId } })).acceptInvitation),
    onSettled: () => client.invalidateQueries({ queryKey: ['viewer'] }),
  });
}
