import { describe, expect, it, vi } from 'vitest';
import { graphql } from '@/gql';
import { ApiError, execute, unwrap, UserErrorException } from './graphql';

const Viewer = graphql(`
  query ViewerProbe {
    viewer {
      id
    }
  }
`);

const respond = (body: unknown, status = 200) =>
  vi.stubGlobal('fetch', vi.fn(async () => new Response(typeof body === 'string' ? body : JSON.stringify(body), { status })));

describe('execute', () => {
  it('posts the operation to /graphql with the cookie and returns data', async () => {
    const fetchMock = vi.fn(async () => new Response(JSON.stringify({ data: { viewer: { id: 'u1' } } })));
    vi.stubGlobal('fetch', fetchMock);
    await expect(execute(Viewer)).resolves.toEqual({ viewer: { id: 'u1' } });
    const [url, init] = fetchMock.mock.calls[0] as unknown as [string, RequestInit];
    expect(url).toBe('/graphql');
    expect(init.credentials).toBe('same-origin');
    expect(JSON.parse(String(init.body)).query).toContain('query ViewerProbe');
  });

  it('turns GraphQL errors, bad statuses and network failures into ApiError', async () => {
    respond({ data: null, errors: [{ message: 'Internal error (id abc)' }] });
    await expect(execute(Viewer)).rejects.toBeInstanceOf(ApiError);
    await expect(execute(Viewer)).rejects.toThrow('Internal error (id abc)');
    respond('<html>bad gateway</html>', 502);
    await expect(execute(Viewer)).rejects.toThrow('The server answered 502 without a readable body.');
    vi.stubGlobal('fetch', vi.fn(async () => Promise.reject(new TypeError('Failed to fetch'))));
    await expect(execute(Viewer)).rejects.toThrow('Cannot reach the server');
  });
});

describe('unwrap', () => {
  it('returns the success member and throws the UserError member', () => {
    expect(unwrap({ __typename: 'Team' as const, id: 't1' })).toEqual({ __typename: 'Team', id: 't1' });
    const refusal = { __typename: 'UserError' as const, code: 'FORBIDDEN', message: 'No.', field: 'memberId' };
    expect(() => unwrap(refusal)).toThrow(UserErrorException);
    try {
      unwrap(refusal);
    } catch (error) {
      expect(error).toMatchObject({ code: 'FORBIDDEN', message: 'No.', field: 'memberId' });
    }
  });
});
