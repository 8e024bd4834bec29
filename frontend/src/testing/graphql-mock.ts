import { vi } from 'vitest';

type Variables = Record<string, unknown>;
export type Handler = (variables: Variables) => unknown;
export type GraphQLCall = { operationName: string; variables: Variables };

/**
 * Replaces `fetch` — the network boundary — with a GraphQL responder keyed by operation name.
 * A handler returns the `data` object; throwing `{ graphQLErrors }` yields an `errors` array.
 * Unknown operations fail the test loudly instead of hanging.
 */
export type OtherFetch = (url: string, init?: RequestInit) => Response | Promise<Response>;

export function mockGraphQL(handlers: Record<string, Handler>) {
  const calls: GraphQLCall[] = [];
  let other: OtherFetch | null = null;
  const fetchMock = vi.fn(async (url: RequestInfo | URL, init?: RequestInit) => {
    if (String(url) !== '/graphql') {
      if (other) return other(String(url), init);
      throw new Error(`unexpected fetch of ${String(url)}`);
    }
    const body = JSON.parse(String(init?.body)) as { query: string; variables: Variables };
    const operationName = /\b(?:query|mutation)\s+(\w+)/.exec(body.query)?.[1] ?? '';
    calls.push({ operationName, variables: body.variables });
    const handler = handlers[operationName];
    if (!handler) throw new Error(`no mock for GraphQL operation ${operationName}`);
    try {
      const data = await handler(body.variables);
      return new Response(JSON.stringify({ data }), { status: 200, headers: { 'Content-Type': 'application/json' } });
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      return new Response(JSON.stringify({ data: null, errors: [{ message }] }), { status: 200 });
    }
  });
  vi.stubGlobal('fetch', fetchMock);
  return {
    calls,
    /** Variables of every call of one operation, in order. */
    callsOf: (name: string) => calls.filter((c) => c.operationName === name).map((c) => c.variables),
    set: (name: string, handler: Handler) => {
      handlers[name] = handler;
    },
    /** Answers requests to URLs other than /graphql (the credentials download). */
    onOtherFetch: (handler: OtherFetch) => {
      other = handler;
    },
  };
}

export const userError = (message: string, field: string | null = null, code = 'INVALID') => ({
  __typename: 'UserError',
  code,
  message,
  field,
  line: null,
  problems: null,
});
