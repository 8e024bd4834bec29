import { Alert, Button, Divider, Group, Paper, SimpleGrid, Stack, Stepper, Text, Title } from '@mantine/core';
import { IconCircleCheck, IconDatabase } from '@tabler/icons-react';
import { useState } from 'react';
import { Navigate, useNavigate, useSearchParams } from 'react-router-dom';
import { ErrorAlert, LoadingState } from '@/components/ui/States';
import { useDataSources } from '@/features/data-sources/api/data-sources';
import { DataSourceForm } from '@/features/data-sources/components/DataSourceForm';
import { DemoDataCard } from '@/features/data-sources/components/DemoDataCard';
import { useModelVersion } from '@/features/models/api/model-version';
import { TablePicker } from '@/features/models/components/TablePicker';
import { useSqlCredentials } from '@/features/sql-api/api/sql-credentials';
import { NewCredentialAccess } from '@/features/sql-api/components/NewCredentialAccess';
import { RotatePasswordDialog } from '@/features/sql-api/components/RotatePasswordDialog';
import { useCurrentTeam } from '../providers/current-team';

// The wizard's position is the URL (`?step=models&source=<id>`) and everything it made is on
// the server, so a reload lands on the same step with an honest view of what exists: the
// demo source is made once per team (the server returns the existing one), and a credential
// made before the reload is shown as made — its password cannot be shown again, only rotated.
const STEPS = ['source', 'models', 'access', 'done'] as const;
type StepName = (typeof STEPS)[number];

/** The seed's onboarding for a team's owners and admins: data source → models → SQL API → done. */
export function OnboardingRoute() {
  const { team, teamPath } = useCurrentTeam();
  if (team.role === 'MEMBER') return <Navigate to={teamPath('/settings/sql-api')} replace />;
  return (
    <Stack maw={960}>
      <Title order={2}>Get started</Title>
      <Wizard key={team.id} />
    </Stack>
  );
}

function Wizard() {
  const { team } = useCurrentTeam();
  const [params, setParams] = useSearchParams();
  const dataSources = useDataSources(team.id);
  const requested = (STEPS as readonly string[]).includes(params.get('step') ?? '') ? (params.get('step') as StepName) : 'source';
  const sourceId = params.get('source');
  const go = (step: StepName, source: string | null = sourceId) =>
    setParams(source ? { step, source } : { step });

  if (dataSources.isPending) return <LoadingState />;
  if (dataSources.isError) return <ErrorAlert error={dataSources.error} title="Could not load the data sources" />;
  const source = dataSources.data.find((d) => d.id === sourceId) ?? null;
  // Just made (the list is being refreshed): wait for it rather than call the source gone.
  if (requested !== 'source' && !source && dataSources.isFetching) return <LoadingState />;
  // A step past the first needs its data source; one that is gone (deleted, another team's)
  // sends the wizard back to the first step, saying so.
  const step: StepName = requested !== 'source' && !source ? 'source' : requested;
  const active = { source: 1, models: 2, access: 3, done: 5 }[step];

  return (
    <Stepper active={active} size="sm" allowNextStepsSelect={false} wrap>
      <Stepper.Step label="Account" description="Created" />
      <Stepper.Step label="Data source" description="Connect your data">
        {requested !== 'source' && !source && (
          <Alert color="yellow" mb="md" title="Choose a data source">
            The data source this step was for no longer exists. Choose or add one.
          </Alert>
        )}
        <DataSourceStep existing={dataSources.data} onDone={(id) => go('models', id)} />
      </Stepper.Step>
      <Stepper.Step label="Models" description="Optional">
        {source && <ModelsStep source={source} onDone={() => go('access')} />}
      </Stepper.Step>
      <Stepper.Step label="SQL API" description="Get access">
        {source && <SqlApiStep source={source} onFinish={() => go('done')} />}
      </Stepper.Step>
      <Stepper.Completed>
        <DoneStep />
      </Stepper.Completed>
    </Stepper>
  );
}

type Source = { id: string; name: string };

