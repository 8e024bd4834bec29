import { Anchor, Container, Paper, Stepper, Text, Title } from '@mantine/core';
import { Link, Navigate, useNavigate } from 'react-router-dom';
import { ErrorAlert, LoadingState } from '@/components/ui/States';
import { useViewer } from '@/features/auth/api/viewer';
import { SignUpForm } from '@/features/auth/components/SignUpForm';
import { pickTeam, teamPathOf } from '../providers/current-team';

/** `/onboarding`: a visitor creates an account (the wizard's first step); someone signed in
 * goes on in their current team's wizard (`/t/<team>/onboarding`), whose steps live in the URL. */
export function OnboardingEntry() {
  const viewer = useViewer();
  const navigate = useNavigate();
  if (viewer.isPending) return <LoadingState />;
  if (viewer.isError) return <ErrorAlert error={viewer.error} title="Could not reach the server" />;
  if (viewer.data) {
    const team = pickTeam(viewer.data, undefined);
    return <Navigate to={team ? teamPathOf(team.id, '/onboarding') : '/'} replace />;
  }
  return (
    <Container size="md" py="xl" px="md">
      <Title order={1} size="h2" mb="lg">
        Get started
      </Title>
      <Stepper active={0} size="sm" allowNextStepsSelect={false} wrap>
        <Stepper.Step label="Account" description="Create an account">
          <Paper withBorder p="lg" maw={440}>
            {/* Signed up: the personal team's wizard takes over at the data-source step. */}
            <SignUpForm onSuccess={() => navigate('/onboarding', { replace: true })} />
            <Text size="sm" mt="md">
              Already have an account?{' '}
              <Anchor component={Link} to="/login" state={{ from: '/onboarding' }}>
                Log in
              </Anchor>
            </Text>
          </Paper>
        </Stepper.Step>
        <Stepper.Step label="Data source" description="Connect your data" />
        <Stepper.Step label="Models" description="Optional" />
        <Stepper.Step label="SQL API" description="Get access" />
      </Stepper>
    </Container>
  );
}
