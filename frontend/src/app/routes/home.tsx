import { Navigate } from 'react-router-dom';
import { ErrorAlert, LoadingState } from '@/components/ui/States';
import { useDataSources } from '@/features/data-sources/api/data-sources';
import { useCurrentTeam } from '../providers/current-team';

/** `/`: the last team used (or the personal one). */
export function HomeRoute() {
  const { teamPath } = useCurrentTeam();
  return <Navigate to={teamPath('')} replace />;
}

/** A team's start: owners and admins of a team without data sources set it up; everyone else —
 * a member invited into the team above all — starts on the SQL API page, where their own
 * credential is. A member never lands in the owner's setup wizard. */
export function TeamHomeRoute() {
  const { team, teamPath } = useCurrentTeam();
  const dataSources = useDataSources(team.id);
  if (team.role === 'MEMBER') return <Navigate to={teamPath('/settings/sql-api')} replace />;
  if (dataSources.isPending) return <LoadingState />;
  if (dataSources.isError) return <ErrorAlert error={dataSources.error} />;
  return <Navigate to={teamPath(dataSources.data.length ? '/settings/sql-api' : '/onboarding')} replace />;
}
