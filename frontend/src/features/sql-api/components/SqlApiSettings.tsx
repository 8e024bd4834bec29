import { Button, Card, Group, SimpleGrid, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { EmptyState, ErrorAlert, LoadingState } from '@/components/ui/States';
import type { SqlCredentialFieldsFragment, TeamRole } from '@/gql/graphql';
import { notifySuccess } from '@/lib/notify';
import { useDeleteSqlCredential } from '../api/delete-sql-credential';
import { useSqlCredentials } from '../api/sql-credentials';
import { type CredentialAction, CredentialCard } from './CredentialCard';
import { memberLabel } from './MemberAndSourceFields';
import { CreateCredentialDialog } from './CreateCredentialDialog';
import { EditCredentialDialog } from './EditCredentialDialog';
import { QueryConsole } from './QueryConsole';
import { RotatePasswordDialog } from './RotatePasswordDialog';

type Open = { action: CredentialAction; credential: SqlCredentialFieldsFragment } | null;

/** Settings > SQL API: the team's credentials as cards, each with a gear menu, and "Create Now". */
type SqlApiSettingsProps = { teamId: string; teamName?: string; viewerId: string; viewerRole: TeamRole };

export function SqlApiSettings({ teamId, teamName = 'this team', viewerId, viewerRole }: SqlApiSettingsProps) {
  const query = useSqlCredentials(teamId);
  const remove = useDeleteSqlCredential();
  const [creating, setCreating] = useState(false);
  const [open, setOpen] = useState<Open>(null);
  const close = () => {
    setOpen(null);
    remove.reset();
  };

  const header = (
    <Group justify="space-between" align="flex-end">
      <div>
        <Title order={2}>SQL API</Title>
        <Text size="sm" c="dimmed">
          Credentials for PostgreSQL and MySQL clients. Each one queries one data source with its member&apos;s access.
        </Text>
      </div>
      <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)} disabled={!query.data}>
        Create Now
      </Button>
    </Group>
  );

  if (query.isPending) return <Stack>{header}<LoadingState label="Loading credentials…" /></Stack>;
  if (query.isError || !query.data) {
    return <Stack>{header}<ErrorAlert error={query.error} title="Could not load the credentials" /></Stack>;
  }
  const team = query.data;
  const viewerMember = team.members.find((m) => m.user.id === viewerId);
  // The server enforces it; the form just does not offer what would be refused.
  const onlyMemberId = viewerRole === 'MEMBER' ? (viewerMember?.id ?? null) : null;
  const mine = team.sqlCredentials.filter((c) => c.member.user.id === viewerId);

  return (
    <Stack>
      {header}
      {viewerRole === 'MEMBER' && mine.length === 0 ? (
        // An invited member's path: their own credential in this team, nothing of the owner's setup.
        <Card withBorder padding="lg" component="section" aria-label="Your SQL access">
          <Stack gap="xs">
            <Text fw={600}>Get your SQL credential for {teamName}</Text>
            {team.dataSources.length === 0 ? (
              <Text size="sm" c="dimmed">
                {teamName} has no data sources yet. An owner or admin adds them; then you can create your credential here.
              </Text>
            ) : (
              <>
                <Text size="sm" c="dimmed">
                  Your own login for psql, mysql, BI tools and notebooks, with your access in {teamName}. Its password is
                  shown once.
                </Text>
                <Group>
                  <Button leftSection={<IconPlus size={16} />} onClick={() => setCreating(true)}>
                    Create my credential
                  </Button>
                </Group>
              </>
            )}
          </Stack>
        </Card>
      ) : team.sqlCredentials.length === 0 ? (
        <EmptyState title="No SQL API credentials yet">
          <Text size="sm" c="dimmed">
            {team.dataSources.length === 0
              ? 'Add a data source first, then create credentials for it.'
              : 'Create credentials to connect psql, mysql, BI tools and notebooks.'}
          </Text>
        </EmptyState>
      ) : (
        <SimpleGrid cols={{ base: 1, sm: 2, xl: 3 }}>
          {team.sqlCredentials.map((c) => (
            <CredentialCard key={c.id} credential={c} onAction={(action) => setOpen({ action, credential: c })} />
          ))}
        </SimpleGrid>
      )}
      <QueryConsole teamId={teamId} credentials={mine} dataSources={team.dataSources} />
      {creating && (
        <CreateCredentialDialog
          opened
          team={team}
          defaultMemberId={viewerMember?.id ?? null}
          onlyMemberId={onlyMemberId}
          onClose={() => setCreating(false)}
        />
      )}
      {open?.action === 'edit' && <EditCredentialDialog credential={open.credential} team={team} onlyMemberId={onlyMemberId} onClose={close} />}
      {open?.action === 'rotate' && <RotatePasswordDialog credential={open.credential} onClose={close} />}
      <ConfirmDialog
        opened={open?.action === 'delete'}
        title="Delete SQL API credentials"
        confirmLabel="Delete"
        loading={remove.isPending}
        error={remove.error}
        onClose={close}
        onConfirm={() => {
          if (!open) return;
          const { username } = open.credential;
          remove.mutate(open.credential.id, {
            onSuccess: () => {
              close();
              notifySuccess('Credentials deleted', `${username} can no longer log in.`);
            },
          });
        }}
      >
        <Text size="sm">
          Delete the credential for <b>{open?.credential.dataSource.name}</b> (login <b>{open?.credential.username}</b>)?
        </Text>
        <Text size="sm" mt="xs">
          What stops working:
        </Text>
        <ul>
          <li>
            <Text size="sm">logins as {open?.credential.username}, held by {open ? memberLabel(open.credential.member) : ''};</Text>
          </li>
          <li>
            <Text size="sm">
              {open?.credential.openSessions ?? 0} open {open?.credential.openSessions === 1 ? 'session' : 'sessions'}, closed now.
            </Text>
          </li>
        </ul>
      </ConfirmDialog>
    </Stack>
  );
}
