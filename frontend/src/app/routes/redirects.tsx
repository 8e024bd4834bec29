import { Navigate, useLocation } from 'react-router-dom';
import { useCurrentTeam } from '../providers/current-team';

/** An old team-less path (`/settings/sql-api`) → the same screen of the current team. */
export function LegacyRedirect({ to }: { to?: string }) {
  const { teamPath } = useCurrentTeam();
  const location = useLocation();
  return <Navigate to={teamPath(to ?? location.pathname) + location.search} replace />;
}

export function NotFoundRedirect() {
  return <Navigate to="/" replace />;
}
