import { screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { credential, dataSources, members, secret, viewer } from '@/testing/fixtures';
import { mockGraphQL, userError } from '@/testing/graphql-mock';
import { renderApp } from '@/testing/render';

function team(sqlCredentials: unknown[]) {
  return { sqlCredentials, team: { id: 't1', members, dataSources } };
}

describe('Settings > SQL API', () => {
  it('shows each credential as a card with member, data source, last use and sessions', async () => {
    const used = { ...credential({ id: 'c2', username: 'zz9plural0', memberIndex: 1, dataSourceIndex: 1 }), lastUsedAt: '2026-11-26T08:00:00Z', openSessions: 2 };
    mockGraphQL({ Viewer: () => ({ viewer }), SqlCredentials: () => team([credential(), used]) });
    renderApp('/settings/sql-api');

    const card = await screen.findByRole('article', { name: 'SQL credential zz9plural0' });
    expect(within(card).getByText('Bob (bob@example.com)')).toBeInTheDocument();
    expect(within(card).getByText('Warehouse')).toBeInTheDocument();
    expect(within(card).getByText('2 open sessions')).toBeInTheDocument();
    const first = screen.getByRole('article', { name: 'SQL credential 4x4qg8ei76' });
    expect(within(first).getByText('Never')).toBeInTheDocument();
  });

  it('shows an empty state and an error where they happen', async () => {
    const api = mockGraphQL({ Viewer: () => ({ viewer }), SqlCredentials: () => team([]) });
    const { unmount } = renderApp('/settings/sql-api');
    expect(await screen.findByText('No SQL API credentials yet')).toBeInTheDocument();
    unmount();
    api.set('SqlCredentials', () => {
      throw new Error('permission denied');
    });
    renderApp('/settings/sql-api');
    expect(await screen.findByRole('alert')).toHaveTextContent('permission denied');
  });

  it('creates credentials for a chosen member and data source and shows the password once', async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer }),
      SqlCredentials: () => team([]),
      CreateSqlCredential: () => ({ createSqlCredential: secret('s3cret-pass', credential({ memberIndex: 1, dataSourceIndex: 1 })) }),
    });
    const { user } = renderApp('/settings/sql-api');
    await user.click(await screen.findByRole('button', { name: 'Create Now' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create SQL API credentials' });
    await user.click(within(dialog).getByRole('combobox', { name: /Team member/ }));
    await user.click(await screen.findByRole('option', { name: 'Bob (bob@example.com)' }));
    await user.click(within(dialog).getByRole('combobox', { name: /Data source/ }));
    await user.click(await screen.findByRole('option', { name: 'Warehouse' }));
    await user.click(within(dialog).getByRole('button', { name: 'Create' }));

    const access = await screen.findByRole('dialog', { name: 'SQL API access' });
    expect(api.callsOf('CreateSqlCredential')).toEqual([{ input: { memberId: 'm2', dataSourceId: 'ds2' } }]);
    await user.click(within(access).getByRole('button', { name: 'Show password' }));
    expect(within(access).getByLabelText('Password')).toHaveValue('s3cret-pass');
    expect(within(access).getByLabelText('Login')).toHaveValue('4x4qg8ei76');
    expect(within(access).getByLabelText('Port')).toHaveValue('15432');
  });

  it('edits a credential from the gear menu: moves it to another member and data source', async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer }),
      SqlCredentials: () => team([credential()]),
      UpdateSqlCredential: () => ({ updateSqlCredential: { __typename: 'SqlCredential', ...credential({ memberIndex: 1 }) } }),
    });
    const { user } = renderApp('/settings/sql-api');
    await user.click(await screen.findByRole('button', { name: 'Settings for 4x4qg8ei76' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit 4x4qg8ei76' });
    // Connection details are there; the password is not.
    expect(within(dialog).getByLabelText('Host')).toHaveValue('sql.example.com');
    expect(within(dialog).queryByLabelText('Password')).not.toBeInTheDocument();
    await user.click(within(dialog).getByRole('radio', { name: 'MYSQL' }));
    expect(within(dialog).getByLabelText('Port')).toHaveValue('13306');

    await user.click(within(dialog).getByRole('combobox', { name: /Team member/ }));
    await user.click(await screen.findByRole('option', { name: 'Bob (bob@example.com)' }));
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
    expect(api.callsOf('UpdateSqlCredential')).toEqual([{ input: { id: 'c1', memberId: 'm2', dataSourceId: 'ds1' } }]);
  });

  it('shows a refusal inside the edit dialog', async () => {
    mockGraphQL({
      Viewer: () => ({ viewer }),
      SqlCredentials: () => team([credential()]),
      UpdateSqlCredential: () => ({ updateSqlCredential: userError('Only owners and admins can do that', null, 'FORBIDDEN') }),
    });
    const { user } = renderApp('/settings/sql-api');
    await user.click(await screen.findByRole('button', { name: 'Settings for 4x4qg8ei76' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Edit' }));
    const dialog = await screen.findByRole('dialog', { name: 'Edit 4x4qg8ei76' });
    await user.click(within(dialog).getByRole('combobox', { name: /Data source/ }));
    await user.click(await screen.findByRole('option', { name: 'Warehouse' }));
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    expect(await within(dialog).findByRole('alert')).toHaveTextContent('Only owners and admins can do that');
  });

  it('rotates the password after confirmation and shows the new one', async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer }),
      SqlCredentials: () => team([credential()]),
      RotateSqlCredentialPassword: () => ({ rotateSqlCredentialPassword: secret('brand-new-pass') }),
    });
    const { user } = renderApp('/settings/sql-api');
    await user.click(await screen.findByRole('button', { name: 'Settings for 4x4qg8ei76' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Rotate password' }));
    const dialog = await screen.findByRole('dialog', { name: 'Rotate password' });
    expect(api.callsOf('RotateSqlCredentialPassword')).toHaveLength(0);
    await user.click(within(dialog).getByRole('button', { name: 'Rotate password' }));
    const shown = await screen.findByRole('dialog', { name: 'New password' });
    // Masked until revealed; the one reveal control shows it.
    expect(within(shown).getByLabelText('Password')).not.toHaveValue('brand-new-pass');
    await user.click(within(shown).getByRole('button', { name: 'Show password' }));
    expect(within(shown).getByLabelText('Password')).toHaveValue('brand-new-pass');
    expect(await screen.findByText('Password rotated')).toBeInTheDocument();
    expect(api.callsOf('RotateSqlCredentialPassword')).toEqual([{ input: { id: 'c1' } }]);
  });

  it('deletes only after confirmation', async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer }),
      SqlCredentials: () => team([credential()]),
      DeleteSqlCredential: () => ({ deleteSqlCredential: { __typename: 'SqlCredential', id: 'c1' } }),
    });
    const { user } = renderApp('/settings/sql-api');
    await user.click(await screen.findByRole('button', { name: 'Settings for 4x4qg8ei76' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    const dialog = await screen.findByRole('dialog', { name: 'Delete SQL API credentials' });
    await user.click(within(dialog).getByRole('button', { name: 'Cancel' }));
    expect(api.callsOf('DeleteSqlCredential')).toHaveLength(0);

    api.set('SqlCredentials', () => team([]));
    await user.click(screen.getByRole('button', { name: 'Settings for 4x4qg8ei76' }));
    await user.click(await screen.findByRole('menuitem', { name: 'Delete' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Delete SQL API credentials' })).getByRole('button', { name: 'Delete' }));
    expect(await screen.findByText('No SQL API credentials yet')).toBeInTheDocument();
    expect(api.callsOf('DeleteSqlCredential')).toEqual([{ input: { id: 'c1' } }]);
    expect(screen.getByText('Credentials deleted')).toBeInTheDocument();
  });

  it('works from the keyboard: the gear menu, a labelled dialog, Escape to close', async () => {
    mockGraphQL({ Viewer: () => ({ viewer }), SqlCredentials: () => team([credential()]) });
    const { user } = renderApp('/settings/sql-api');
    const gear = await screen.findByRole('button', { name: 'Settings for 4x4qg8ei76' });
    gear.focus();
    await user.keyboard('{Enter}');
    await screen.findByRole('menuitem', { name: 'Edit' });
    await user.keyboard('{ArrowDown}{ArrowDown}{Enter}');
    const dialog = await screen.findByRole('dialog', { name: 'Rotate password' });
    expect(dialog).toHaveAttribute('aria-modal', 'true');
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('offers a plain member only themselves as the credential holder', async () => {
    const asBob = { ...viewer, id: 'u2', teams: [{ id: 't1', name: 'Shared', role: 'MEMBER', personal: false }] };
    mockGraphQL({ Viewer: () => ({ viewer: asBob }), SqlCredentials: () => team([]) });
    const { user } = renderApp('/settings/sql-api');
    await user.click(await screen.findByRole('button', { name: 'Create Now' }));
    const dialog = await screen.findByRole('dialog', { name: 'Create SQL API credentials' });
    const member = within(dialog).getByRole('combobox', { name: /Team member/ });
    expect(member).toBeDisabled();
    expect(member).toHaveValue('Bob (bob@example.com)');
  });
});