function DataSourceStep({ existing, onDone }: { existing: Source[]; onDone: (id: string) => void }) {
  const { team } = useCurrentTeam();
  return (
    <Stack>
      {existing.length > 0 && (
        <Paper withBorder p="lg">
          <Text fw={600} mb="xs">
            Continue with a data source of {team.name}
          </Text>
          <Group gap="xs">
            {existing.map((ds) => (
              <Button key={ds.id} variant="light" leftSection={<IconDatabase size={16} />} onClick={() => onDone(ds.id)}>
                {ds.name}
              </Button>
            ))}
          </Group>
        </Paper>
      )}
      <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
        <DemoDataCard teamId={team.id} onCreated={(ds) => onDone(ds.id)} />
        <Paper withBorder p="lg">
          <Text fw={600} mb="sm">
            Connect your database
          </Text>
          <DataSourceForm teamId={team.id} submitLabel="Continue" onSaved={(ds) => onDone(ds.id)} />
        </Paper>
      </SimpleGrid>
    </Stack>
  );
}

function ModelsStep({ source, onDone }: { source: Source; onDone: () => void }) {
  const live = useModelVersion(source.id);
  if (live.isPending) return <LoadingState />;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Pick the tables of <b>{source.name}</b> to describe as cubes. You can edit the models later.
      </Text>
      {live.data && (
        <Alert color="teal" title={`${source.name} has models (version ${live.data.number})`}>
          Generate again to replace them, or continue with these.
          <Group mt="sm">
            <Button size="xs" onClick={onDone}>
              Continue with version {live.data.number}
            </Button>
          </Group>
        </Alert>
      )}
      <TablePicker dataSourceId={source.id} hasModels={live.data != null} onGenerated={onDone} onSkip={onDone} />
    </Stack>
  );
}

function SqlApiStep({ source, onFinish }: { source: Source; onFinish: () => void }) {
  const { team, viewer } = useCurrentTeam();
  const credentials = useSqlCredentials(team.id);
  if (credentials.isPending) return <LoadingState />;
  if (credentials.isError) return <ErrorAlert error={credentials.error} title="Could not load the team" />;
  const me = credentials.data.members.find((m) => m.user.id === viewer.id);
  if (!me) return <ErrorAlert error={new Error('You are not a member of this team.')} />;
  const mine = credentials.data.sqlCredentials.filter((c) => c.member.id === me.id && c.dataSource.id === source.id);
  return <AccessChoice key={source.id} memberId={me.id} source={source} existing={mine} onFinish={onFinish} />;
}

type Credential = NonNullable<ReturnType<typeof useSqlCredentials>['data']>['sqlCredentials'][number];

function AccessChoice({ memberId, source, existing, onFinish }: { memberId: string; source: Source; existing: Credential[]; onFinish: () => void }) {
  // Decided once, when the step opens: a credential made here stays on screen with its
  // password even though the list now contains it.
  const [mode] = useState<'create' | 'existing'>(existing.length ? 'existing' : 'create');
  const [rotating, setRotating] = useState<Credential | null>(null);
  if (mode === 'create') {
    return (
      <Stack>
        <Text size="sm" c="dimmed">
          Your SQL API access to <b>{source.name}</b> is ready. Connect with any PostgreSQL or MySQL client.
        </Text>
        <NewCredentialAccess memberId={memberId} dataSourceId={source.id} onFinish={onFinish} />
      </Stack>
    );
  }
  const credential = existing[0];
  return (
    <Stack>
      <Alert color="blue" title="Your credential was created">
        You already have SQL API access to <b>{source.name}</b> as <b>{credential.username}</b>. Its password was shown
        once and is not stored anywhere; rotate to get a new password (the old one stops working).
      </Alert>
      <Group justify="flex-end">
        <Button variant="default" onClick={() => setRotating(credential)}>
          Rotate to get a new password
        </Button>
        <Button onClick={onFinish}>Continue</Button>
      </Group>
      {rotating && <RotatePasswordDialog credential={rotating} onClose={() => setRotating(null)} />}
    </Stack>
  );
}

function DoneStep() {
  const navigate = useNavigate();
  const { teamPath } = useCurrentTeam();
  return (
    <Stack align="center" py="xl">
      <IconCircleCheck size={48} color="var(--mantine-color-teal-6)" aria-hidden />
      <Title order={2} size="h3">
        You are all set
      </Title>
      <Text c="dimmed" ta="center">
        Try a query in the console on the SQL API page, manage credentials there, and refine your models any time.
      </Text>
      <Divider w="100%" />
      <Group>
        <Button variant="default" onClick={() => navigate(teamPath('/models'))}>
          Edit models
        </Button>
        <Button onClick={() => navigate(teamPath('/settings/sql-api'))}>Go to SQL API</Button>
      </Group>
    </Stack>
  );
}
