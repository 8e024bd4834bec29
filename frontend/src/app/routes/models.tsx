import { Select, Stack, Tabs, Text, Title } from '@mantine/core';
import { useState } from 'react';
import { useNavigate, useParams } from 'react-router-dom';
import { EmptyState, ErrorAlert, LoadingState } from '@/components/ui/States';
import { useDataSources } from '@/features/data-sources/api/data-sources';
import { useModelAccess } from '@/features/models/api/model-access';
import { useModelVersion } from '@/features/models/api/model-version';
import { CubeList } from '@/features/models/components/CubeList';
import { ModelEditor } from '@/features/models/components/ModelEditor';
import { TablePicker } from '@/features/models/components/TablePicker';
import { useCurrentTeam } from '../providers/current-team';

export function ModelsRoute() {
  const { team, teamPath } = useCurrentTeam();
  const navigate = useNavigate();
  const params = useParams();
  const dataSources = useDataSources(team.id);
  const [tab, setTab] = useState<string | null>('editor');
  const access = useModelAccess(team.id);
  // The server decides (a team setting); until it answers, the role's default is assumed.
  const canEdit = access.data?.viewerCanAuthorModels ?? team.role !== 'MEMBER';

  if (dataSources.isPending) return <LoadingState />;
  if (dataSources.isError) return <ErrorAlert error={dataSources.error} />;
  const selected = params.dataSourceId ?? dataSources.data[0]?.id;

  return (
    <Stack>
      <div>
        <Title order={2}>Models</Title>
        <Text size="sm" c="dimmed">
          Cubes of measures and dimensions; each cube is a table in the SQL API.
        </Text>
      </div>
      {dataSources.data.length === 0 ? (
        <EmptyState title="No data sources yet" />
      ) : (
        <>
          <Select
            label="Data source"
            maw={360}
            data={dataSources.data.map((d) => ({ value: d.id, label: d.name }))}
            value={selected ?? null}
            allowDeselect={false}
            onChange={(id) => id && navigate(teamPath(`/models/${id}`))}
          />
          {selected && (
            // The editor stays mounted (hidden) on the Generate tab: switching tabs keeps unsaved edits.
            <Tabs value={tab} onChange={setTab} keepMounted={false} keepMountedMode="display-none">
              <Tabs.List>
                <Tabs.Tab value="editor">Model files</Tabs.Tab>
                {canEdit && <Tabs.Tab value="generate">Generate from tables</Tabs.Tab>}
              </Tabs.List>
              <Tabs.Panel value="editor" pt="md" keepMounted>
                {canEdit ? (
                  <ModelEditor key={selected} dataSourceId={selected} canEdit={canEdit} />
                ) : (
                  <CubeList key={selected} dataSourceId={selected} />
                )}
              </Tabs.Panel>
              <Tabs.Panel value="generate" pt="md">
                <Generate key={selected} dataSourceId={selected} onGenerated={() => setTab('editor')} />
              </Tabs.Panel>
            </Tabs>
          )}
        </>
      )}
    </Stack>
  );
}

function Generate({ dataSourceId, onGenerated }: { dataSourceId: string; onGenerated: () => void }) {
  const live = useModelVersion(dataSourceId);
  if (live.isPending) return <LoadingState />;
  return <TablePicker dataSourceId={dataSourceId} hasModels={live.data != null} onGenerated={onGenerated} />;
}
