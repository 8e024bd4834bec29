import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { UpdateMemberRoleInput } from '@/gql/graphql';
import { execute, unwrap } from '@/lib/graphql';

export const UpdateMemberRoleMutation = graphql(`
  mutation UpdateMemberRole($input: UpdateMemberRoleInput!) {
    updateMemberRole(input: $input) {
      __typename
      ... on Member {
        id
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

export function useUpdateMemberRole(teamId: string) {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: UpdateMemberRoleInput) =>
      unwrap((await execute(UpdateMemberRoleMutation, { input })).updateMemberRole),
    onSettled: () => client.invalidateQueries({ queryKey: ['team', teamId] }),
  });
}
