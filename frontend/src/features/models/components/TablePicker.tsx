import { Accordion, Alert, Badge, Button, Checkbox, Group, Stack, Table, Text } from '@mantine/core';
import { IconInfoCircle } from '@tabler/icons-react';
import { useState } from 'react';
import { EmptyState, ErrorAlert, LoadingState } from '@/components/ui/States';
import { useDataSourceTables } from '../api/data-source-tables';
import { useGenerateModels } from '../api/generate-models';

const keyOf = (t: { schema: string; name: string }) => `${t.schema}.${t.name}`;

type TablePickerProps = {
  dataSourceId: string;
  onGenerated: (versionId: string) => void;
  onSkip?: () => void;
  /** The source already has models (the demo data comes with them): generating replaces them. */
  hasModels?: boolean;
};

/** Lists the source's tables with their columns; the selected ones become generated cubes. */
export function TablePicker({ dataSourceId, onGenerated, onSkip, hasModels = false }: TablePickerProps) {
  const tables = useDataSourceTables(dataSourceId);
  const generate = useGenerateModels();
  const [selected, setSelected] = useState<Set<string> | null>(null);

  // Skipping stays possible whatever happens here: models are optional.
  const skip = onSkip && (
    <Button variant="default" onClick={onSkip}>
      Skip
    </Button>
  );
  if (tables.isPending) return <LoadingState label="Reading tables…" />;
  if (tables.isError) {
    return (
      <Stack>
        <ErrorAlert error={tables.error} title="Could not list the tables" />
        <Group justify="flex-end">
          <Button variant="default" onClick={() => void tables.refetch()} loading={tables.isFetching}>
            Try again
          </Button>
          {skip}
        </Group>
      </Stack>
    );
  }

  const all = tables.data;
  // Everything is selected until the user changes it: the common case is "model it all".
  const chosen = selected ?? new Set(all.map(keyOf));
  const toggle = (key: string) => {
    const next = new Set(chosen);
    if (next.has(key)) next.delete(key);
    else next.add(key);
    setSelected(next);
  };

  return (
    <Stack>
      {hasModels && (
        <Alert color="blue" icon={<IconInfoCircle size={16} />}>
          This data source already has models. Skip to keep them, or generate to replace them.
        </Alert>
      )}
      {all.length === 0 ? (
        <EmptyState title="This data source has no tables" />
      ) : (
        <>
          <Group justify="space-between">
            <Text size="sm" c="dimmed">
              {chosen.size} of {all.length} tables selected
            </Text>
            <Checkbox
              label="Select all"
              checked={chosen.size === all.length}
              indeterminate={chosen.size > 0 && chosen.size < all.length}
              onChange={(e) => setSelected(e.currentTarget.checked ? new Set(all.map(keyOf)) : new Set())}
            />
          </Group>
          <Accordion multiple variant="separated">
            {all.map((table) => {
              const key = keyOf(table);
              return (
                <Accordion.Item key={key} value={key}>
                  <Group wrap="nowrap" gap={0} pl="sm">
                    <Checkbox aria-label={`Select ${key}`} checked={chosen.has(key)} onChange={() => toggle(key)} />
                    <Accordion.Control>
                      <Group gap="xs">
                        <Text ff="monospace" size="sm">
                          {key}
                        </Text>
                        <Badge size="xs" variant="light">
                          {table.columns.length} columns
                        </Badge>
                      </Group>
                    </Accordion.Control>
                  </Group>
                  <Accordion.Panel>
                    <Table fz="xs" aria-label={`Columns of ${key}`}>
                      <Table.Thead>
                        <Table.Tr>
                          <Table.Th>Column</Table.Th>
                          <Table.Th>Type</Table.Th>
                        </Table.Tr>
                      </Table.Thead>
                      <Table.Tbody>
                        {table.columns.map((c) => (
                          <Table.Tr key={c.name}>
                            <Table.Td ff="monospace">{c.name}</Table.Td>
                            <Table.Td c="dimmed">{c.type}</Table.Td>
                          </Table.Tr>
                        ))}
                      </Table.Tbody>
                    </Table>
                  </Accordion.Panel>
                </Accordion.Item>
              );
            })}
          </Accordion>
        </>
      )}
      <ErrorAlert error={generate.error} title="Could not generate models" />
      <Group justify="flex-end">
        {skip}
        <Button
          disabled={chosen.size === 0}
          loading={generate.isPending}
          onClick={() =>
            generate.mutate(
              {
                dataSourceId,
                overwrite: hasModels,
                tables: all.filter((t) => chosen.has(keyOf(t))).map((t) => ({ schema: t.schema, name: t.name })),
              },
              { onSuccess: (version) => onGenerated(version.id) },
            )
          }
        >
          Generate models
        </Button>
      </Group>
    </Stack>
  );
}
