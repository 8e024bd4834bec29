import { useQuery } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute } from '@/lib/graphql';

export const ViewerQuery = graphql(`
  query Viewer {
    viewer {
      id
      email
      displayName
      teams {
        id
        name
        role
      }
      invitations {
        id
        role
        invitedBy
        expiresAt
        team {
          id
          name
        }
      }
    }
  }
`);

export const viewerQueryKey = ['viewer'] as const;

export function useViewer() {
  return useQuery({ queryKey: viewerQueryKey, queryFn: async () => (await execute(ViewerQuery)).viewer });
}
