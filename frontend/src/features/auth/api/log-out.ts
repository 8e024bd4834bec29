import { useMutation, useQueryClient } from '@tanstack/react-query';
import { graphql } from '@/gql';
import { execute } from '@/lib/graphql';

export const LogOutMutation = graphql(`
  mutation LogOut {
    logOut
  }
`);

export function useLogOut() {
  const client = useQueryClient();
  return useMutation({
    mutationFn: async () => (await execute(LogOutMutation)).logOut,
    onSettled: () => client.clear(),
  });
}
