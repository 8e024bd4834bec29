import { Navigate } from 'react-router-dom';
import { ErrorAlert, LoadingState } from '@/components/ui/States';
import { useDataSources } from '@/features/data-sources/api/data-sources';
import { useCurrentTeam } from '../providers/current-team';

/** A team without data sources starts in onboarding; everyone else on the SQL API page. */
export function HomeRoute() {
  const { team } = useCurrentTeam();
  const dataSources = useDataSources(team.id);
  if (dataSources.isPending) return <LoadingState />;
  if (dataSources.isError) return <ErrorAlert error={dataSources.error} />;
  return <Navigate to={dataSources.data.length ? '/settings/sql-api' : '/onboarding'} replace />;
}
