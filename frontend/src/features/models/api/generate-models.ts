import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { GenerateModelsInput } from '@/gql/graphql';
import { execute, unwrap } from '@/lib/graphql';

export const GenerateModelsMutation = graphql(`
  mutation GenerateModels($input: GenerateModelsInput!) {
    generateModels(input: $input) {
      __typename
      ... on ModelVersion {
        id
        number
        files {
          name
          code
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

export function useGenerateModels() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: GenerateModelsInput) =>
      unwrap((await execute(GenerateModelsMutation, { input })).generateModels),
    onSuccess: (_data, input) => client.invalidateQueries({ queryKey: ['dataSource', input.dataSourceId] }),
  });
}
