import { createContext, type ReactNode, useContext, useMemo } from 'react';
import { useLocation, useNavigate } from 'react-router-dom';
import type { ViewerQuery } from '@/gql/graphql';

type Viewer = NonNullable<ViewerQuery['viewer']>;
type ViewerTeam = Viewer['teams'][number];

type CurrentTeam = {
  viewer: Viewer;
  team: ViewerTeam;
  /** Switch team, staying on the same kind of screen (`/t/<id>/settings/team` → `/t/<new>/settings/team`). */
  setTeamId: (id: string) => void;
  /** A path inside the current team: `teamPath('/data-sources')` → `/t/<id>/data-sources`. */
  teamPath: (sub: string) => string;
};

const CurrentTeamContext = createContext<CurrentTeam | null>(null);
const STORAGE_KEY = 'metricsql.teamId';

export function readStoredTeamId(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

function storeTeamId(id: string) {
  try {
    localStorage.setItem(STORAGE_KEY, id);
  } catch {
    // Private mode: the URL still says which team.
  }
}

export const teamPathOf = (teamId: string, sub = '') => `/t/${encodeURIComponent(teamId)}${sub}`;

/** Screens that name a team's own objects in their path: switching team leaves them. */
function subPathForOtherTeam(sub: string): string {
  if (sub.startsWith('/models/')) return '/models';
  return sub;
}

/** The team the screens act on: the one in the URL (`/t/:teamId/...`), else the last one
 * chosen, else the viewer's first (personal) team. `teamId` from the URL that is not one of
 * the viewer's teams gives no team (the layout says so), never another team silently. */
export function pickTeam(viewer: Viewer, urlTeamId: string | undefined): ViewerTeam | undefined {
  if (urlTeamId !== undefined) return viewer.teams.find((t) => t.id === urlTeamId);
  const stored = readStoredTeamId();
  return viewer.teams.find((t) => t.id === stored) ?? viewer.teams[0];
}

export function CurrentTeamProvider({ viewer, team, children }: { viewer: Viewer; team: ViewerTeam; children: ReactNode }) {
  const navigate = useNavigate();
  const location = useLocation();
  const value = useMemo<CurrentTeam>(() => {
    const prefix = teamPathOf(team.id);
    return {
      viewer,
      team,
      teamPath: (sub: string) => teamPathOf(team.id, sub),
      setTeamId: (id: string) => {
        storeTeamId(id);
        const sub = location.pathname.startsWith(prefix) ? location.pathname.slice(prefix.length) : '';
        navigate(teamPathOf(id, subPathForOtherTeam(sub)));
      },
    };
  }, [viewer, team, navigate, location.pathname]);
  return <CurrentTeamContext.Provider value={value}>{children}</CurrentTeamContext.Provider>;
}

/** Remember the team of the URL as the last one used (for `/` and old links). */
export function rememberTeam(id: string) {
  storeTeamId(id);
}

export function useCurrentTeam(): CurrentTeam {
  const value = useContext(CurrentTeamContext);
  if (!value) throw new Error('useCurrentTeam needs a CurrentTeamProvider');
  return value;
}
