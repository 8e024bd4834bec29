import { Button, Group, Stack } from '@mantine/core';
import { useEffect, useRef } from 'react';
import { ErrorAlert, LoadingState } from '@/components/ui/States';
import { useCreateSqlCredential } from '../api/create-sql-credential';
import { GuardedSecret } from './GuardedSecret';
import { useSecretGuard } from './SecretGuard';

type Props = { memberId: string; dataSourceId: string; onFinish: () => void };

/** Creates the credential as the step opens (once) and shows its secret for the only time. */
export function NewCredentialAccess({ memberId, dataSourceId, onFinish }: Props) {
  const create = useCreateSqlCredential();
  const started = useRef(false);
  const guard = useSecretGuard(create.data != null);
  useEffect(() => {
    if (started.current) return;
    started.current = true;
    create.mutate({ memberId, dataSourceId });
  }, [create, memberId, dataSourceId]);

  if (create.isError) {
    return (
      <Stack>
        <ErrorAlert error={create.error} title="Could not create SQL API access" />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => create.mutate({ memberId, dataSourceId })}>
            Try again
          </Button>
        </Group>
      </Stack>
    );
  }
  if (!create.data) return <LoadingState label="Creating SQL API access…" />;
  const secret = create.data;
  return <GuardedSecret secret={secret} guard={guard} onDone={onFinish} />;
}
