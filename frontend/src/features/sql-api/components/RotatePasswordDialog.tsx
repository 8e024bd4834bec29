import { Button, Group, Stack, Text } from '@mantine/core';
import { ErrorAlert } from '@/components/ui/States';
import type { SqlCredentialFieldsFragment } from '@/gql/graphql';
import { useRotateSqlCredentialPassword } from '../api/rotate-sql-credential-password';
import { ConnectionDetails } from './ConnectionDetails';
import { Dialog } from '@/components/ui/Dialog';

/** Confirms, rotates, then shows the new password once; the old one stops working at once. */
export function RotatePasswordDialog({ credential, onClose }: { credential: SqlCredentialFieldsFragment; onClose: () => void }) {
  const rotate = useRotateSqlCredentialPassword();
  const secret = rotate.data;
  return (
    <Dialog opened onClose={onClose} title={secret ? 'New password' : 'Rotate password'} size="lg" centered>
      {secret ? (
        <Stack>
          <ConnectionDetails credential={secret.credential} password={secret.password} downloadToken={secret.downloadToken} />
          <Group justify="flex-end">
            <Button onClick={onClose}>Finish</Button>
          </Group>
        </Stack>
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
            <Button color="red" loading={rotate.isPending} onClick={() => rotate.mutate(credential.id)}>
              Rotate password
            </Button>
          </Group>
        </Stack>
      )}
    </Dialog>
  );
}
