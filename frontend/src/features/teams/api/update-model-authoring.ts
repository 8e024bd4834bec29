import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { TeamRole } from '@/gql/graphql';
import { execute, unwrap } from '@/lib/graphql';

export const UpdateModelAuthoringMutation = graphql(`
  mutation UpdateModelAuthoring($input: UpdateModelAuthoringInput!) {
    updateModelAuthoring(input: $input) {
      __typename
      ... on Team {
        id
        modelAuthorRole
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);

export function useUpdateModelAuthoring(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (authorRole: TeamRole) =>
      unwrap((await execute(UpdateModelAuthoringMutation, { input: { teamId, authorRole } })).updateModelAuthoring),
    onSettled: () => client.invalidateQueries({ queryKey: ['team', teamId] }),
  });
}
