import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, createMemoryRouter, type RouteObject } from 'react-router-dom';
import { LoadingState } from '@/components/ui/States';
import { LegacyRedirect, NotFoundRedirect } from './routes/redirects';

// Every screen is its own chunk, loaded when first visited: the first page a visitor opens
// (log in, sign up) downloads neither the signed-in shell nor any other screen.
const AppLayout = lazy(() => import('./layouts/AppLayout').then((m) => ({ default: m.AppLayout })));
const LogInRoute = lazy(() => import('./routes/auth').then((m) => ({ default: m.LogInRoute })));
const SignUpRoute = lazy(() => import('./routes/auth').then((m) => ({ default: m.SignUpRoute })));
const OnboardingEntry = lazy(() => import('./routes/onboarding-entry').then((m) => ({ default: m.OnboardingEntry })));
const OnboardingRoute = lazy(() => import('./routes/onboarding').then((m) => ({ default: m.OnboardingRoute })));
const HomeRoute = lazy(() => import('./routes/home').then((m) => ({ default: m.HomeRoute })));
const TeamHomeRoute = lazy(() => import('./routes/home').then((m) => ({ default: m.TeamHomeRoute })));
const SqlApiRoute = lazy(() => import('./routes/settings/sql-api').then((m) => ({ default: m.SqlApiRoute })));
const TeamRoute = lazy(() => import('./routes/settings/team').then((m) => ({ default: m.TeamRoute })));
const DataSourcesRoute = lazy(() => import('./routes/data-sources').then((m) => ({ default: m.DataSourcesRoute })));
const ModelsRoute = lazy(() => import('./routes/models').then((m) => ({ default: m.ModelsRoute })));

function Screen({ children }: { children: ReactNode }) {
  return <Suspense fallback={<LoadingState />}>{children}</Suspense>;
}

const legacy = ['settings', 'settings/sql-api', 'settings/team', 'data-sources', 'models', 'models/:dataSourceId'];

export const routes: RouteObject[] = [
  { path: '/login', element: <Screen><LogInRoute /></Screen> },
  { path: '/signup', element: <Screen><SignUpRoute /></Screen> },
  // Signed out: the wizard's account step; signed in: the current team's wizard.
  { path: '/onboarding', element: <Screen><OnboardingEntry /></Screen> },
  {
    element: <Screen><AppLayout /></Screen>,
    children: [
      { index: true, element: <Screen><HomeRoute /></Screen> },
      // Links from before teams were in the URL: the same screen of the last team used.
      ...legacy.map((path) => ({ path, element: <LegacyRedirect /> })),
    ],
  },
  {
    path: '/t/:teamId',
    element: <Screen><AppLayout /></Screen>,
    children: [
      { index: true, element: <Screen><TeamHomeRoute /></Screen> },
      { path: 'onboarding', element: <Screen><OnboardingRoute /></Screen> },
      { path: 'settings', element: <LegacyRedirect to="/settings/sql-api" /> },
      { path: 'settings/sql-api', element: <Screen><SqlApiRoute /></Screen> },
      { path: 'settings/team', element: <Screen><TeamRoute /></Screen> },
      { path: 'data-sources', element: <Screen><DataSourcesRoute /></Screen> },
      { path: 'models', element: <Screen><ModelsRoute /></Screen> },
      { path: 'models/:dataSourceId', element: <Screen><ModelsRoute /></Screen> },
    ],
  },
  { path: '*', element: <NotFoundRedirect /> },
];

export function createAppRouter(initialPath?: string) {
  return initialPath ? createMemoryRouter(routes, { initialEntries: [initialPath] }) : createBrowserRouter(routes);
}
