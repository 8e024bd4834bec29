import { Alert, Badge, Button, Group, List, NavLink, Stack, Text, TextInput, UnstyledButton } from '@mantine/core';
import { IconAlertTriangle, IconFileCode, IconPlus } from '@tabler/icons-react';
import { lazy, Suspense, useEffect, useRef, useState } from 'react';
import { useBlocker } from 'react-router-dom';
import type { CodeEditorHandle } from '@/components/ui/CodeEditor';
import { LazyCodeEditor as CodeEditor } from '@/components/ui/LazyCodeEditor';
import { LineMessage } from '@/components/ui/LineMessage';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { Dialog } from '@/components/ui/Dialog';
import { EmptyState, ErrorAlert, LoadingState } from '@/components/ui/States';
import { formatDateTime } from '@/lib/format';
import { diffFiles } from '@/lib/line-diff';
import { notifySuccess } from '@/lib/notify';
import { type ModelProblem, useCreateModelVersion } from '../api/create-model-version';
import { useModelVersion } from '../api/model-version';

// The review dialog's diff view is loaded when a save is first reviewed.
const VersionDiff = lazy(() => import('./VersionDiff').then((m) => ({ default: m.VersionDiff })));

type Draft = { name: string; code: string };

const NEW_CUBE = `cubes:
  - name: my_cube
    sql_table: public.my_table
    dimensions:
      - { name: id, sql: id, type: number, primary_key: true }
    measures:
      - { name: count, type: count }
`;

