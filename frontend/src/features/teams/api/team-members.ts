import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute } from '@/lib/graphql';

export const TeamMembersQuery = graphql(`
  query TeamMembers($teamId: ID!) {
    team(id: $teamId) {
      id
      name
      modelAuthorRole
      members {
        id
        role
        user {
          id
          email
          displayName
        }
      }
      invitations {
        id
        email
        role
      }
    }
  }
`);

export const teamMembersQueryKey = (teamId: string) => ['team', teamId, 'members'] as const;

export function useTeamMembers(teamId: string) {
  return useQuery({
    queryKey: teamMembersQueryKey(teamId),
    queryFn: async () => (await execute(TeamMembersQuery, { teamId })).team,
  });
}
