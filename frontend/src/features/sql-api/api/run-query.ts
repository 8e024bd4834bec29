import { useMutation } from '@tanstack/react-query';
import { graphql } from '@/gql';
import type { RunQueryInput } from '@/gql/graphql';
import { execute } from '@/lib/graphql';

export const RunQueryMutation = graphql(`
  mutation RunQuery($input: RunQueryInput!) {
    runQuery(input: $input) {
      __typename
      ... on QueryRun {
        tag
        kind
        columns {
          name
          type
        }
        rows
        rowLimit
        truncated
        compiledSql
        elapsedMs
      }
      ... on QueryError {
        code
        sqlstate
        message
        hint
      }
    }
  }
`);

/** The console: a refusal of the statement (QueryError, with its SQLSTATE) is an outcome to
 * show, like rows are — not an exception. */
export function useRunQuery() {
  return useMutation({
    mutationFn: async (input: RunQueryInput) => (await execute(RunQueryMutation, { input })).runQuery,
  });
}
