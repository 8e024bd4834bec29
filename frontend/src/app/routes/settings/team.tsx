import { TeamSettings } from '@/features/teams/components/TeamSettings';
import { useCurrentTeam } from '../../providers/current-team';

export function TeamRoute() {
  const { team, viewer } = useCurrentTeam();
  return <TeamSettings key={team.id} teamId={team.id} viewerId={viewer.id} viewerRole={team.role} />;
}
