import { SqlApiSettings } from '@/features/sql-api/components/SqlApiSettings';
import { useCurrentTeam } from '../../providers/current-team';

export function SqlApiRoute() {
  const { team, viewer } = useCurrentTeam();
  return <SqlApiSettings key={team.id} teamId={team.id} teamName={team.name} viewerId={viewer.id} viewerRole={team.role} />;
}
