import { Alert, Button, Checkbox, Group, NumberInput, PasswordInput, SegmentedControl, SimpleGrid, Stack, Text, TextInput } from '@mantine/core';
import { useForm } from '@mantine/form';
import { useMediaQuery } from '@mantine/hooks';
import { IconCircleCheck, IconCircleX } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/States';
import type { DataSourceType } from '@/gql/graphql';
import { UserErrorException } from '@/lib/graphql';
import { useCheckConnection } from '../api/check-connection';
import { useCreateDataSource } from '../api/create-data-source';
import { useUpdateDataSource } from '../api/update-data-source';

export const DATA_SOURCE_TYPES: { value: DataSourceType; label: string }[] = [
  { value: 'POSTGRES', label: 'PostgreSQL' },
  { value: 'MYSQL', label: 'MySQL / MariaDB' },
  { value: 'SQLITE', label: 'SQLite' },
  { value: 'DUCKDB', label: 'DuckDB' },
];

const DEFAULT_PORTS: Partial<Record<DataSourceType, number>> = { POSTGRES: 5432, MYSQL: 3306 };

export type SavedDataSource = { id: string; name: string; type: DataSourceType; models?: { id: string } | null };

type ExistingDataSource = SavedDataSource & { params: Record<string, unknown> };

type Values = {
  name: string;
  type: DataSourceType;
  host: string;
  port: number | string;
  database: string;
  user: string;
  password: string;
  ssl: boolean;
  path: string;
};

const isFileType = (type: DataSourceType) => type === 'SQLITE' || type === 'DUCKDB';

function initialValues(existing?: ExistingDataSource): Values {
  const p = existing?.params ?? {};
  const str = (key: string) => (typeof p[key] === 'string' ? (p[key] as string) : '');
  return {
    name: existing?.name ?? '',
    type: existing?.type ?? 'POSTGRES',
    host: str('host') || (existing ? '' : '127.0.0.1'),
    port: typeof p.port === 'number' ? p.port : (DEFAULT_PORTS[existing?.type ?? 'POSTGRES'] ?? ''),
    database: str('database'),
    user: str('user'),
    password: '',
    ssl: p.ssl === true,
    path: str('path'),
  };
}

/** Only the fields of the chosen type; an empty password on edit keeps the stored one. */
function toParams(values: Values): Record<string, unknown> {
  if (isFileType(values.type)) return { path: values.path.trim() };
  const params: Record<string, unknown> = {
    host: values.host.trim(),
    port: Number(values.port),
    database: values.database.trim(),
    user: values.user.trim(),
    ssl: values.ssl,
  };
  if (values.password) params.password = values.password;
  return params;
}

type DataSourceFormProps = {
  teamId: string;
  existing?: ExistingDataSource;
  submitLabel?: string;
  onSaved: (dataSource: SavedDataSource) => void;
};

/** Create or edit a data source; "Test connection" tries the settings as typed, before saving. */
export function DataSourceForm({ teamId, existing, submitLabel = 'Save', onSaved }: DataSourceFormProps) {
  const create = useCreateDataSource();
  const update = useUpdateDataSource();
  const check = useCheckConnection();
  const [saveError, setSaveError] = useState<unknown>(null);
  // Four type names do not fit side by side on a phone.
  const narrow = useMediaQuery('(max-width: 30em)');
  const form = useForm<Values>({
    initialValues: initialValues(existing),
    validate: {
      name: (v) => (v.trim() ? null : 'Give the data source a name'),
      host: (v, values) => (isFileType(values.type) || v.trim() ? null : 'Enter the host'),
      port: (v, values) => (isFileType(values.type) || Number(v) > 0 ? null : 'Enter the port'),
      database: (v, values) => (isFileType(values.type) || v.trim() ? null : 'Enter the database name'),
      path: (v, values) => (!isFileType(values.type) || v.trim() ? null : 'Enter the file path'),
    },
  });
  const type = form.values.type;

  async function save(values: Values): Promise<SavedDataSource | null> {
    setSaveError(null);
    try {
      if (existing) {
        return await update.mutateAsync({ id: existing.id, name: values.name.trim(), params: toParams(values) });
      }
      return await create.mutateAsync({ teamId, name: values.name.trim(), type: values.type, params: toParams(values) });
    } catch (error) {
      if (error instanceof UserErrorException && error.field && error.field in values) {
        form.setFieldError(error.field, error.message);
      } else {
        setSaveError(error);
      }
      return null;
    }
  }

  function testConnection() {
    if (form.validate().hasErrors) return;
    // For a saved source the server fills in the stored password when none was typed.
    check.mutate({
      teamId,
      type: form.values.type,
      params: toParams(form.values),
      ...(existing ? { dataSourceId: existing.id } : {}),
    });
  }

  const checkResult = check.data;
  return (
    <form
      noValidate
      aria-label={existing ? 'Edit data source' : 'New data source'}
      onSubmit={form.onSubmit(async (values) => {
        const saved = await save(values);
        if (saved) onSaved(saved);
      })}
    >
      <Stack>
        {!existing && (
          <div>
            <Text size="sm" fw={500} mb={4} id="ds-type-label">
              Database type
            </Text>
            <SegmentedControl
              aria-labelledby="ds-type-label"
              fullWidth
              orientation={narrow ? 'vertical' : 'horizontal'}
              data={DATA_SOURCE_TYPES}
              {...form.getInputProps('type')}
              onChange={(value) => {
                const next = value as DataSourceType;
                form.setFieldValue('type', next);
                if (DEFAULT_PORTS[next]) form.setFieldValue('port', DEFAULT_PORTS[next]!);
              }}
            />
          </div>
        )}
        <TextInput label="Name" required {...form.getInputProps('name')} />
        {isFileType(type) ? (
          <TextInput
            label="File path"
            description="A path on the server, readable by the metricsql process"
            required
            {...form.getInputProps('path')}
          />
        ) : (
          <>
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="Host" required {...form.getInputProps('host')} />
              <NumberInput label="Port" required min={1} max={65535} {...form.getInputProps('port')} />
            </SimpleGrid>
            <TextInput label="Database" required {...form.getInputProps('database')} />
            <SimpleGrid cols={{ base: 1, sm: 2 }}>
              <TextInput label="User" autoComplete="off" {...form.getInputProps('user')} />
              <PasswordInput
                label="Password"
                autoComplete="new-password"
                placeholder={existing ? 'Unchanged' : undefined}
                {...form.getInputProps('password')}
              />
            </SimpleGrid>
            <Checkbox label="Use SSL" {...form.getInputProps('ssl', { type: 'checkbox' })} />
          </>
        )}
        <ErrorAlert error={saveError} title="Could not save the data source" />
        <ErrorAlert error={check.error} title="Could not test the connection" />
        {checkResult && (
          <Alert
            role="status"
            color={checkResult.ok ? 'teal' : 'red'}
            icon={checkResult.ok ? <IconCircleCheck size={16} /> : <IconCircleX size={16} />}
            title={checkResult.ok ? 'Connection works' : 'Connection failed'}
          >
            {/* Only the server's detail, when it says more than the title. */}
            {checkResult.message.replace(/\.$/, '') !== (checkResult.ok ? 'Connection works' : 'Connection failed') &&
              checkResult.message}
          </Alert>
        )}
        <Group justify="flex-end">
          <Button variant="default" onClick={testConnection} loading={check.isPending}>
            Test connection
          </Button>
          <Button type="submit" loading={create.isPending || update.isPending}>
            {submitLabel}
          </Button>
        </Group>
      </Stack>
    </form>
  );
}
