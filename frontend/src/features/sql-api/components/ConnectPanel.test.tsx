import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it, vi } from 'vitest';
import { credential, dataSources, members, secret, viewer } from '@/testing/fixtures';
import { mockGraphQL } from '@/testing/graphql-mock';
import { renderApp } from '@/testing/render';

const PASSWORD = 'Zq7-unique-s3cret';

function api() {
  return mockGraphQL({
    Viewer: () => ({ viewer }),
    SqlCredentials: () => ({ sqlCredentials: [credential()], team: { id: 't1', members, dataSources } }),
    RotateSqlCredentialPassword: () => ({ rotateSqlCredentialPassword: secret(PASSWORD) }),
  });
}

/** Opens Rotate password on the credential and confirms, as a user would. */
async function rotated() {
  const calls = api();
  const rendered = renderApp('/settings/sql-api');
  const { user } = rendered;
  await user.click(await screen.findByRole('button', { name: 'Settings for 4x4qg8ei76' }));
  await user.click(await screen.findByRole('menuitem', { name: 'Rotate password' }));
  await user.click(within(await screen.findByRole('dialog', { name: 'Rotate password' })).getByRole('button', { name: 'Rotate password' }));
  const dialog = await screen.findByRole('dialog', { name: 'New password' });
  return { ...rendered, calls, dialog };
}

async function chooseFormat(user: ReturnType<typeof renderApp>['user'], dialog: HTMLElement, label: string) {
  await user.click(within(dialog).getByRole('combobox', { name: /Connect with/ }));
  await user.click(await screen.findByRole('option', { name: label }));
}

/** Lets a copy button's "Copied" state time out inside act (it resets after 1.5 s). */
const copiedStateSettles = () => act(() => new Promise((resolve) => setTimeout(resolve, 1600)));

const everythingOnThePage = () => document.body.innerHTML + document.body.textContent;

