import { QueryClient } from '@tanstack/react-query';
import { ApiError } from './graphql';

export function createQueryClient(): QueryClient {
  return new QueryClient({
    defaultOptions: {
      queries: {
        staleTime: 10_000,
        refetchOnWindowFocus: false,
        // Retrying a refusal or a bad request only delays the message the user needs.
        retry: (count, error) => !(error instanceof ApiError && error.status !== undefined) && count < 1,
      },
      mutations: { retry: false },
    },
  });
}
