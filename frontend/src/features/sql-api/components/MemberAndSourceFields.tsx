import { Select, SimpleGrid } from '@mantine/core';
import type { TeamCredentials } from '../api/sql-credentials';

type TeamChoices = Pick<TeamCredentials, 'members' | 'dataSources'>;

type Props = {
  team: TeamChoices;
  memberId: string | null;
  dataSourceId: string | null;
  onMemberChange: (id: string | null) => void;
  onDataSourceChange: (id: string | null) => void;
  errors?: { memberId?: string; dataSourceId?: string };
  /** Set for a plain member: they may bind a credential only to themselves. */
  onlyMemberId?: string | null;
};

export function memberLabel(member: { user: { displayName: string; email: string } }): string {
  return `${member.user.displayName} (${member.user.email})`;
}

/** The two choices a credential binds: whose permissions, and which data source. */
export function MemberAndSourceFields({
  team,
  memberId,
  dataSourceId,
  onMemberChange,
  onDataSourceChange,
  errors,
  onlyMemberId,
}: Props) {
  const members = onlyMemberId ? team.members.filter((m) => m.id === onlyMemberId) : team.members;
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <Select
        label="Team member"
        placeholder="Pick a member"
        required
        searchable
        comboboxProps={{ withinPortal: true }}
        data={members.map((m) => ({ value: m.id, label: memberLabel(m) }))}
        disabled={onlyMemberId != null}
        description={onlyMemberId ? 'Members create credentials for themselves' : undefined}
        value={memberId}
        onChange={onMemberChange}
        error={errors?.memberId}
      />
      <Select
        label="Data source"
        placeholder="Pick a data source"
        required
        comboboxProps={{ withinPortal: true }}
        data={team.dataSources.map((d) => ({ value: d.id, label: d.name }))}
        value={dataSourceId}
        onChange={onDataSourceChange}
        error={errors?.dataSourceId}
      />
    </SimpleGrid>
  );
}
