import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { CreateModelVersionInput } from '@/gql/graphql';
import { execute } from '@/lib/graphql';

export const CreateModelVersionMutation = graphql(`
  mutation CreateModelVersion($input: CreateModelVersionInput!) {
    createModelVersion(input: $input) {
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
        line
        problems {
          file
          line
          cube
          member
          message
        }
      }
    }
  }
`);

export type ModelProblem = { code: string; message: string; file: string | null; line: number | null };

export type SaveModelsOutcome =
  | { ok: true; versionId: string; number: number }
  | { ok: false; problems: ModelProblem[] };

/** Validation problems are an outcome to show beside the code, not an exception. */
export function useCreateModelVersion() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async (input: CreateModelVersionInput): Promise<SaveModelsOutcome> => {
      const result = (await execute(CreateModelVersionMutation, { input })).createModelVersion;
      if (result.__typename === 'ModelVersion') return { ok: true, versionId: result.id, number: result.number };
      if (result.problems?.length) {
        return {
          ok: false,
          problems: result.problems.map((p) => ({ code: result.code, message: p.message, file: p.file, line: p.line })),
        };
      }
      // Otherwise a single refusal; its `field` names the model file when `line` points into it.
      return {
        ok: false,
        problems: [{ code: result.code, message: result.message, file: result.field ?? null, line: result.line ?? null }],
      };
    },
    onSuccess: (outcome, input) => {
      if (outcome.ok) void client.invalidateQueries({ queryKey: ['dataSource', input.dataSourceId] });
    },
  });
}