/** Warns before edits are lost: on leaving the page (the browser asks) and on in-app navigation. */
function useUnsavedChangesGuard(dirty: boolean) {
  useEffect(() => {
    if (!dirty) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [dirty]);
  return useBlocker(({ currentLocation, nextLocation }) => dirty && currentLocation.pathname !== nextLocation.pathname);
}

/**
 * Edits the newest model version. Saving shows the changes against it first, then creates the
 * next version or shows each problem at its line; unchanged files are never saved (the server
 * answers such a save with the live version too).
 */
export function ModelEditor({ dataSourceId, canEdit }: { dataSourceId: string; canEdit: boolean }) {
  const version = useModelVersion(dataSourceId);
  const save = useCreateModelVersion();
  const [files, setFiles] = useState<Draft[] | null>(null);
  const [current, setCurrent] = useState(0);
  const [problems, setProblems] = useState<ModelProblem[]>([]);
  const [newName, setNewName] = useState('');
  const [reviewing, setReviewing] = useState(false);
  const editor = useRef<CodeEditorHandle>(null);
  const pendingLine = useRef<number | null>(null);
  const saved = version.data?.files.map((f) => ({ name: f.name, code: f.code })) ?? [];
  const changes = files ? diffFiles(saved, files) : [];
  const dirty = changes.length > 0;
  const blocker = useUnsavedChangesGuard(dirty);

  // The drafts start from each version that arrives (not from every refetch of the same one);
  // set while rendering, as React recommends for state derived from a changed input.
  const loadedKey = version.data === undefined ? null : (version.data?.id ?? 'none');
  const [draftsOf, setDraftsOf] = useState<string | null>(null);
  if (loadedKey !== null && loadedKey !== draftsOf) {
    setDraftsOf(loadedKey);
    setFiles(saved);
    setCurrent(0);
  }

  useEffect(() => {
    if (pendingLine.current != null) {
      editor.current?.goToLine(pendingLine.current);
      pendingLine.current = null;
    }
  }, [current]);

  if (version.isPending || files == null) return <LoadingState label="Loading models…" />;
  if (version.isError) return <ErrorAlert error={version.error} title="Could not load the models" />;

  const file = files[current];
  const problemsOf = (name: string) => problems.filter((p) => p.file === name || (p.file == null && files.length === 1));

  function jumpTo(problem: ModelProblem) {
    const index = files!.findIndex((f) => f.name === problem.file);
    if (problem.line == null) return;
    if (index >= 0 && index !== current) {
      pendingLine.current = problem.line;
      setCurrent(index);
    } else {
      editor.current?.goToLine(problem.line);
    }
  }

  function addFile() {
    const name = newName.trim().endsWith('.yml') ? newName.trim() : `${newName.trim()}.yml`;
    if (!newName.trim() || files!.some((f) => f.name === name)) return;
    setFiles([...files!, { name, code: NEW_CUBE }]);
    setCurrent(files!.length);
    setNewName('');
  }

  return (
    <Stack>
      <Group justify="space-between">
        <Text size="sm" c="dimmed">
          {version.data ? `Version ${version.data.number}, saved ${formatDateTime(version.data.createdAt)}` : 'No models yet'}
        </Text>
        {canEdit && (
          <Group gap="xs">
            <Text size="sm" c="dimmed" role="status">
              {dirty ? `Unsaved changes in ${changes.length} ${changes.length === 1 ? 'file' : 'files'}` : 'No changes to save'}
            </Text>
            <Button loading={save.isPending} disabled={files.length === 0 || !dirty} onClick={() => setReviewing(true)}>
              Save new version
            </Button>
          </Group>
        )}
      </Group>
      <ErrorAlert error={save.error} title="Could not save" />
      <Dialog opened={reviewing} onClose={() => setReviewing(false)} title="Review changes" size="xl">
        <Stack>
          <Text size="sm">
            {version.data ? `Against version ${version.data.number}, the live one.` : 'The first version of these models.'}{' '}
            SQL API users query the new version as soon as it is saved.
          </Text>
          <Suspense fallback={<LoadingState label="Comparing…" />}>
            <VersionDiff changes={changes} />
          </Suspense>
          <Group justify="flex-end">
            <Button variant="default" onClick={() => setReviewing(false)}>
              Keep editing
            </Button>
            <Button
              loading={save.isPending}
              onClick={() =>
                save.mutate(
                  { dataSourceId, files },
                  {
                    onSuccess: (outcome) => {
                      setReviewing(false);
                      if (outcome.ok) {
                        setProblems([]);
                        notifySuccess(
                          outcome.number === version.data?.number ? 'No changes' : `Saved as version ${outcome.number}`,
                          outcome.number === version.data?.number
                            ? `Version ${outcome.number} is still live.`
                            : 'SQL API users now query it.',
                        );
                        return;
                      }
                      setProblems(
                        [...outcome.problems].sort(
                          (x, y) => (x.file ?? '').localeCompare(y.file ?? '') || (x.line ?? 0) - (y.line ?? 0),
                        ),
                      );
                    },
                  },
                )
              }
            >
              Save version {(version.data?.number ?? 0) + 1}
            </Button>
          </Group>
        </Stack>
      </Dialog>
      <ConfirmDialog
        opened={blocker.state === 'blocked'}
        title="Leave without saving?"
        confirmLabel="Leave and discard"
        cancelLabel="Stay"
        onClose={() => blocker.reset?.()}
        onConfirm={() => blocker.proceed?.()}
      >
        Your changes to the model files are not saved. Leaving discards them.
      </ConfirmDialog>
      {problems.length > 0 && (
        <Alert color="red" icon={<IconAlertTriangle size={16} />} title={`${problems.length} ${problems.length === 1 ? 'problem' : 'problems'} — nothing was saved`} role="alert">
          <List size="sm" spacing={2}>
            {problems.map((p, i) => (
              <List.Item key={i}>
                <UnstyledButton onClick={() => jumpTo(p)} style={{ textAlign: 'left' }}>
                  <Text span size="sm" ff="monospace">
                    {p.file ?? 'model'}
                    {p.line != null ? `:${p.line}` : ''}
                  </Text>{' '}
                  — {p.message}
                </UnstyledButton>
              </List.Item>
            ))}
          </List>
        </Alert>
      )}
      {files.length === 0 && !canEdit ? (
        <EmptyState title="No models yet" />
      ) : (
        <Group align="flex-start" wrap="wrap" gap="md">
          <Stack gap={4} w={{ base: '100%', sm: 220 }}>
            {files.map((f, i) => {
              const count = problemsOf(f.name).length;
              return (
                <NavLink
                  key={f.name}
                  active={i === current}
                  label={f.name}
                  leftSection={<IconFileCode size={16} />}
                  rightSection={count ? <Badge color="red" size="xs">{count}</Badge> : null}
                  onClick={() => setCurrent(i)}
                />
              );
            })}
            {canEdit && (
              <Group gap={4} wrap="nowrap">
                <TextInput
                  size="xs"
                  aria-label="New file name"
                  placeholder="new_cube.yml"
                  value={newName}
                  onChange={(e) => setNewName(e.currentTarget.value)}
                  onKeyDown={(e) => e.key === 'Enter' && addFile()}
                />
                <Button size="xs" variant="default" onClick={addFile} aria-label="Add file">
                  <IconPlus size={14} />
                </Button>
              </Group>
            )}
          </Stack>
          <Stack style={{ flex: 1, minWidth: 0 }} miw={{ base: '100%', sm: 0 }} gap="xs">
            {file ? (
              <>
                <CodeEditor
                  ref={editor}
                  label={`Model file ${file.name}`}
                  value={file.code}
                  readOnly={!canEdit}
                  markers={problemsOf(file.name).flatMap((p) => (p.line != null ? [{ line: p.line, message: p.message }] : []))}
                  onChange={(code) => setFiles(files.map((f, i) => (i === current ? { ...f, code } : f)))}
                />
                {problemsOf(file.name)
                  .filter((p) => p.line != null)
                  .map((p, i) => (
                    <Text key={i} c="red.9" size="sm">
                      <LineMessage line={p.line!} message={p.message} />
                    </Text>
                  ))}
              </>
            ) : (
              <EmptyState title="No model files">Generate models from tables, or add a file.</EmptyState>
            )}
          </Stack>
        </Group>
      )}
    </Stack>
  );
}
