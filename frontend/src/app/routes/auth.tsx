import { Anchor, Center, Paper, Stack, Text, Title } from '@mantine/core';
import type { ReactNode } from 'react';
import { Link, useLocation, useNavigate } from 'react-router-dom';
import { LogInForm } from '@/features/auth/components/LogInForm';
import { SignUpForm } from '@/features/auth/components/SignUpForm';

function AuthFrame({ title, children, footer }: { title: string; children: ReactNode; footer: ReactNode }) {
  return (
    <Center mih="100vh" p="md">
      <Paper withBorder shadow="sm" p="xl" w="100%" maw={420}>
        <Stack>
          <Text fw={700} c="indigo">
            MetricSQL
          </Text>
          <Title order={1} size="h2">
            {title}
          </Title>
          {children}
          <Text size="sm" ta="center">
            {footer}
          </Text>
        </Stack>
      </Paper>
    </Center>
  );
}

export function LogInRoute() {
  const navigate = useNavigate();
  const from = (useLocation().state as { from?: string } | null)?.from ?? '/';
  return (
    <AuthFrame
      title="Log in"
      footer={
        <>
          No account yet?{' '}
          <Anchor component={Link} to="/signup">
            Sign up
          </Anchor>
        </>
      }
    >
      <LogInForm onSuccess={() => navigate(from, { replace: true })} />
    </AuthFrame>
  );
}

export function SignUpRoute() {
  const navigate = useNavigate();
  return (
    <AuthFrame
      title="Create your account"
      footer={
        <>
          Already have an account?{' '}
          <Anchor component={Link} to="/login">
            Log in
          </Anchor>
        </>
      }
    >
      <SignUpForm onSuccess={() => navigate('/onboarding', { replace: true })} />
    </AuthFrame>
  );
}
