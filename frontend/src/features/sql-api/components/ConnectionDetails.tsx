import { Alert, Button, Menu, SegmentedControl, SimpleGrid, Stack, Tabs, Text } from '@mantine/core';
import { IconChevronDown, IconDownload, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { CopyCode, CopyField } from '@/components/ui/CopyField';
import type { SqlCredentialFieldsFragment } from '@/gql/graphql';
import { type CredentialsFormat, downloadCredentials } from '@/lib/download';
import { buildSnippets, type Protocol } from '../utils/snippets';

type ConnectionDetailsProps = {
  credential: Pick<SqlCredentialFieldsFragment, 'id' | 'connection' | 'downloadPath'>;
  /** Known only right after create or rotate; never fetched again. */
  password?: string | null;
  downloadToken?: string | null;
};

const PROTOCOLS = [
  { value: 'postgres', label: 'PSQL' },
  { value: 'mysql', label: 'MYSQL' },
];

/** Host, port, database, login and (once) password per protocol, with snippets per tool. */
export function ConnectionDetails({ credential, password = null, downloadToken = null }: ConnectionDetailsProps) {
  const [protocol, setProtocol] = useState<Protocol>('postgres');
  // The server honours a download token once: later downloads come without the password.
  const [tokenUsed, setTokenUsed] = useState(false);
  const download = (format: CredentialsFormat) => {
    downloadCredentials(credential.downloadPath, { format, protocol, token: tokenUsed ? null : downloadToken });
    if (downloadToken) setTokenUsed(true);
  };
  const info = credential.connection[protocol];
  const snippets = buildSnippets(protocol, info, password);

  return (
    <Stack gap="sm">
      <SegmentedControl
        aria-label="Connection protocol"
        data={PROTOCOLS}
        value={protocol}
        onChange={(v) => setProtocol(v as Protocol)}
      />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
        <CopyField label="Host" value={info.host} />
        <CopyField label="Port" value={String(info.port)} />
        <CopyField label="Database" value={info.database} />
        <CopyField label="Login" value={info.username} />
      </SimpleGrid>
      {password ? (
        <>
          <CopyField label="Password" value={password} secret />
          <Alert color="yellow" icon={<IconInfoCircle size={16} />} p="xs">
            <Text size="sm">This password is shown only now. Copy it or download the credentials before closing.</Text>
          </Alert>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          The password was shown once when the credential was created. Rotate it to get a new one.
        </Text>
      )}
      <CopyCode label={protocol === 'postgres' ? 'PSQL client connection' : 'MySQL client connection'} code={info.command} />
      <Menu position="bottom-start">
        <Menu.Target>
          <Button variant="light" leftSection={<IconDownload size={16} />} rightSection={<IconChevronDown size={14} />} w="fit-content">
            Download Credentials
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => download('json')}>credentials.json</Menu.Item>
          <Menu.Item onClick={() => download('env')}>.env</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {downloadToken && tokenUsed && (
        <Text size="xs" c="dimmed">
          Your first download carried the password; later downloads leave it out.
        </Text>
      )}
      <Text size="sm" fw={600} mt="xs">
        Connect from your tools
      </Text>
      <Tabs defaultValue={snippets[0]!.id} keepMounted={false}>
        <Tabs.List style={{ flexWrap: 'wrap' }}>
          {snippets.map((s) => (
            <Tabs.Tab key={s.id} value={s.id}>
              {s.label}
            </Tabs.Tab>
          ))}
        </Tabs.List>
        {snippets.map((s) => (
          <Tabs.Panel key={s.id} value={s.id} pt="sm">
            {s.kind === 'code' ? (
              <CopyCode label={`${s.label} snippet`} code={s.code} />
            ) : (
              <Stack gap="xs">
                {s.note && (
                  <Text size="sm" c="dimmed">
                    {s.note}
                  </Text>
                )}
                <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
                  {s.fields.map((f) => (
                    <CopyField key={f.label} label={`${s.label}: ${f.label}`} value={f.value} secret={f.secret} />
                  ))}
                </SimpleGrid>
              </Stack>
            )}
          </Tabs.Panel>
        ))}
      </Tabs>
    </Stack>
  );
}
