import { lazy, type ReactNode, Suspense } from 'react';
import { createBrowserRouter, createMemoryRouter, Navigate, type RouteObject } from 'react-router-dom';
import { LoadingState } from '@/components/ui/States';
import { AppLayout } from './layouts/AppLayout';
import { HomeRoute } from './routes/home';

// Every screen is its own chunk, loaded when first visited: the first page a visitor opens
// (log in, sign up) does not download the model editor, the wizard or the settings.
const LogInRoute = lazy(() => import('./routes/auth').then((m) => ({ default: m.LogInRoute })));
const SignUpRoute = lazy(() => import('./routes/auth').then((m) => ({ default: m.SignUpRoute })));
const OnboardingRoute = lazy(() => import('./routes/onboarding').then((m) => ({ default: m.OnboardingRoute })));
const SqlApiRoute = lazy(() => import('./routes/settings/sql-api').then((m) => ({ default: m.SqlApiRoute })));
const TeamRoute = lazy(() => import('./routes/settings/team').then((m) => ({ default: m.TeamRoute })));
const DataSourcesRoute = lazy(() => import('./routes/data-sources').then((m) => ({ default: m.DataSourcesRoute })));
const ModelsRoute = lazy(() => import('./routes/models').then((m) => ({ default: m.ModelsRoute })));

function Screen({ children }: { children: ReactNode }) {
  return <Suspense fallback={<LoadingState />}>{children}</Suspense>;
}

export const routes: RouteObject[] = [
  { path: '/login', element: <Screen><LogInRoute /></Screen> },
  { path: '/signup', element: <Screen><SignUpRoute /></Screen> },
  { path: '/onboarding', element: <Screen><OnboardingRoute /></Screen> },
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <HomeRoute /> },
      { path: 'settings', element: <Navigate to="/settings/sql-api" replace /> },
      { path: 'settings/sql-api', element: <Screen><SqlApiRoute /></Screen> },
      { path: 'settings/team', element: <Screen><TeamRoute /></Screen> },
      { path: 'data-sources', element: <Screen><DataSourcesRoute /></Screen> },
      { path: 'models', element: <Screen><ModelsRoute /></Screen> },
      { path: 'models/:dataSourceId', element: <Screen><ModelsRoute /></Screen> },
    ],
  },
  { path: '*', element: <Navigate to="/" replace /> },
];

export function createAppRouter(initialPath?: string) {
  return initialPath ? createMemoryRouter(routes, { initialEntries: [initialPath] }) : createBrowserRouter(routes);
}
