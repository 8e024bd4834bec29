import { ActionIcon, Anchor, Badge, Card, Group, List, Menu, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconDatabase, IconDotsVertical } from '@tabler/icons-react';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { EmptyState, ErrorAlert, LoadingState } from '@/components/ui/States';
import { formatDateTime } from '@/lib/format';
import { notifySuccess } from '@/lib/notify';
import { useDataSources } from '../api/data-sources';
import { useDeleteDataSource } from '../api/delete-data-source';
import { DATA_SOURCE_TYPES } from './DataSourceForm';
import { DataSourceHealth } from './DataSourceHealth';

/** What depends on a data source (from the SQL API feature, composed by the route). */
export type DependentCredential = { id: string; username: string; memberName: string; openSessions: number };

type DataSourceListProps = {
  teamId: string;
  onEdit: (id: string) => void;
  onOpenModels: (id: string) => void;
  canManage: boolean;
  /** Credentials per data source id, as far as the viewer may see them. */
  credentials?: Record<string, DependentCredential[]>;
};

function describe(params: Record<string, unknown>): string {
  if (typeof params.path === 'string') return params.path;
  const host = typeof params.host === 'string' ? params.host : '';
  const port = params.port != null ? `:${String(params.port)}` : '';
  const db = typeof params.database === 'string' ? `/${params.database}` : '';
  return `${host}${port}${db}` || 'Built-in';
}

const plural = (n: number, one: string, many = `${one}s`) => `${n} ${n === 1 ? one : many}`;

export function DataSourceList({ teamId, onEdit, onOpenModels, canManage, credentials = {} }: DataSourceListProps) {
  const dataSources = useDataSources(teamId);
  const remove = useDeleteDataSource();
  const [deleting, setDeleting] = useState<{ id: string; name: string } | null>(null);

  if (dataSources.isPending) return <LoadingState label="Loading data sources…" />;
  if (dataSources.isError) return <ErrorAlert error={dataSources.error} title="Could not load data sources" />;
  if (dataSources.data.length === 0) {
    return <EmptyState title="No data sources yet">Add one to start describing it as models.</EmptyState>;
  }
  return (
    <>
      <SimpleGrid cols={{ base: 1, sm: 2, lg: 3 }}>
        {dataSources.data.map((ds) => (
          <Card key={ds.id} withBorder padding="md" component="article" aria-label={`Data source ${ds.name}`}>
            <Group justify="space-between" wrap="nowrap" align="flex-start">
              <Group gap="xs" wrap="nowrap">
                <IconDatabase size={18} aria-hidden />
                <Text fw={600}>{ds.name}</Text>
              </Group>
              <Menu position="bottom-end" withinPortal>
                <Menu.Target>
                  <ActionIcon variant="subtle" color="gray" aria-label={`Actions for ${ds.name}`}>
                    <IconDotsVertical size={16} />
                  </ActionIcon>
                </Menu.Target>
                <Menu.Dropdown>
                  <Menu.Item onClick={() => onOpenModels(ds.id)}>Models</Menu.Item>
                  {canManage && <Menu.Item onClick={() => onEdit(ds.id)}>Edit</Menu.Item>}
                  {canManage && (
                    <Menu.Item color="red" onClick={() => setDeleting({ id: ds.id, name: ds.name })}>
                      Delete
                    </Menu.Item>
                  )}
                </Menu.Dropdown>
              </Menu>
            </Group>
            <Stack gap={6} mt="sm">
              <Badge variant="light">{DATA_SOURCE_TYPES.find((t) => t.value === ds.type)?.label ?? ds.type}</Badge>
              <Text size="sm" c="dimmed" style={{ wordBreak: 'break-all' }}>
                {describe(ds.params)}
              </Text>
              <Text size="sm">
                {ds.models ? (
                  <Anchor
                    component="button"
                    type="button"
                    size="sm"
                    onClick={() => onOpenModels(ds.id)}
                    aria-label={`Models of ${ds.name}: version ${ds.models.number}, ${plural(ds.models.cubes.length, 'cube')}`}
                  >
                    Models v{ds.models.number} · {plural(ds.models.cubes.length, 'cube')}
                  </Anchor>
                ) : (
                  'No models yet'
                )}
                {' · '}
                {plural((credentials[ds.id] ?? []).length, 'credential')}
              </Text>
              <DataSourceHealth dataSourceId={ds.id} name={ds.name} />
              <Text size="xs" c="dimmed">
                Added {formatDateTime(ds.createdAt)}
              </Text>
            </Stack>
          </Card>
        ))}
      </SimpleGrid>
      <ConfirmDialog
        opened={deleting != null}
        title="Delete data source"
        confirmLabel="Delete"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => {
          setDeleting(null);
          remove.reset();
        }}
        onConfirm={() =>
          deleting &&
          remove.mutate(deleting.id, {
            onSuccess: () => {
              setDeleting(null);
              notifySuccess('Data source deleted', `${deleting.name} and its credentials are gone.`);
            },
          })
        }
      >
        {deleting && <DeleteImpact name={deleting.name} credentials={credentials[deleting.id] ?? []} />}
      </ConfirmDialog>
    </>
  );
}

/** What stops working when a data source goes: said before, by name. */
function DeleteImpact({ name, credentials }: { name: string; credentials: DependentCredential[] }) {
  const members = [...new Set(credentials.map((c) => c.memberName))];
  const sessions = credentials.reduce((n, c) => n + c.openSessions, 0);
  return (
    <Stack gap="xs">
      <Text size="sm">
        Delete <b>{name}</b>? Its models go with it.
      </Text>
      {credentials.length === 0 ? (
        <Text size="sm">No SQL API credential uses it.</Text>
      ) : (
        <>
          <Text size="sm">What stops working:</Text>
          <List size="sm" spacing={2} aria-label="What stops working">
            {credentials.map((c) => (
              <List.Item key={c.id}>
                credential <b>{c.username}</b> of {c.memberName}
                {c.openSessions > 0 && ` (${plural(c.openSessions, 'open session')})`}
              </List.Item>
            ))}
          </List>
          <Text size="sm">
            {plural(members.length, 'member')} lose SQL access to it ({members.join(', ')}); {plural(sessions, 'open session')}{' '}
            {sessions === 1 ? 'is' : 'are'} closed.
          </Text>
        </>
      )}
    </Stack>
  );
}
