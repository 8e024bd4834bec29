import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute, unwrap } from '@/lib/graphql';

export const CreateDemoDataSourceMutation = graphql(`
  mutation CreateDemoDataSource($input: CreateDemoDataSourceInput!) {
    createDemoDataSource(input: $input) {
      __typename
      ... on DataSource {
        id
        name
        type
        params
        models {
          id
          number
        }
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);

export function useCreateDemoDataSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (teamId: string) =>
      unwrap((await execute(CreateDemoDataSourceMutation, { input: { teamId } })).createDemoDataSource),
    onSuccess: (_data, teamId) => client.invalidateQueries({ queryKey: ['team', teamId] }),
  });
}
