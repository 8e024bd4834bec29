import { Alert, Button, Group, Menu, SegmentedControl, Select, SimpleGrid, Stack, Text } from '@mantine/core';
import { IconChevronDown, IconDownload, IconEye, IconEyeOff, IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { CopyCode, CopyField } from '@/components/ui/CopyField';
import { ErrorAlert } from '@/components/ui/States';
import type { SqlCredentialFieldsFragment } from '@/gql/graphql';
import { type CredentialsFormat, downloadCredentials } from '@/lib/download';
import { buildSnippets, type FormatId, PASSWORD_MASK, PASSWORD_PLACEHOLDER, type Protocol, type Snippet } from '../utils/snippets';

type ConnectionDetailsProps = {
  credential: Pick<SqlCredentialFieldsFragment, 'id' | 'connection' | 'downloadPath'>;
  /** Known only right after create or rotate; never fetched again. */
  password?: string | null;
  downloadToken?: string | null;
  /** Called when the password left the page: copied, or downloaded in a file. */
  onPasswordKept?: () => void;
};

const PROTOCOLS = [
  { value: 'postgres', label: 'PSQL' },
  { value: 'mysql', label: 'MYSQL' },
];

function formatMenu(snippets: Snippet[]) {
  const groups = new Map<string, { value: string; label: string }[]>();
  for (const s of snippets) groups.set(s.group, [...(groups.get(s.group) ?? []), { value: s.id, label: s.label }]);
  return [...groups].map(([group, items]) => ({ group, items }));
}

/**
 * The Connect panel: host, port, database, login and (once) the password per protocol, and one
 * connection string in the format the user picks. A known password is masked everywhere —
 * field and every snippet — until the one reveal control shows it; copy buttons always copy
 * the full text with the real password.
 */
export function ConnectionDetails({ credential, password = null, downloadToken = null, onPasswordKept }: ConnectionDetailsProps) {
  const [protocol, setProtocol] = useState<Protocol>('postgres');
  const [format, setFormat] = useState<FormatId>('cli');
  const [revealed, setRevealed] = useState(false);
  const [downloadError, setDownloadError] = useState<unknown>(null);
  const [downloaded, setDownloaded] = useState<string | null>(null);
  const info = credential.connection[protocol];
  const copies = buildSnippets(protocol, info, password ?? PASSWORD_PLACEHOLDER);
  const shown = buildSnippets(protocol, info, password == null ? PASSWORD_PLACEHOLDER : revealed ? password : PASSWORD_MASK);
  // Same ids in both protocol sets; the fallback only guards against a format being dropped.
  const index = Math.max(0, copies.findIndex((s) => s.id === format));
  const copy = copies[index]!;
  const show = shown[index]!;
  const kept = (text: string) => () => {
    if (password && text.includes(password)) onPasswordKept?.();
  };

  const download = async (fileFormat: CredentialsFormat) => {
    setDownloadError(null);
    try {
      await downloadCredentials(credential.downloadPath, { format: fileFormat, protocol, token: downloadToken });
      const name = fileFormat === 'json' ? 'credentials.json' : 'credentials.env';
      if (downloadToken) {
        setDownloaded(`${name} was downloaded with the password.`);
        onPasswordKept?.();
      }
    } catch (error) {
      setDownloadError(error);
    }
  };

  return (
    <Stack gap="sm">
      <SegmentedControl aria-label="Connection protocol" data={PROTOCOLS} value={protocol} onChange={(v) => setProtocol(v as Protocol)} />
      <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
        <CopyField label="Host" value={info.host} />
        <CopyField label="Port" value={String(info.port)} />
        <CopyField label="Database" value={info.database} />
        <CopyField label="Login" value={info.username} />
      </SimpleGrid>
      {password ? (
        <>
          <Group align="flex-end" gap="xs" wrap="nowrap">
            <div style={{ flex: 1, minWidth: 0 }}>
              <CopyField label="Password" value={password} display={revealed ? password : PASSWORD_MASK} onCopy={kept(password)} />
            </div>
            <Button
              variant="default"
              aria-pressed={revealed}
              leftSection={revealed ? <IconEyeOff size={16} /> : <IconEye size={16} />}
              onClick={() => setRevealed((r) => !r)}
            >
              {revealed ? 'Hide password' : 'Show password'}
            </Button>
          </Group>
          <Alert color="yellow" icon={<IconInfoCircle size={16} />} p="xs">
            <Text size="sm">
              This password is shown only now, masked everywhere on this page until you show it. Copy it or download the
              credentials before closing.
            </Text>
          </Alert>
        </>
      ) : (
        <Text size="sm" c="dimmed">
          The password was shown once when the credential was created. Rotate it to get a new one.
        </Text>
      )}
      <Select
        label="Connect with"
        description={`A connection string or the fields of your tool; TLS is on in each.`}
        data={formatMenu(copies)}
        value={copy.id}
        allowDeselect={false}
        onChange={(v) => v && setFormat(v as FormatId)}
        maw={360}
        comboboxProps={{ withinPortal: true }}
      />
      {copy.kind === 'code' && show.kind === 'code' ? (
        <Stack gap={4}>
          {copy.note && (
            <Text size="sm" c="dimmed">
              {copy.note}
            </Text>
          )}
          <CopyCode
            label={copy.id === 'cli' ? (protocol === 'postgres' ? 'PSQL client connection' : 'MySQL client connection') : `${copy.label} connection`}
            code={copy.code}
            display={show.code}
            onCopy={kept(copy.code)}
          />
        </Stack>
      ) : copy.kind === 'fields' && show.kind === 'fields' ? (
        <Stack gap="xs">
          {copy.note && (
            <Text size="sm" c="dimmed">
              {copy.note}
            </Text>
          )}
          <SimpleGrid cols={{ base: 1, sm: 2 }} spacing="sm" verticalSpacing="xs">
            {copy.fields.map((f, i) => (
              <CopyField key={f.label} label={`${copy.label}: ${f.label}`} value={f.value} display={show.fields[i]!.value} onCopy={kept(f.value)} />
            ))}
          </SimpleGrid>
        </Stack>
      ) : null}
      <Menu position="bottom-start">
        <Menu.Target>
          <Button variant="light" leftSection={<IconDownload size={16} />} rightSection={<IconChevronDown size={14} />} w="fit-content">
            Download Credentials
          </Button>
        </Menu.Target>
        <Menu.Dropdown>
          <Menu.Item onClick={() => void download('json')}>credentials.json</Menu.Item>
          <Menu.Item onClick={() => void download('env')}>.env</Menu.Item>
        </Menu.Dropdown>
      </Menu>
      {downloaded && !downloadError && (
        <Text size="xs" c="dimmed" role="status">
          {downloaded}
        </Text>
      )}
      <ErrorAlert error={downloadError} title="Could not download the credentials" />
    </Stack>
  );
}
