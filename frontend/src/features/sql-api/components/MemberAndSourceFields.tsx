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
};

export function memberLabel(member: { user: { displayName: string; email: string } }): string {
  return `${member.user.displayName} (${member.user.email})`;
}

/** The two choices a credential binds: whose permissions, and which data source. */
export function MemberAndSourceFields({ team, memberId, dataSourceId, onMemberChange, onDataSourceChange, errors }: Props) {
  return (
    <SimpleGrid cols={{ base: 1, sm: 2 }}>
      <Select
        label="Team member"
        placeholder="Pick a member"
        required
        searchable
        comboboxProps={{ withinPortal: true }}
        data={team.members.map((m) => ({ value: m.id, label: memberLabel(m) }))}
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
