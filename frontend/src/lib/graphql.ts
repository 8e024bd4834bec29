import type { TypedDocumentString } from '@/gql/graphql';

/** A failure of the request itself: network, HTTP status, or a GraphQL `errors` array. */
export class ApiError extends Error {
  constructor(
    message: string,
    readonly status?: number,
  ) {
    super(message);
    this.name = 'ApiError';
  }
}

/** An expected refusal returned as the `UserError` member of a mutation's result union. */
export class UserErrorException extends Error {
  constructor(
    readonly code: string,
    message: string,
    readonly field: string | null = null,
  ) {
    super(message);
    this.name = 'UserErrorException';
  }
}

export const GRAPHQL_ENDPOINT = '/graphql';

type GraphQLResponse<T> = { data?: T | null; errors?: { message: string }[] };

/** POSTs one operation to the same-origin endpoint; the session cookie rides along. */
export async function execute<TResult, TVariables>(
  document: TypedDocumentString<TResult, TVariables>,
  ...[variables]: TVariables extends Record<string, never> ? [] : [TVariables]
): Promise<TResult> {
  let response: Response;
  try {
    response = await fetch(GRAPHQL_ENDPOINT, {
      method: 'POST',
      credentials: 'same-origin',
      headers: { 'Content-Type': 'application/json', Accept: 'application/json' },
      body: JSON.stringify({ query: document.toString(), variables: variables ?? {} }),
    });
  } catch {
    throw new ApiError('Cannot reach the server. Check your connection and try again.');
  }
  let body: GraphQLResponse<TResult>;
  try {
    body = (await response.json()) as GraphQLResponse<TResult>;
  } catch {
    throw new ApiError(`The server answered ${response.status} without a readable body.`, response.status);
  }
  if (body.errors?.length) {
    throw new ApiError(body.errors.map((e) => e.message).join('; '), response.status);
  }
  if (!response.ok || body.data == null) {
    throw new ApiError(`The server answered ${response.status}.`, response.status);
  }
  return body.data;
}

type Typed = { __typename?: string };
type UserErrorShape = { __typename?: 'UserError'; code: string; message: string; field?: string | null };

/** Narrows a `<Success> | UserError` union to its success member, throwing the UserError. */
export function unwrap<T extends Typed>(result: T): Exclude<T, { __typename?: 'UserError' }> {
  if (result.__typename === 'UserError') {
    const error = result as unknown as UserErrorShape;
    throw new UserErrorException(error.code, error.message, error.field ?? null);
  }
  return result as Exclude<T, { __typename?: 'UserError' }>;
}

export function errorMessage(error: unknown): string {
  if (error instanceof Error) return error.message;
  return 'Something went wrong.';
}
