import { ActionIcon, Badge, Card, Group, Menu, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconDatabase, IconDotsVertical } from '@tabler/icons-react';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { EmptyState, ErrorAlert, LoadingState } from '@/components/ui/States';
import { formatDateTime } from '@/lib/format';
import { notifySuccess } from '@/lib/notify';
import { useDataSources } from '../api/data-sources';
import { useDeleteDataSource } from '../api/delete-data-source';
import { DATA_SOURCE_TYPES } from './DataSourceForm';

type DataSourceListProps = {
  teamId: string;
  onEdit: (id: string) => void;
  onOpenModels: (id: string) => void;
  canManage: boolean;
};

function describe(params: Record<string, unknown>): string {
  if (typeof params.path === 'string') return params.path;
  const host = typeof params.host === 'string' ? params.host : '';
  const port = params.port != null ? `:${String(params.port)}` : '';
  const db = typeof params.database === 'string' ? `/${params.database}` : '';
  return `${host}${port}${db}` || 'Built-in';
}

export function DataSourceList({ teamId, onEdit, onOpenModels, canManage }: DataSourceListProps) {
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
            <Stack gap={4} mt="sm">
              <Badge variant="light">{DATA_SOURCE_TYPES.find((t) => t.value === ds.type)?.label ?? ds.type}</Badge>
              <Text size="sm" c="dimmed" style={{ wordBreak: 'break-all' }}>
                {describe(ds.params)}
              </Text>
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
        Delete <b>{deleting?.name}</b>? Its models go with it, and every SQL API credential bound to it stops working.
      </ConfirmDialog>
    </>
  );
}
