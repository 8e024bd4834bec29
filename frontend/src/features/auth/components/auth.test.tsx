import { screen, waitFor } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { viewer } from '@/testing/fixtures';
import { mockGraphQL, userError } from '@/testing/graphql-mock';
import { renderApp } from '@/testing/render';

describe('sign up and log in', () => {
  it('sends a visitor without a session to log in', async () => {
    mockGraphQL({ Viewer: () => ({ viewer: null }) });
    const { router } = renderApp('/settings/sql-api');
    expect(await screen.findByRole('heading', { name: 'Log in' })).toBeInTheDocument();
    expect(router.state.location.pathname).toBe('/login');
  });

  it('signs up and continues to onboarding', async () => {
    let signedIn = false;
    const api = mockGraphQL({
      Viewer: () => ({ viewer: signedIn ? viewer : null }),
      DataSources: () => ({ team: { id: 't1', dataSources: [] } }),
      SignUp: () => {
        signedIn = true;
        return { signUp: { __typename: 'AuthPayload', viewer } };
      },
    });
    const { user, router } = renderApp('/signup');
    await user.type(await screen.findByLabelText(/Name/), 'Ada');
    await user.type(screen.getByLabelText(/Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/Password/), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    // The personal team's wizard, its team in the URL.
    await waitFor(() => expect(router.state.location.pathname).toBe('/t/t1/onboarding'));
    expect(api.callsOf('SignUp')).toEqual([
      { input: { displayName: 'Ada', email: 'ada@example.com', password: 'correct horse battery' } },
    ]);
    expect(await screen.findByRole('button', { name: 'Use demo data' })).toBeInTheDocument();
  });

  it('shows a refusal at the field it concerns', async () => {
    mockGraphQL({
      Viewer: () => ({ viewer: null }),
      SignUp: () => ({ signUp: userError('This email already has an account', 'email', 'EMAIL_TAKEN') }),
    });
    const { user } = renderApp('/signup');
    await user.type(await screen.findByLabelText(/Name/), 'Ada');
    await user.type(screen.getByLabelText(/Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/Password/), 'correct horse battery');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('This email already has an account')).toBeInTheDocument();
    expect(screen.getByLabelText(/Email/)).toHaveAttribute('aria-invalid', 'true');
  });

  it('checks the form before sending it', async () => {
    const api = mockGraphQL({ Viewer: () => ({ viewer: null }) });
    const { user } = renderApp('/signup');
    await user.type(await screen.findByLabelText(/Email/), 'not-an-email');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('Enter a valid email address.')).toBeInTheDocument();
    expect(api.callsOf('SignUp')).toHaveLength(0);
  });

  it("asks for the server's password rule: 10 characters, not 8", async () => {
    const api = mockGraphQL({
      Viewer: () => ({ viewer: null }),
      SignUp: () => ({ signUp: { __typename: 'AuthPayload', viewer } }),
    });
    const { user } = renderApp('/signup');
    expect(await screen.findByText('At least 10 characters')).toBeInTheDocument();
    await user.type(screen.getByLabelText(/Name/), 'Ada');
    await user.type(screen.getByLabelText(/Email/), 'ada@example.com');
    const password = screen.getByLabelText(/Password/);
    await user.type(password, 'ninechars'); // 9 characters: the old form let it through
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('Use a password of at least 10 characters.')).toBeInTheDocument();
    await user.clear(password);
    await user.type(password, 'aaaaaaaaab'); // long enough, but only 2 distinct characters
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    expect(await screen.findByText('That password is too easy to guess.')).toBeInTheDocument();
    expect(api.callsOf('SignUp')).toHaveLength(0);
    await user.clear(password);
    await user.type(password, 'tencharsok');
    await user.click(screen.getByRole('button', { name: 'Create account' }));
    await waitFor(() => expect(api.callsOf('SignUp')).toHaveLength(1));
  });

  it('logs in, or says why not', async () => {
    let signedIn = false;
    let attempts = 0;
    mockGraphQL({
      Viewer: () => ({ viewer: signedIn ? viewer : null }),
      SqlCredentials: () => ({ sqlCredentials: [], team: { id: 't1', members: [], dataSources: [] } }),
      LogIn: () => {
        attempts += 1;
        if (attempts === 1) return { logIn: userError('Wrong email or password', null, 'AUTH_FAILED') };
        signedIn = true;
        return { logIn: { __typename: 'AuthPayload', viewer } };
      },
    });
    const { user, router } = renderApp('/settings/sql-api');
    await user.type(await screen.findByLabelText(/Email/), 'ada@example.com');
    await user.type(screen.getByLabelText(/Password/), 'nope');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    expect(await screen.findByRole('alert')).toHaveTextContent('Wrong email or password');
    await user.click(screen.getByRole('button', { name: 'Log in' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/settings/sql-api'));
  });
});
