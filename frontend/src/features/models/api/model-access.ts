import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute } from '@/lib/graphql';

export const ModelAccessQuery = graphql(`
  query ModelAccess($teamId: ID!) {
    team(id: $teamId) {
      id
      modelAuthorRole
      viewerCanAuthorModels
    }
  }
`);

/** Whether the viewer may author models in the team (a team setting; see docs/security.md). */
export function useModelAccess(teamId: string) {
  return useQuery({
    queryKey: ['team', teamId, 'model-access'] as const,
    queryFn: async () => (await execute(ModelAccessQuery, { teamId })).team,
  });
}
