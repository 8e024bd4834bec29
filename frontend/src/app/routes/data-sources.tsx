import { Button, Group, Stack, Text, Title } from '@mantine/core';
import { IconPlus } from '@tabler/icons-react';
import { useState } from 'react';
import { useNavigate } from 'react-router-dom';
import { useDataSources } from '@/features/data-sources/api/data-sources';
import type { DependentCredential } from '@/features/data-sources/components/DataSourceList';
import { useSqlCredentials } from '@/features/sql-api/api/sql-credentials';
import { DataSourceForm } from '@/features/data-sources/components/DataSourceForm';
import { DataSourceList } from '@/features/data-sources/components/DataSourceList';
import { useCurrentTeam } from '../providers/current-team';
import { Dialog } from '@/components/ui/Dialog';
import { notifySuccess } from '@/lib/notify';

export function DataSourcesRoute() {
  const { team, teamPath } = useCurrentTeam();
  const navigate = useNavigate();
  const dataSources = useDataSources(team.id);
  const [editing, setEditing] = useState<string | 'new' | null>(null);
  const canManage = team.role !== 'MEMBER';
  const credentials = useSqlCredentials(team.id);
  const bySource: Record<string, DependentCredential[]> = {};
  for (const c of credentials.data?.sqlCredentials ?? []) {
    (bySource[c.dataSource.id] ??= []).push({
      id: c.id,
      username: c.username,
      memberName: c.member.user.displayName || c.member.user.email,
      openSessions: c.openSessions,
    });
  }
  const existing = editing && editing !== 'new' ? dataSources.data?.find((d) => d.id === editing) : undefined;

  return (
    <Stack>
      <Group justify="space-between" align="flex-end">
        <div>
          <Title order={2}>Data sources</Title>
          <Text size="sm" c="dimmed">
            The databases your models describe. Secrets are encrypted and never shown again.
          </Text>
        </div>
        {canManage && (
          <Button leftSection={<IconPlus size={16} />} onClick={() => setEditing('new')}>
            Add data source
          </Button>
        )}
      </Group>
      <DataSourceList
        teamId={team.id}
        canManage={canManage}
        credentials={bySource}
        onEdit={setEditing}
        onOpenModels={(id) => navigate(teamPath(`/models/${id}`))}
      />
      <Dialog
        opened={editing != null}
        onClose={() => setEditing(null)}
        title={existing ? `Edit ${existing.name}` : 'Add data source'}
        size="lg"
        centered
      >
        {editing != null && (
          <DataSourceForm
            teamId={team.id}
            existing={existing}
            onSaved={(saved) => {
              setEditing(null);
              notifySuccess(existing ? 'Data source saved' : 'Data source added', saved.name);
            }}
          />
        )}
      </Dialog>
    </Stack>
  );
}
