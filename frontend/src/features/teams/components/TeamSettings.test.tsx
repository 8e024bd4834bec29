import { screen, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { members, viewer } from '@/testing/fixtures';
import { mockGraphQL, userError } from '@/testing/graphql-mock';
import { renderApp } from '@/testing/render';

const team = (extra: Partial<{ members: unknown[]; invitations: unknown[] }> = {}) => ({
  team: { id: 't1', name: 'Ada personal', modelAuthorRole: 'ADMIN', members, invitations: [], ...extra },
});

describe('Settings > Team', () => {
  it('lists members with their roles', async () => {
    mockGraphQL({ Viewer: () => ({ viewer }), TeamMembers: () => team() });
    renderApp('/settings/team');
    const table = await screen.findByRole('table', { name: 'Team members' });
    expect(within(table).getByText('bob@example.com')).toBeInTheDocument();
    expect(within(table).getByRole('combobox', { name: 'Role of Bob' })).toHaveValue('Member');
  });

  it('invites by email and reports a pending invitation', async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer }),
      TeamMembers: () => team(),
      InviteMember: () => ({ inviteMember: { __typename: 'Invitation', id: 'i1', email: 'cy@example.com', role: 'ADMIN' } }),
    });
    const { user } = renderApp('/settings/team');
    const form = await screen.findByRole('form', { name: 'Invite a member' });
    await user.type(within(form).getByLabelText(/Email/), 'cy@example.com');
    await user.click(within(form).getByRole('combobox', { name: 'Role' }));
    await user.click(await screen.findByRole('option', { name: 'Admin' }));
    await user.click(within(form).getByRole('button', { name: 'Invite' }));
    expect(await screen.findByText(/Invitation for cy@example.com sent: they join once they accept it/)).toBeInTheDocument();
    expect(api.callsOf('InviteMember')).toEqual([{ input: { teamId: 't1', email: 'cy@example.com', role: 'ADMIN' } }]);
  });

  it('asks before removing a member and shows a refusal in the dialog', async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer }),
      TeamMembers: () => team(),
      RemoveMember: () => ({ removeMember: userError('An admin cannot remove the owner', null, 'FORBIDDEN') }),
    });
    const { user } = renderApp('/settings/team');
    await user.click(await screen.findByRole('button', { name: 'Remove Bob' }));
    const dialog = await screen.findByRole('dialog', { name: 'Remove member' });
    expect(api.callsOf('RemoveMember')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Remove' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('An admin cannot remove the owner');
    expect(api.callsOf('RemoveMember')).toEqual([{ input: { memberId: 'm2' } }]);
  });

  it('shows members read-only to a member', async () => {
    mockGraphQL({
      Viewer: () => ({ viewer: { ...viewer, teams: [{ id: 't1', name: 'Shared', role: 'MEMBER', personal: false }] } }),
      TeamMembers: () => team(),
    });
    renderApp('/settings/team');
    await screen.findByRole('table', { name: 'Team members' });
    expect(screen.queryByRole('form', { name: 'Invite a member' })).not.toBeInTheDocument();
    expect(screen.queryByRole('button', { name: 'Remove Bob' })).not.toBeInTheDocument();
  });

  it('never offers the owner role in an invitation', async () => {
    mockGraphQL({ Viewer: () => ({ viewer }), TeamMembers: () => team() });
    const { user } = renderApp('/settings/team');
    const form = await screen.findByRole('form', { name: 'Invite a member' });
    await user.click(within(form).getByRole('combobox', { name: 'Role' }));
    expect(await screen.findByRole('option', { name: 'Admin' })).toBeInTheDocument();
    expect(screen.queryByRole('option', { name: 'Owner' })).not.toBeInTheDocument();
  });

  it('lets an owner choose who authors models and says why an author cannot be restricted', async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer }),
      TeamMembers: () => team(),
      UpdateModelAuthoring: () => ({ updateModelAuthoring: { __typename: 'Team', id: 't1', modelAuthorRole: 'OWNER' } }),
    });
    const { user } = renderApp('/settings/team');
    const card = await screen.findByRole('region', { name: 'Model authoring' });
    expect(card).toHaveTextContent(/cannot be restricted by an access list/);
    await user.click(within(card).getByRole('combobox', { name: 'Who may publish models' }));
    await user.click(await screen.findByRole('option', { name: 'Owners' }));
    expect(api.callsOf('UpdateModelAuthoring')).toEqual([{ input: { teamId: 't1', authorRole: 'OWNER' } }]);
  });

  it('shows the invitee their invitations and accepts one', async () => {
    const invited = {
      ...viewer,
      invitations: [{ id: 'i9', role: 'MEMBER', invitedBy: 'Cy', expiresAt: '2026-12-20T10:00:00Z', team: { id: 't9', name: 'Sales' } }],
    };
    const api = mockGraphQL({
      Viewer: () => ({ viewer: invited }),
      TeamMembers: () => team(),
      AcceptInvitation: () => ({ acceptInvitation: { __typename: 'Team', id: 't9', name: 'Sales', viewerRole: 'MEMBER' } }),
    });
    const { user } = renderApp('/settings/team');
    const box = await screen.findByRole('region', { name: 'Pending invitations' });
    expect(box).toHaveTextContent('Cy invites you to Sales as Member.');
    await user.click(within(box).getByRole('button', { name: 'Accept' }));
    expect(api.callsOf('AcceptInvitation')).toEqual([{ input: { invitationId: 'i9' } }]);
  });
});
