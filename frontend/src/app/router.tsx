import { createBrowserRouter, createMemoryRouter, Navigate, type RouteObject } from 'react-router-dom';
import { AppLayout } from './layouts/AppLayout';
import { LogInRoute, SignUpRoute } from './routes/auth';
import { DataSourcesRoute } from './routes/data-sources';
import { HomeRoute } from './routes/home';
import { ModelsRoute } from './routes/models';
import { OnboardingRoute } from './routes/onboarding';
import { SqlApiRoute } from './routes/settings/sql-api';
import { TeamRoute } from './routes/settings/team';

export const routes: RouteObject[] = [
  { path: '/login', element: <LogInRoute /> },
  { path: '/signup', element: <SignUpRoute /> },
  { path: '/onboarding', element: <OnboardingRoute /> },
  {
    element: <AppLayout />,
    children: [
      { index: true, element: <HomeRoute /> },
      { path: 'settings', element: <Navigate to="/settings/sql-api" replace /> },
      { path: 'settings/sql-api', element: <SqlApiRoute /> },
      { path: 'settings/team', element: <TeamRoute /> },
      { path: 'data-sources', element: <DataSourcesRoute /> },
      { path: 'models', element: <ModelsRoute /> },
      { path: 'models/:dataSourceId', element: <ModelsRoute /> },
    ],
  },
  { path: '*', element: <Navigate to="/" replace /> },
];

export function createAppRouter(initialPath?: string) {
  return initialPath ? createMemoryRouter(routes, { initialEntries: [initialPath] }) : createBrowserRouter(routes);
}
