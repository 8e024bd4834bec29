import { Badge, Card, Group, Stack, Text } from '@mantine/core';
import { EmptyState, ErrorAlert, LoadingState } from '@/components/ui/States';
import { useVisibleCubes } from '../api/visible-cubes';

/** Read-only: the cubes and members the viewer may query. Model files are for model authors. */
export function CubeList({ dataSourceId }: { dataSourceId: string }) {
  const version = useVisibleCubes(dataSourceId);
  if (version.isPending) return <LoadingState label="Loading the models…" />;
  if (version.isError) return <ErrorAlert error={version.error} title="Could not load the models" />;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        You see the cubes and members your access list allows. Model files are shown only to those who may author
        models in this team.
      </Text>
      {!version.data || version.data.cubes.length === 0 ? (
        <EmptyState title="No cubes you can query yet" />
      ) : (
        version.data.cubes.map((cube) => (
          <Card key={cube.name} withBorder aria-label={`Cube ${cube.name}`} component="section">
            <Text fw={600}>{cube.title ?? cube.name}</Text>
            {cube.description && (
              <Text size="sm" c="dimmed">
                {cube.description}
              </Text>
            )}
            <Group gap={6} mt="xs">
              {cube.members.map((m) => (
                <Badge key={m.name} variant="light" color={m.kind === 'measure' ? 'teal' : m.kind === 'segment' ? 'grape' : 'blue'}>
                  {m.name}
                </Badge>
              ))}
            </Group>
          </Card>
        ))
      )}
    </Stack>
  );
}
