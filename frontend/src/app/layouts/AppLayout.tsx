import { Anchor, AppShell, Burger, Button, Group, Menu, NavLink, Select, Stack, Text, Title } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { Notifications } from '@mantine/notifications';
import { IconChevronDown, IconCode, IconDatabase, IconKey, IconLogout, IconRocket, IconUsers } from '@tabler/icons-react';
import { useQueryClient } from '@tanstack/react-query';
import { useEffect } from 'react';
import { Link, Navigate, Outlet, useLocation, useNavigate, useParams } from 'react-router-dom';
import { ErrorAlert, LoadingState } from '@/components/ui/States';
import { useLogOut } from '@/features/auth/api/log-out';
import { useViewer, viewerQueryKey } from '@/features/auth/api/viewer';
import { PendingInvitations } from '@/features/teams/components/PendingInvitations';
import { CurrentTeamProvider, pickTeam, rememberTeam, teamPathOf, useCurrentTeam } from '../providers/current-team';

const NAV = [
  { to: '/settings/sql-api', label: 'SQL API', icon: IconKey, admin: false },
  { to: '/data-sources', label: 'Data sources', icon: IconDatabase, admin: false },
  { to: '/models', label: 'Models', icon: IconCode, admin: false },
  { to: '/settings/team', label: 'Team', icon: IconUsers, admin: false },
  // Setting up data sources is for owners and admins; a member's path is the SQL API page.
  { to: '/onboarding', label: 'Onboarding', icon: IconRocket, admin: true },
];

/** The signed-in frame; anyone without a session is sent to log in. The team is the URL's
 * (`/t/:teamId/...`); outside it (`/`, old links) the last team used. */
export function AppLayout() {
  const viewer = useViewer();
  const location = useLocation();
  const { teamId } = useParams();
  if (viewer.isPending) return <LoadingState />;
  if (viewer.isError) return <ErrorAlert error={viewer.error} title="Could not reach the server" />;
  if (!viewer.data) return <Navigate to="/login" replace state={{ from: location.pathname + location.search }} />;
  const team = pickTeam(viewer.data, teamId);
  if (!team) return <TeamNotFound />;
  return (
    <CurrentTeamProvider viewer={viewer.data} team={team}>
      {/* Here, not in App: every notification is about signed-in work, and the first page
          (log in, sign up) then does not download the notification system. */}
      <Notifications position="top-right" />
      <Shell inTeam={teamId !== undefined} />
    </CurrentTeamProvider>
  );
}

function TeamNotFound() {
  return (
    <Stack p="xl" maw={520}>
      <Title order={1} size="h3">
        Team not found
      </Title>
      <Text>This team does not exist, or you are not one of its members.</Text>
      <Anchor component={Link} to="/">
        Go to your teams
      </Anchor>
    </Stack>
  );
}

function Shell({ inTeam }: { inTeam: boolean }) {
  const [opened, { toggle, close }] = useDisclosure();
  const { viewer, team, setTeamId, teamPath } = useCurrentTeam();
  const navigate = useNavigate();
  const location = useLocation();
  const logOut = useLogOut();
  const client = useQueryClient();
  useEffect(() => {
    if (inTeam) rememberTeam(team.id);
  }, [inTeam, team.id]);
  const isAdmin = team.role !== 'MEMBER';

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700} visibleFrom="xs">
              MetricSQL
            </Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            <Select
              aria-label="Team"
              size="xs"
              w={{ base: 140, sm: 200 }}
              data={viewer.teams.map((t) => ({ value: t.id, label: t.name }))}
              value={team.id}
              allowDeselect={false}
              checkIconPosition="right"
              onChange={(id) => id && id !== team.id && setTeamId(id)}
            />
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="subtle" size="xs" rightSection={<IconChevronDown size={14} />} aria-label="Account menu">
                  <Text size="sm" truncate maw={{ base: 70, sm: 200 }}>
                    {viewer.displayName}
                  </Text>
                </Button>
              </Menu.Target>
              <Menu.Dropdown>
                <Menu.Label>{viewer.email}</Menu.Label>
                <Menu.Item
                  leftSection={<IconLogout size={14} />}
                  onClick={() => logOut.mutate(undefined, { onSettled: () => navigate('/login') })}
                >
                  Log out
                </Menu.Item>
              </Menu.Dropdown>
            </Menu>
          </Group>
        </Group>
      </AppShell.Header>
      <AppShell.Navbar p="xs" aria-label="Main navigation">
        {NAV.filter((n) => isAdmin || !n.admin).map(({ to, label, icon: Icon }) => {
          const href = teamPath(to);
          return (
            <NavLink
              key={to}
              href={href}
              label={label}
              leftSection={<Icon size={16} />}
              active={location.pathname.startsWith(href)}
              variant="filled"
              onClick={(e) => {
                e.preventDefault();
                navigate(href);
                close();
              }}
            />
          );
        })}
      </AppShell.Navbar>
      <AppShell.Main>
        <PendingInvitations
          invitations={viewer.invitations}
          onJoined={async (teamId) => {
            // The new team must be among the viewer's teams before its URL is opened.
            await client.refetchQueries({ queryKey: viewerQueryKey });
            rememberTeam(teamId);
            navigate(teamPathOf(teamId));
          }}
        />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
