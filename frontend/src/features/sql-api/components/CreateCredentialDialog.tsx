import { Button, Group, Stack } from '@mantine/core';
import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/States';
import { UserErrorException } from '@/lib/graphql';
import type { TeamCredentials } from '../api/sql-credentials';
import { useCreateSqlCredential } from '../api/create-sql-credential';
import { notifySuccess } from '@/lib/notify';
import { GuardedSecret } from './GuardedSecret';
import { MemberAndSourceFields } from './MemberAndSourceFields';
import { Dialog } from '@/components/ui/Dialog';
import { LOSE_SECRET_TITLE, useSecretGuard } from './SecretGuard';

type Props = {
  opened: boolean;
  onClose: () => void;
  team: TeamCredentials;
  defaultMemberId: string | null;
  onlyMemberId?: string | null;
};

/** "Create Now": pick a member and a data source, then show the new secret once. */
export function CreateCredentialDialog({ opened, onClose, team, defaultMemberId, onlyMemberId = null }: Props) {
  const create = useCreateSqlCredential();
  const [memberId, setMemberId] = useState<string | null>(defaultMemberId);
  const [dataSourceId, setDataSourceId] = useState<string | null>(team.dataSources[0]?.id ?? null);
  const close = () => {
    create.reset();
    onClose();
  };
  const fieldError = create.error instanceof UserErrorException ? create.error : null;
  const secret = create.data;
  const guard = useSecretGuard(secret != null);
  const title = guard.confirming ? LOSE_SECRET_TITLE : secret ? 'SQL API access' : 'Create SQL API credentials';

  return (
    <Dialog opened={opened} onClose={() => guard.requestClose(close)} title={title} size="lg" centered>
      {secret ? (
        <GuardedSecret secret={secret} guard={guard} onDone={close} />
      ) : (
        <form
          noValidate
          aria-label="Create SQL API credentials"
          onSubmit={(e) => {
            e.preventDefault();
            if (memberId && dataSourceId) {
              create.mutate({ memberId, dataSourceId }, { onSuccess: () => notifySuccess('Credentials created') });
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
            {!fieldError?.field && <ErrorAlert error={create.error} title="Could not create the credentials" />}
            <Group justify="flex-end">
              <Button variant="default" onClick={close}>
                Cancel
              </Button>
              <Button type="submit" loading={create.isPending} disabled={!memberId || !dataSourceId}>
                Create
              </Button>
            </Group>
          </Stack>
        </form>
      )}
    </Dialog>
  );
}
