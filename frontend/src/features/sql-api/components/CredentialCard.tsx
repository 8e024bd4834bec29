import { ActionIcon, Badge, Card, Group, Menu, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconKey, IconPencil, IconRefresh, IconSettings, IconTrash } from '@tabler/icons-react';
import type { SqlCredentialFieldsFragment } from '@/gql/graphql';
import { formatDateTime } from '@/lib/format';
import { memberLabel } from './MemberAndSourceFields';

export type CredentialAction = 'edit' | 'rotate' | 'delete';

function Detail({ label, value }: { label: string; value: string }) {
  return (
    <div>
      <Text size="xs" c="dimmed">
        {label}
      </Text>
      <Text size="sm" style={{ wordBreak: 'break-word' }}>
        {value}
      </Text>
    </div>
  );
}

export function CredentialCard({
  credential,
  onAction,
}: {
  credential: SqlCredentialFieldsFragment;
  onAction: (action: CredentialAction) => void;
}) {
  const { username } = credential;
  return (
    <Card withBorder padding="md" component="article" aria-label={`SQL credential ${username}`}>
      <Group justify="space-between" wrap="nowrap" align="flex-start">
        {/* The seed's "database card": titled by what it connects to; the login is secondary. */}
        <Group gap="xs" wrap="nowrap" align="flex-start">
          <IconKey size={18} aria-hidden style={{ marginTop: 3 }} />
          <div>
            <Text fw={600} component="h3" size="md" m={0}>
              {credential.dataSource.name}
            </Text>
            <Text size="xs" c="dimmed">
              Login <Text span ff="monospace" size="xs">{username}</Text>
            </Text>
          </div>
        </Group>
        <Menu position="bottom-end" withinPortal>
          <Menu.Target>
            <ActionIcon variant="subtle" color="gray" aria-label={`Settings for ${username}`}>
              <IconSettings size={18} />
            </ActionIcon>
          </Menu.Target>
          <Menu.Dropdown>
            <Menu.Item leftSection={<IconPencil size={14} />} onClick={() => onAction('edit')}>
              Edit
            </Menu.Item>
            <Menu.Item leftSection={<IconRefresh size={14} />} onClick={() => onAction('rotate')}>
              Rotate password
            </Menu.Item>
            <Menu.Divider />
            <Menu.Item color="red" leftSection={<IconTrash size={14} />} onClick={() => onAction('delete')}>
              Delete
            </Menu.Item>
          </Menu.Dropdown>
        </Menu>
      </Group>
      <Stack gap="xs" mt="sm">
        <SimpleGrid cols={2} spacing="xs" verticalSpacing="xs">
          <Detail label="Member" value={memberLabel(credential.member)} />
          <Detail label="Type" value={credential.dataSource.type} />
          <Detail label="Created" value={formatDateTime(credential.createdAt)} />
          <Detail label="Last used" value={formatDateTime(credential.lastUsedAt)} />
          {credential.expiresAt && <Detail label="Expires" value={formatDateTime(credential.expiresAt)} />}
        </SimpleGrid>
        <Group gap="xs">
          <Badge variant="light" color={credential.openSessions > 0 ? 'teal' : 'gray'}>
            {credential.openSessions} open {credential.openSessions === 1 ? 'session' : 'sessions'}
          </Badge>
        </Group>
      </Stack>
    </Card>
  );
}
