import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { credential, dataSources, members, viewer } from '@/testing/fixtures';
import { mockGraphQL } from '@/testing/graphql-mock';
import { renderApp } from '@/testing/render';

const shared = { id: 't2', name: 'Analytics', role: 'MEMBER', personal: false };
const bobMember = { ...members[1]!, id: 'm9', user: { id: 'u1', email: 'ada@example.com', displayName: 'Ada' } };

function credentialsOf(teamId: string, creds: ReturnType<typeof credential>[] = []) {
  return {
    sqlCredentials: creds,
    team: { id: teamId, members: teamId === 't2' ? [members[0]!, bobMember] : members, dataSources },
  };
}

describe('teams in the URL', () => {
  it('switches team from the header, keeping the screen and loading the other team', async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer: { ...viewer, teams: [...viewer.teams, shared], invitations: [] } }),
      SqlCredentials: ({ teamId }) => credentialsOf(String(teamId)),
    });
    const { user, router } = renderApp('/t/t1/settings/sql-api');
    await screen.findByRole('heading', { name: 'SQL API' });
    await user.click(screen.getByRole('combobox', { name: 'Team' }));
    await user.click(await screen.findByRole('option', { name: 'Analytics' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/t/t2/settings/sql-api'));
    await waitFor(() => expect(api.callsOf('SqlCredentials')).toContainEqual({ teamId: 't2' }));
    expect(screen.getByRole('combobox', { name: 'Team' })).toHaveValue('Analytics');
  });

  it('says a team that is not the viewer’s is not found, never showing another team', async () => {
    const api = mockGraphQL({ Viewer: () => ({ viewer: { ...viewer, invitations: [] } }) });
    renderApp('/t/someone-elses/settings/sql-api');
    expect(await screen.findByRole('heading', { name: 'Team not found' })).toBeInTheDocument();
    expect(api.callsOf('SqlCredentials')).toHaveLength(0);
  });

  it('sends old links to the same screen of the last team used', async () => {
    mockGraphQL({
      Viewer: () => ({ viewer: { ...viewer, teams: [...viewer.teams, shared], invitations: [] } }),
      SqlCredentials: ({ teamId }) => credentialsOf(String(teamId)),
    });
    localStorage.setItem('metricsql.teamId', 't2');
    const { router } = renderApp('/settings/sql-api');
    await waitFor(() => expect(router.state.location.pathname).toBe('/t/t2/settings/sql-api'));
    localStorage.removeItem('metricsql.teamId');
  });
});

describe("an invited member's path", () => {
  it('accepts in the app, lands on the SQL API page of the team and creates their own credential', async () => {
    let joined = false;
    const invitation = { id: 'i1', role: 'MEMBER', invitedBy: 'Grace', expiresAt: '2026-12-20T00:00:00Z', team: { id: 't2', name: 'Analytics' } };
    const api = mockGraphQL({
      Viewer: () => ({
        viewer: { ...viewer, teams: joined ? [...viewer.teams, shared] : viewer.teams, invitations: joined ? [] : [invitation] },
      }),
      DataSources: () => ({ team: { id: 't1', dataSources: [] } }),
      AcceptInvitation: () => {
        joined = true;
        return { acceptInvitation: { __typename: 'Team', id: 't2', name: 'Analytics', viewerRole: 'MEMBER' } };
      },
      SqlCredentials: ({ teamId }) => credentialsOf(String(teamId)),
    });
    const { user, router } = renderApp('/t/t1/data-sources');
    const offer = await screen.findByRole('region', { name: 'Pending invitations' });
    expect(offer).toHaveTextContent('Grace invites you to Analytics as Member.');
    await user.click(within(offer).getByRole('button', { name: 'Accept' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/t/t2/settings/sql-api'));
    expect(api.callsOf('AcceptInvitation')).toEqual([{ input: { invitationId: 'i1' } }]);

    // Their own credential, not the owner's setup: no wizard in the navigation, no admin refusal.
    const mine = await screen.findByRole('region', { name: 'Your SQL access' });
    expect(mine).toHaveTextContent('Get your SQL credential for Analytics');
    expect(screen.queryByRole('link', { name: 'Onboarding' })).not.toBeInTheDocument();
    expect(document.body.textContent).not.toMatch(/needs the admin role/);
    await user.click(within(mine).getByRole('button', { name: 'Create my credential' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create SQL API credentials' });
    expect(within(dialog).getByRole('combobox', { name: /Team member/ })).toBeDisabled();
  });

  it('never shows a member the setup wizard', async () => {
    mockGraphQL({
      Viewer: () => ({ viewer: { ...viewer, teams: [shared], invitations: [] } }),
      SqlCredentials: ({ teamId }) => credentialsOf(String(teamId)),
    });
    const { router } = renderApp('/t/t2/onboarding?step=source');
    await waitFor(() => expect(router.state.location.pathname).toBe('/t/t2/settings/sql-api'));
    expect(screen.queryByRole('button', { name: 'Use demo data' })).not.toBeInTheDocument();
  });
});
