import { Alert, Badge, Button, Code, Group, Paper, ScrollArea, Select, Stack, Table, Text, Textarea, Title } from '@mantine/core';
import { IconPlayerPlay } from '@tabler/icons-react';
import { useState } from 'react';
import { ErrorAlert } from '@/components/ui/States';
import type { RunQueryMutation } from '@/gql/graphql';
import { useRunQuery } from '../api/run-query';

type Target = { value: string; label: string; input: { credentialId?: string; dataSourceId?: string } };
type Props = {
  teamId: string;
  credentials: { id: string; username: string; dataSource: { id: string; name: string } }[];
  dataSources: { id: string; name: string }[];
};

export const DEFAULT_STATEMENT = 'SELECT table_name FROM information_schema.tables WHERE table_schema = \'public\'';

/** Try a statement before opening a BI tool: it runs through the SQL API's own engine with the
 * viewer's access (one of their credentials, or their role's access on a data source), so what
 * it shows is what psql would show. The web session says who they are: no password. */
export function QueryConsole({ teamId, credentials, dataSources }: Props) {
  const targets: Target[] = [
    ...credentials.map((c) => ({
      value: `credential:${c.id}`,
      label: `${c.dataSource.name} — as ${c.username}`,
      input: { credentialId: c.id },
    })),
    ...dataSources.map((d) => ({ value: `source:${d.id}`, label: `${d.name} — my access`, input: { dataSourceId: d.id } })),
  ];
  const [target, setTarget] = useState<string | null>(targets[0]?.value ?? null);
  const [sql, setSql] = useState(DEFAULT_STATEMENT);
  const run = useRunQuery();
  const chosen = targets.find((t) => t.value === target) ?? targets[0];
  const submit = () => {
    if (chosen && sql.trim()) run.mutate({ teamId, sql, ...chosen.input });
  };

  return (
    <Paper withBorder p="md" component="section" aria-labelledby="query-console-title">
      <Stack gap="sm">
        <div>
          <Title order={3} size="h4" id="query-console-title">
            Query console
          </Title>
          <Text size="sm" c="dimmed">
            Runs one statement through the SQL API with your access, exactly as a SQL client would see it.
          </Text>
        </div>
        {targets.length === 0 ? (
          <Text size="sm">There is nothing to query yet: the team has no data sources.</Text>
        ) : (
          <form
            aria-label="Query console"
            onSubmit={(e) => {
              e.preventDefault();
              submit();
            }}
          >
            <Stack gap="sm">
              <Select label="Run as" data={targets} value={chosen?.value ?? null} onChange={setTarget} allowDeselect={false} maw={480} />
              <Textarea
                label="SQL statement"
                description="Ctrl+Enter runs it. Cubes are tables: SELECT status, MEASURE(count) FROM orders GROUP BY 1"
                value={sql}
                onChange={(e) => setSql(e.currentTarget.value)}
                onKeyDown={(e) => {
                  if (e.key === 'Enter' && (e.ctrlKey || e.metaKey)) {
                    e.preventDefault();
                    submit();
                  }
                }}
                rows={4}
                resize="vertical"
                spellCheck={false}
                styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
              />
              <Group>
                <Button type="submit" leftSection={<IconPlayerPlay size={16} />} loading={run.isPending} disabled={!sql.trim()}>
                  Run
                </Button>
              </Group>
            </Stack>
          </form>
        )}
        <ErrorAlert error={run.error} title="Could not run the statement" />
        {run.data && <Outcome result={run.data} />}
      </Stack>
    </Paper>
  );
}

type Result = RunQueryMutation['runQuery'];

function Outcome({ result }: { result: Result }) {
  if (result.__typename === 'QueryError') {
    return (
      <Alert color="red" role="alert" title={`ERROR ${result.sqlstate}`}>
        <Text size="sm">{result.message}</Text>
        {result.hint && (
          <Text size="sm" mt={4}>
            Hint: {result.hint}
          </Text>
        )}
      </Alert>
    );
  }
  return (
    <Stack gap="xs" aria-label="Query result">
      <Group gap="xs" role="status">
        <Badge variant="light" color="teal">
          {result.tag}
        </Badge>
        <Text size="sm" c="dimmed">
          {result.elapsedMs.toLocaleString('en-US', { maximumFractionDigits: 1 })} ms
        </Text>
      </Group>
      {result.truncated && (
        <Alert color="yellow" p="xs">
          Showing the first {result.rowLimit.toLocaleString('en-US')} rows; more were not fetched. Add a LIMIT or filters, or
          use a SQL client for everything.
        </Alert>
      )}
      {result.columns.length > 0 && (
        <ScrollArea.Autosize mah={420} type="auto">
          <Table striped withTableBorder withColumnBorders stickyHeader aria-label="Rows" fz="sm">
            <Table.Thead>
              <Table.Tr>
                {result.columns.map((c, i) => (
                  <Table.Th key={i} scope="col">
                    <Text size="sm" fw={600} span>
                      {c.name}
                    </Text>{' '}
                    <Text size="xs" c="dimmed" span ff="monospace">
                      {c.type}
                    </Text>
                  </Table.Th>
                ))}
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {result.rows.map((row, r) => (
                <Table.Tr key={r}>
                  {row.map((v, c) => (
                    <Table.Td key={c} ff="monospace">
                      {v ?? <Text span size="sm" c="dimmed">NULL</Text>}
                    </Table.Td>
                  ))}
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </ScrollArea.Autosize>
      )}
      {result.compiledSql && (
        <details>
          <summary>
            <Text span size="sm">
              SQL sent to the data source
            </Text>
          </summary>
          {/* Focusable: a long line scrolls sideways, and keyboard users must reach it. */}
          <Code block mt="xs" aria-label="Compiled data-source SQL" tabIndex={0}>
            {result.compiledSql}
          </Code>
        </details>
      )}
    </Stack>
  );
}
