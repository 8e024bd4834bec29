import { createContext, type ReactNode, useContext, useMemo, useState } from 'react';
import type { ViewerQuery } from '@/gql/graphql';

type Viewer = NonNullable<ViewerQuery['viewer']>;
type ViewerTeam = Viewer['teams'][number];

type CurrentTeam = { viewer: Viewer; team: ViewerTeam; setTeamId: (id: string) => void };

const CurrentTeamContext = createContext<CurrentTeam | null>(null);
const STORAGE_KEY = 'metricsql.teamId';

function readStoredTeamId(): string | null {
  try {
    return localStorage.getItem(STORAGE_KEY);
  } catch {
    return null;
  }
}

/** The team the screens act on: the last one chosen, else the viewer's first (personal) team. */
export function CurrentTeamProvider({ viewer, children }: { viewer: Viewer; children: ReactNode }) {
  const [teamId, setTeamIdState] = useState<string | null>(readStoredTeamId);
  const team = viewer.teams.find((t) => t.id === teamId) ?? viewer.teams[0];
  const value = useMemo(
    () =>
      team
        ? {
            viewer,
            team,
            setTeamId: (id: string) => {
              setTeamIdState(id);
              try {
                localStorage.setItem(STORAGE_KEY, id);
              } catch {
                // Private mode: the choice lasts for this page only.
              }
            },
          }
        : null,
    [viewer, team],
  );
  return <CurrentTeamContext.Provider value={value}>{children}</CurrentTeamContext.Provider>;
}

export function useCurrentTeam(): CurrentTeam {
  const value = useContext(CurrentTeamContext);
  if (!value) throw new Error('useCurrentTeam needs a CurrentTeamProvider with at least one team');
  return value;
}
