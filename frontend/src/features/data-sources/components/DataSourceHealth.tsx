import { Badge, Button, Group, Text } from '@mantine/core';
import { useState } from 'react';
import { errorMessage } from '@/lib/graphql';
import { useCheckConnection } from '../api/check-connection';

type Check = { ok: boolean; message: string; at: Date };

/** A card's health line: the last "Test connection" result of this page and when it ran. */
export function DataSourceHealth({ dataSourceId, name }: { dataSourceId: string; name: string }) {
  const check = useCheckConnection();
  const [last, setLast] = useState<Check | null>(null);
  const test = () =>
    check.mutate(
      { dataSourceId },
      {
        onSuccess: (r) => setLast({ ok: r.ok, message: r.message, at: new Date() }),
        onError: (e) => setLast({ ok: false, message: errorMessage(e), at: new Date() }),
      },
    );
  return (
    <Group gap="xs" justify="space-between" wrap="wrap" aria-live="polite">
      {last ? (
        <div>
          <Badge color={last.ok ? 'teal' : 'red'} variant="light">
            {last.ok ? 'Healthy' : 'Failing'}
          </Badge>
          <Text size="xs" c="dimmed" mt={2}>
            {last.message} · checked {last.at.toLocaleTimeString('en-GB')}
          </Text>
        </div>
      ) : (
        <Text size="xs" c="dimmed">
          Not checked yet
        </Text>
      )}
      <Button size="compact-xs" variant="default" loading={check.isPending} onClick={test} aria-label={`Test connection to ${name}`}>
        Test connection
      </Button>
    </Group>
  );
}
