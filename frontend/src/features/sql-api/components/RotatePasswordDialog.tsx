import { Button, Group, Stack, Text } from '@mantine/core';
import { Dialog } from '@/components/ui/Dialog';
import { ErrorAlert } from '@/components/ui/States';
import type { SqlCredentialFieldsFragment } from '@/gql/graphql';
import { notifySuccess } from '@/lib/notify';
import { useRotateSqlCredentialPassword } from '../api/rotate-sql-credential-password';
import { GuardedSecret } from './GuardedSecret';
import { LOSE_SECRET_TITLE, useSecretGuard } from './SecretGuard';

/** Confirms, rotates, then shows the new password once; the old one stops working at once. */
export function RotatePasswordDialog({ credential, onClose }: { credential: SqlCredentialFieldsFragment; onClose: () => void }) {
  const rotate = useRotateSqlCredentialPassword();
  const secret = rotate.data;
  const guard = useSecretGuard(secret != null);
  const title = guard.confirming ? LOSE_SECRET_TITLE : secret ? 'New password' : 'Rotate password';
  return (
    <Dialog opened onClose={() => guard.requestClose(onClose)} title={title} size="lg" centered>
      {secret ? (
        <GuardedSecret secret={secret} guard={guard} onDone={onClose} />
      ) : (
        <Stack>
          <Text size="sm">
            Rotate the password of <b>{credential.username}</b>? The current password stops working immediately and
            open sessions using it are closed.
          </Text>
          <ErrorAlert error={rotate.error} title="Could not rotate the password" />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button
              color="red"
              loading={rotate.isPending}
              onClick={() =>
                rotate.mutate(credential.id, {
                  onSuccess: () => notifySuccess('Password rotated', `The old password of ${credential.username} no longer works.`),
                })
              }
            >
              Rotate password
            </Button>
          </Group>
        </Stack>
      )}
    </Dialog>
  );
}
