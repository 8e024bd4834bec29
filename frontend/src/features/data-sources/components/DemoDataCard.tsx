import { Button, Card, Stack, Text } from '@mantine/core';
import { IconSparkles } from '@tabler/icons-react';
import { ErrorAlert } from '@/components/ui/States';
import { useCreateDemoDataSource } from '../api/create-demo-data-source';
import type { SavedDataSource } from './DataSourceForm';

/** The embedded e-commerce data set: the quickest way to a working SQL API. */
export function DemoDataCard({ teamId, onCreated }: { teamId: string; onCreated: (ds: SavedDataSource) => void }) {
  const demo = useCreateDemoDataSource();
  return (
    <Card withBorder padding="lg">
      <Stack gap="sm">
        <Text fw={600}>Try it with demo data</Text>
        <Text size="sm" c="dimmed">
          An embedded e-commerce data set (customers, products, orders, order items). No database server needed.
        </Text>
        <ErrorAlert error={demo.error} title="Could not create the demo data source" />
        <Button leftSection={<IconSparkles size={16} />} loading={demo.isPending} onClick={() => demo.mutate(teamId, { onSuccess: onCreated })}>
          Use demo data
        </Button>
      </Stack>
    </Card>
  );
}
