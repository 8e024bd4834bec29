import { Alert, Button, Divider, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/States';
import type { SqlCredentialFieldsFragment } from '@/gql/graphql';
import { UserErrorException } from '@/lib/graphql';
import { notifySuccess } from '@/lib/notify';
import type { TeamCredentials } from '../api/sql-credentials';
import { useUpdateSqlCredential } from '../api/update-sql-credential';
import { ConnectionDetails } from './ConnectionDetails';
import { MemberAndSourceFields } from './MemberAndSourceFields';
import { Dialog } from '@/components/ui/Dialog';

type Props = {
  credential: SqlCredentialFieldsFragment;
  team: TeamCredentials;
  onClose: () => void;
  onlyMemberId?: string | null;
};

/** Moves a credential to another member or data source; shows its connection details, never a password. */
export function EditCredentialDialog({ credential, team, onClose, onlyMemberId = null }: Props) {
  const update = useUpdateSqlCredential();
  const [memberId, setMemberId] = useState<string | null>(credential.member.id);
  const [dataSourceId, setDataSourceId] = useState<string | null>(credential.dataSource.id);
  const changed = memberId !== credential.member.id || dataSourceId !== credential.dataSource.id;
  const fieldError = update.error instanceof UserErrorException ? update.error : null;

  return (
    <Dialog opened onClose={onClose} title={`Edit ${credential.username}`} size="lg" centered>
      <form
        noValidate
        aria-label="Edit SQL API credentials"
        onSubmit={(e) => {
          e.preventDefault();
          if (!changed) return onClose();
          if (memberId && dataSourceId) {
            update.mutate(
              { id: credential.id, memberId, dataSourceId },
              {
                onSuccess: () => {
                  onClose();
                  notifySuccess('Credentials saved', `${credential.username} was updated.`);
                },
              },
            );
          }
        }}
      >
        <Stack>
          <MemberAndSourceFields
            team={team}
            memberId={memberId}
            dataSourceId={dataSourceId}
            onMemberChange={setMemberId}
            onDataSourceChange={setDataSourceId}
            errors={fieldError?.field ? { [fieldError.field]: fieldError.message } : undefined}
            onlyMemberId={onlyMemberId}
          />
          {memberId !== credential.member.id && (
            <Alert color="yellow" title="The password will be reset">
              The current password stops working when the credentials move to another member. Use
              Rotate password afterwards to get a new one for them.
            </Alert>
          )}
          {!fieldError?.field && <ErrorAlert error={update.error} title="Could not save the credentials" />}
          <Divider label="Connection" labelPosition="left" />
          <ConnectionDetails credential={credential} />
          <Group justify="flex-end">
            <Button variant="default" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" loading={update.isPending} disabled={!memberId || !dataSourceId}>
              Finish
            </Button>
          </Group>
        </Stack>
      </form>
    </Dialog>
  );
}