describe('Connect panel', () => {
  it('keeps the password out of the page until revealed, in every format', async () => {
    const { user, dialog } = await rotated();
    const formats = ['psql', 'URI', 'JDBC', 'SQLAlchemy / pandas', 'Jupyter', '.env', 'Tableau', 'Metabase', 'Power BI', 'DBeaver', 'Superset', 'Hex'];
    for (const protocol of ['PSQL', 'MYSQL']) {
      await user.click(within(dialog).getByRole('radio', { name: protocol }));
      for (const format of formats) {
        await chooseFormat(user, dialog, protocol === 'MYSQL' && format === 'psql' ? 'mysql' : format);
        // Not in text, not in an input's value, not in an attribute.
        expect(everythingOnThePage(), `${protocol} ${format}`).not.toContain(PASSWORD);
        for (const input of document.querySelectorAll('input')) expect(input.value).not.toContain(PASSWORD);
      }
    }
    await chooseFormat(user, dialog, 'mysql');
    await user.click(within(dialog).getByRole('button', { name: 'Show password' }));
    expect(within(dialog).getByLabelText('Password')).toHaveValue(PASSWORD);
    expect(within(dialog).getByLabelText('MySQL client connection')).toHaveTextContent(`MYSQL_PWD='${PASSWORD}'`);
    await user.click(within(dialog).getByRole('button', { name: 'Hide password' }));
    expect(everythingOnThePage()).not.toContain(PASSWORD);
  }, 90_000);

  it('copies the full text with the real password while it is masked', async () => {
    const { user, dialog } = await rotated();
    await user.click(within(dialog).getByRole('button', { name: 'Copy Password' }));
    expect(await navigator.clipboard.readText()).toBe(PASSWORD);
    await copiedStateSettles();
    await chooseFormat(user, dialog, 'URI');
    await user.click(within(dialog).getByRole('button', { name: 'Copy URI connection' }));
    expect(await navigator.clipboard.readText()).toBe(`postgresql://4x4qg8ei76:${PASSWORD}@sql.example.com:15432/db?sslmode=require`);
    await copiedStateSettles();
    await chooseFormat(user, dialog, 'Metabase');
    await user.click(within(dialog).getByRole('button', { name: 'Copy Metabase: Password' }));
    expect(await navigator.clipboard.readText()).toBe(PASSWORD);
    await copiedStateSettles();
  });

  it('shows a complete MySQL panel, whatever format was chosen before', async () => {
    const { user, dialog } = await rotated();
    await chooseFormat(user, dialog, 'psql');
    await user.click(within(dialog).getByRole('radio', { name: 'MYSQL' }));
    // The psql choice becomes the mysql command instead of an empty panel.
    expect(within(dialog).getByLabelText('MySQL client connection')).toHaveTextContent('mysql -h sql.example.com -P 13306 -u 4x4qg8ei76 --ssl db');
    expect(within(dialog).getByLabelText('Port')).toHaveValue('13306');
    await chooseFormat(user, dialog, 'JDBC');
    expect(within(dialog).getByLabelText('JDBC connection')).toHaveTextContent('sslMode=REQUIRED');
    await chooseFormat(user, dialog, 'DBeaver');
    expect(within(dialog).getByLabelText('DBeaver: Host')).toHaveValue('sql.example.com');
    expect(within(dialog).getByLabelText('DBeaver: Port')).toHaveValue('13306');
    await user.click(within(dialog).getByRole('radio', { name: 'PSQL' }));
    expect(within(dialog).getByLabelText('DBeaver: Port')).toHaveValue('15432');
    expect(within(dialog).getByLabelText('DBeaver: SSL: SSL mode')).toHaveValue('require');
  });

  it('asks before closing a password that was neither copied nor downloaded', async () => {
    const { user, dialog } = await rotated();
    await user.keyboard('{Escape}');
    const asking = await screen.findByRole('dialog', { name: 'Close without saving the password?' });
    expect(asking).toBeInTheDocument();
    await user.click(within(asking).getByRole('button', { name: 'Back to the password' }));
    expect(await screen.findByRole('dialog', { name: 'New password' })).toBeInTheDocument();
    await user.click(within(dialog).getByRole('button', { name: 'Finish' }));
    await user.click(await screen.findByRole('button', { name: 'Close without it' }));
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('closes at once once the password was copied', async () => {
    const { user, dialog } = await rotated();
    await user.click(within(dialog).getByRole('button', { name: 'Copy Password' }));
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('sends the token with every download while the dialog is open, and counts a download as kept', async () => {
    const { user, dialog, calls } = await rotated();
    const posted: { url: string; body: Record<string, string> }[] = [];
    calls.onOtherFetch((url, init) => {
      posted.push({ url, body: Object.fromEntries(new URLSearchParams(String(init?.body))) });
      return new Response('{}', { status: 200, headers: { 'Content-Disposition': 'attachment; filename="credentials.json"' } });
    });
    vi.stubGlobal('URL', Object.assign(URL, { createObjectURL: () => 'blob:x', revokeObjectURL: () => {} }));
    const clicked = vi.spyOn(HTMLAnchorElement.prototype, 'click').mockImplementation(() => {});
    await user.click(within(dialog).getByRole('button', { name: 'Download Credentials' }));
    await user.click(await screen.findByRole('menuitem', { name: 'credentials.json' }));
    await user.click(within(dialog).getByRole('radio', { name: 'MYSQL' }));
    await user.click(within(dialog).getByRole('button', { name: 'Download Credentials' }));
    await user.click(await screen.findByRole('menuitem', { name: '.env' }));
    await waitFor(() => expect(posted).toHaveLength(2));
    expect(posted).toEqual([
      { url: '/api/credentials/c1/download', body: { format: 'json', protocol: 'postgres', token: 'tok123' } },
      { url: '/api/credentials/c1/download', body: { format: 'env', protocol: 'mysql', token: 'tok123' } },
    ]);
    expect(clicked).toHaveBeenCalledTimes(2);
    // Downloaded with the password: closing does not need to ask.
    await user.keyboard('{Escape}');
    await waitFor(() => expect(screen.queryByRole('dialog')).not.toBeInTheDocument());
  });

  it('shows a refused download in the dialog instead of leaving the page', async () => {
    const { user, dialog, calls } = await rotated();
    calls.onOtherFetch(
      () => new Response(JSON.stringify({ error: { code: 'INVALID_INPUT', message: 'This download link has expired', field: 'token' } }), { status: 400 }),
    );
    await user.click(within(dialog).getByRole('button', { name: 'Download Credentials' }));
    await user.click(await screen.findByRole('menuitem', { name: '.env' }));
    expect(await within(dialog).findByText('This download link has expired')).toBeInTheDocument();
    expect(within(dialog).getByText('Could not download the credentials')).toBeInTheDocument();
  });
});
