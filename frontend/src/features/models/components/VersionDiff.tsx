import { Badge, Box, Group, Stack, Text } from '@mantine/core';
import type { DiffLine, FileChange } from '@/lib/line-diff';

const CONTEXT = 2;

const STYLE: Record<DiffLine['kind'], { sign: string; background?: string }> = {
  same: { sign: ' ' },
  added: { sign: '+', background: 'var(--mantine-color-green-0)' },
  removed: { sign: '-', background: 'var(--mantine-color-red-0)' },
};

/** Changed lines with a little context; long unchanged runs fold into "…". */
function visible(lines: DiffLine[]): (DiffLine | { kind: 'gap'; count: number })[] {
  const near = new Set<number>();
  lines.forEach((l, i) => {
    if (l.kind === 'same') return;
    for (let k = i - CONTEXT; k <= i + CONTEXT; k += 1) near.add(k);
  });
  const out: (DiffLine | { kind: 'gap'; count: number })[] = [];
  let gap = 0;
  lines.forEach((l, i) => {
    if (near.has(i)) {
      if (gap) out.push({ kind: 'gap', count: gap });
      gap = 0;
      out.push(l);
    } else gap += 1;
  });
  if (gap) out.push({ kind: 'gap', count: gap });
  return out;
}

/** A line diff of each changed file against the live version. */
export function VersionDiff({ changes }: { changes: FileChange[] }) {
  return (
    <Stack gap="md">
      {changes.map((file) => {
        const added = file.lines.filter((l) => l.kind === 'added').length;
        const removed = file.lines.filter((l) => l.kind === 'removed').length;
        return (
          <Box key={file.name} component="section" aria-label={`Changes in ${file.name}`}>
            <Group gap="xs" mb={4}>
              <Text ff="monospace" fw={600} size="sm">
                {file.name}
              </Text>
              <Badge size="sm" variant="light" color={file.status === 'removed' ? 'red' : file.status === 'added' ? 'green' : 'blue'}>
                {file.status}
              </Badge>
              <Text size="xs" c="dimmed">
                +{added} −{removed}
              </Text>
            </Group>
            <Box
              component="pre"
              m={0}
              p={4}
              fz="xs"
              ff="monospace"
              style={{ border: '1px solid var(--mantine-color-gray-3)', borderRadius: 4, overflowX: 'auto', maxHeight: 320 }}
            >
              {visible(file.lines).map((l, i) =>
                l.kind === 'gap' ? (
                  <div key={i} style={{ color: 'var(--mantine-color-gray-7)' }}>
                    … {l.count} unchanged {l.count === 1 ? 'line' : 'lines'}
                  </div>
                ) : (
                  <div key={i} data-diff={l.kind} style={{ background: STYLE[l.kind].background, whiteSpace: 'pre' }}>
                    {STYLE[l.kind].sign} {l.text}
                  </div>
                ),
              )}
            </Box>
          </Box>
        );
      })}
    </Stack>
  );
}
