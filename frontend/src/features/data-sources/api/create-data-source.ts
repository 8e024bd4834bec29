import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { CreateDataSourceInput } from '@/gql/graphql';
import { execute, unwrap } from '@/lib/graphql';

export const CreateDataSourceMutation = graphql(`
  mutation CreateDataSource($input: CreateDataSourceInput!) {
    createDataSource(input: $input) {
      __typename
      ... on DataSource {
        id
        name
        type
        params
      }
      ... on UserError {
        code
        message
        field
      }
    }
  }
`);

export function useCreateDataSource() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateDataSourceInput) =>
      unwrap((await execute(CreateDataSourceMutation, { input })).createDataSource),
    onSuccess: (_data, input) => client.invalidateQueries({ queryKey: ['team', input.teamId] }),
  });
}
