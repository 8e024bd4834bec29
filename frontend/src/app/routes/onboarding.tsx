import { Anchor, Button, Container, Divider, Group, Paper, SimpleGrid, Stack, Stepper, Text, Title } from '@mantine/core';
import { IconCircleCheck } from '@tabler/icons-react';
import { useState } from 'react';
import { Link, useNavigate } from 'react-router-dom';
import { ErrorAlert, LoadingState } from '@/components/ui/States';
import { useViewer } from '@/features/auth/api/viewer';
import { SignUpForm } from '@/features/auth/components/SignUpForm';
import { DataSourceForm, type SavedDataSource } from '@/features/data-sources/components/DataSourceForm';
import { DemoDataCard } from '@/features/data-sources/components/DemoDataCard';
import { TablePicker } from '@/features/models/components/TablePicker';
import { NewCredentialAccess } from '@/features/sql-api/components/NewCredentialAccess';
import { useTeamMembers } from '@/features/teams/api/team-members';
import { CurrentTeamProvider, useCurrentTeam } from '../providers/current-team';

enum Step {
  Account = 0,
  DataSource = 1,
  Models = 2,
  SqlApi = 3,
  Done = 4,
}

/** The seed's onboarding: account → data source → models (optional) → SQL API access → finish. */
export function OnboardingRoute() {
  const viewer = useViewer();
  let body;
  if (viewer.isPending) body = <LoadingState />;
  else if (viewer.isError) body = <ErrorAlert error={viewer.error} title="Could not reach the server" />;
  else if (!viewer.data) body = <Wizard signedIn={false} />;
  else
    body = (
      <CurrentTeamProvider viewer={viewer.data}>
        <Wizard signedIn />
      </CurrentTeamProvider>
    );
  return (
    <Container size="md" py="xl" px="md">
      <Title order={1} size="h2" mb="lg">
        Get started
      </Title>
      {body}
    </Container>
  );
}

function Wizard({ signedIn }: { signedIn: boolean }) {
  const [step, setStep] = useState<Step>(signedIn ? Step.DataSource : Step.Account);
  const [dataSource, setDataSource] = useState<SavedDataSource | null>(null);
  const active = signedIn ? Math.max(step, Step.DataSource) : Step.Account;
  return (
    <Stepper active={active} size="sm" allowNextStepsSelect={false} wrap>
      <Stepper.Step label="Account" description="Create an account">
        {!signedIn && (
          <Paper withBorder p="lg" maw={440}>
            <SignUpForm onSuccess={() => setStep(Step.DataSource)} />
            <Text size="sm" mt="md">
              Already have an account?{' '}
              <Anchor component={Link} to="/login" state={{ from: '/onboarding' }}>
                Log in
              </Anchor>
            </Text>
          </Paper>
        )}
      </Stepper.Step>
      <Stepper.Step label="Data source" description="Connect your data">
        {signedIn && (
          <DataSourceStep
            onDone={(ds) => {
              setDataSource(ds);
              setStep(Step.Models);
            }}
          />
        )}
      </Stepper.Step>
      <Stepper.Step label="Models" description="Optional">
        {dataSource && (
          <Stack>
            <Text size="sm" c="dimmed">
              Pick the tables of <b>{dataSource.name}</b> to describe as cubes. You can edit the models later.
            </Text>
            <TablePicker
              dataSourceId={dataSource.id}
              hasModels={dataSource.models != null}
              onGenerated={() => setStep(Step.SqlApi)} onSkip={() => setStep(Step.SqlApi)} />
          </Stack>
        )}
      </Stepper.Step>
      <Stepper.Step label="SQL API" description="Get access">
        {dataSource && <SqlApiStep dataSourceId={dataSource.id} onFinish={() => setStep(Step.Done)} />}
      </Stepper.Step>
      <Stepper.Completed>
        <DoneStep />
      </Stepper.Completed>
    </Stepper>
  );
}

function DataSourceStep({ onDone }: { onDone: (ds: SavedDataSource) => void }) {
  const { team } = useCurrentTeam();
  return (
    <SimpleGrid cols={{ base: 1, md: 2 }} spacing="lg">
      <DemoDataCard teamId={team.id} onCreated={onDone} />
      <Paper withBorder p="lg">
        <Text fw={600} mb="sm">
          Connect your database
        </Text>
        <DataSourceForm teamId={team.id} submitLabel="Continue" onSaved={onDone} />
      </Paper>
    </SimpleGrid>
  );
}

function SqlApiStep({ dataSourceId, onFinish }: { dataSourceId: string; onFinish: () => void }) {
  const { team, viewer } = useCurrentTeam();
  const members = useTeamMembers(team.id);
  if (members.isPending) return <LoadingState />;
  if (members.isError) return <ErrorAlert error={members.error} title="Could not load the team" />;
  const me = members.data.members.find((m) => m.user.id === viewer.id);
  if (!me) return <ErrorAlert error={new Error('You are not a member of this team.')} />;
  return (
    <Stack>
      <Text size="sm" c="dimmed">
        Your SQL API access is ready. Connect with any PostgreSQL or MySQL client.
      </Text>
      <NewCredentialAccess memberId={me.id} dataSourceId={dataSourceId} onFinish={onFinish} />
    </Stack>
  );
}

function DoneStep() {
  const navigate = useNavigate();
  return (
    <Stack align="center" py="xl">
      <IconCircleCheck size={48} color="var(--mantine-color-teal-6)" aria-hidden />
      <Title order={2} size="h3">
        You are all set
      </Title>
      <Text c="dimmed" ta="center">
        Manage credentials in Settings › SQL API, and refine your models any time.
      </Text>
      <Divider w="100%" />
      <Group>
        <Button variant="default" onClick={() => navigate('/models')}>
          Edit models
        </Button>
        <Button onClick={() => navigate('/settings/sql-api')}>Go to SQL API</Button>
      </Group>
    </Stack>
  );
}
