import { AppShell, Burger, Button, Group, Menu, NavLink, Select, Text } from '@mantine/core';
import { useDisclosure } from '@mantine/hooks';
import { IconChevronDown, IconCode, IconDatabase, IconKey, IconLogout, IconRocket, IconUsers } from '@tabler/icons-react';
import { Navigate, Outlet, useLocation, useNavigate } from 'react-router-dom';
import { ErrorAlert, LoadingState } from '@/components/ui/States';
import { useLogOut } from '@/features/auth/api/log-out';
import { useViewer } from '@/features/auth/api/viewer';
import { PendingInvitations } from '@/features/teams/components/PendingInvitations';
import { CurrentTeamProvider, useCurrentTeam } from '../providers/current-team';

const NAV = [
  { to: '/settings/sql-api', label: 'SQL API', icon: IconKey },
  { to: '/data-sources', label: 'Data sources', icon: IconDatabase },
  { to: '/models', label: 'Models', icon: IconCode },
  { to: '/settings/team', label: 'Team', icon: IconUsers },
  { to: '/onboarding', label: 'Onboarding', icon: IconRocket },
];

/** The signed-in frame; anyone without a session is sent to log in. */
export function AppLayout() {
  const viewer = useViewer();
  const location = useLocation();
  if (viewer.isPending) return <LoadingState />;
  if (viewer.isError) return <ErrorAlert error={viewer.error} title="Could not reach the server" />;
  if (!viewer.data) return <Navigate to="/login" replace state={{ from: location.pathname }} />;
  return (
    <CurrentTeamProvider viewer={viewer.data}>
      <Shell />
    </CurrentTeamProvider>
  );
}

function Shell() {
  const [opened, { toggle, close }] = useDisclosure();
  const { viewer, team, setTeamId } = useCurrentTeam();
  const navigate = useNavigate();
  const location = useLocation();
  const logOut = useLogOut();

  return (
    <AppShell header={{ height: 56 }} navbar={{ width: 220, breakpoint: 'sm', collapsed: { mobile: !opened } }} padding="md">
      <AppShell.Header>
        <Group h="100%" px="md" justify="space-between" wrap="nowrap">
          <Group gap="sm" wrap="nowrap">
            <Burger opened={opened} onClick={toggle} hiddenFrom="sm" size="sm" aria-label="Toggle navigation" />
            <Text fw={700}>MetricSQL</Text>
          </Group>
          <Group gap="xs" wrap="nowrap">
            {viewer.teams.length > 1 && (
              <Select
                aria-label="Team"
                size="xs"
                w={{ base: 120, sm: 180 }}
                data={viewer.teams.map((t) => ({ value: t.id, label: t.name }))}
                value={team.id}
                allowDeselect={false}
                onChange={(id) => id && setTeamId(id)}
              />
            )}
            <Menu position="bottom-end">
              <Menu.Target>
                <Button variant="subtle" size="xs" rightSection={<IconChevronDown size={14} />} aria-label="Account menu">
                  <Text size="sm" truncate maw={{ base: 90, sm: 200 }}>
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
        {NAV.map(({ to, label, icon: Icon }) => (
          <NavLink
            key={to}
            href={to}
            label={label}
            leftSection={<Icon size={16} />}
            active={location.pathname.startsWith(to)}
            variant="filled"
            onClick={(e) => {
              e.preventDefault();
              navigate(to);
              close();
            }}
          />
        ))}
      </AppShell.Navbar>
      <AppShell.Main>
        <PendingInvitations invitations={viewer.invitations} onJoined={setTeamId} />
        <Outlet />
      </AppShell.Main>
    </AppShell>
  );
}
