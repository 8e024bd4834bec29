import { ActionIcon, Badge, Button, Card, Group, Select, Stack, Table, Text, TextInput, Title, Tooltip } from '@mantine/core';
import { useForm } from '@mantine/form';
import { IconTrash, IconUserPlus, IconX } from '@tabler/icons-react';
import { useState } from 'react';
import { ConfirmDialog } from '@/components/ui/ConfirmDialog';
import { ErrorAlert, LoadingState } from '@/components/ui/States';
import type { TeamRole } from '@/gql/graphql';
import { titleCase } from '@/lib/format';
import { UserErrorException } from '@/lib/graphql';
import { useCancelInvitation } from '../api/cancel-invitation';
import { useInviteMember } from '../api/invite-member';
import { useRemoveMember } from '../api/remove-member';
import { useTeamMembers } from '../api/team-members';
import { useUpdateMemberRole } from '../api/update-member-role';
import { useUpdateModelAuthoring } from '../api/update-model-authoring';

const ROLES: { value: TeamRole; label: string }[] = [
  { value: 'OWNER', label: 'Owner' },
  { value: 'ADMIN', label: 'Admin' },
  { value: 'MEMBER', label: 'Member' },
];
// Nobody becomes owner by invitation: they join, then an owner promotes them.
const INVITE_ROLES = ROLES.filter((r) => r.value !== 'OWNER');
const AUTHORS: { value: TeamRole; label: string }[] = [
  { value: 'OWNER', label: 'Owners' },
  { value: 'ADMIN', label: 'Owners and admins' },
  { value: 'MEMBER', label: 'Everyone' },
];

type TeamSettingsProps = { teamId: string; viewerId: string; viewerRole: TeamRole };

/** Settings > Team: members and their roles, invitations, removal. */
export function TeamSettings({ teamId, viewerId, viewerRole }: TeamSettingsProps) {
  const team = useTeamMembers(teamId);
  const updateRole = useUpdateMemberRole(teamId);
  const remove = useRemoveMember(teamId);
  const cancel = useCancelInvitation(teamId);
  const [removing, setRemoving] = useState<{ id: string; name: string } | null>(null);
  const canManage = viewerRole === 'OWNER' || viewerRole === 'ADMIN';

  if (team.isPending) return <LoadingState label="Loading the team…" />;
  if (team.isError) return <ErrorAlert error={team.error} title="Could not load the team" />;
  const { members, invitations } = team.data;

  return (
    <Stack>
      <div>
        <Title order={2}>Team</Title>
        <Text size="sm" c="dimmed">
          {team.data.name}: owners manage everything, admins manage members and resources, members read and manage their own
          credentials.
        </Text>
      </div>
      {canManage && <InviteForm teamId={teamId} />}
      <ModelAuthoring teamId={teamId} authorRole={team.data.modelAuthorRole} isOwner={viewerRole === 'OWNER'} />
      <ErrorAlert error={updateRole.error} title="Could not change the role" />
      <Card withBorder padding={0}>
        <Table.ScrollContainer minWidth={360}>
          <Table verticalSpacing="sm" aria-label="Team members">
            <Table.Thead>
              <Table.Tr>
                <Table.Th>Member</Table.Th>
                <Table.Th>Role</Table.Th>
                <Table.Th w={48}>
                  <span className="visually-hidden">Actions</span>
                </Table.Th>
              </Table.Tr>
            </Table.Thead>
            <Table.Tbody>
              {members.map((m) => (
                <Table.Tr key={m.id}>
                  <Table.Td>
                    <Text size="sm" fw={500} component="div">
                      {m.user.displayName} {m.user.id === viewerId && <Badge size="xs">you</Badge>}
                    </Text>
                    <Text size="xs" c="dimmed">
                      {m.user.email}
                    </Text>
                  </Table.Td>
                  <Table.Td>
                    {canManage && m.user.id !== viewerId ? (
                      <Select
                        aria-label={`Role of ${m.user.displayName}`}
                        size="xs"
                        w={130}
                        data={ROLES}
                        value={m.role}
                        allowDeselect={false}
                        onChange={(role) => role && updateRole.mutate({ memberId: m.id, role: role as TeamRole })}
                      />
                    ) : (
                      <Badge variant="light">{titleCase(m.role)}</Badge>
                    )}
                  </Table.Td>
                  <Table.Td>
                    {canManage && m.user.id !== viewerId && (
                      <Tooltip label="Remove from team">
                        <ActionIcon
                          variant="subtle"
                          color="red"
                          aria-label={`Remove ${m.user.displayName}`}
                          onClick={() => setRemoving({ id: m.id, name: m.user.displayName })}
                        >
                          <IconTrash size={16} />
                        </ActionIcon>
                      </Tooltip>
                    )}
                  </Table.Td>
                </Table.Tr>
              ))}
            </Table.Tbody>
          </Table>
        </Table.ScrollContainer>
      </Card>
      {invitations.length > 0 && (
        <Card withBorder>
          <Text fw={600} mb="xs">
            Pending invitations
          </Text>
          <ErrorAlert error={cancel.error} title="Could not cancel the invitation" />
          <Stack gap="xs">
            {invitations.map((inv) => (
              <Group key={inv.id} justify="space-between">
                <Text size="sm" component="div">
                  {inv.email} <Badge size="xs" variant="light">{titleCase(inv.role)}</Badge>
                </Text>
                {canManage && (
                  <ActionIcon variant="subtle" color="gray" aria-label={`Cancel invitation of ${inv.email}`} onClick={() => cancel.mutate(inv.id)}>
                    <IconX size={16} />
                  </ActionIcon>
                )}
              </Group>
            ))}
          </Stack>
        </Card>
      )}
      <ConfirmDialog
        opened={removing != null}
        title="Remove member"
        confirmLabel="Remove"
        loading={remove.isPending}
        error={remove.error}
        onClose={() => {
          setRemoving(null);
          remove.reset();
        }}
        onConfirm={() => removing && remove.mutate(removing.id, { onSuccess: () => setRemoving(null) })}
      >
        Remove <b>{removing?.name}</b> from the team? Their SQL API credentials stop working and their open sessions are
        closed.
      </ConfirmDialog>
    </Stack>
  );
}

function InviteForm({ teamId }: { teamId: string }) {
  const invite = useInviteMember(teamId);
  const [notice, setNotice] = useState<string | null>(null);
  const form = useForm<{ email: string; role: TeamRole }>({
    initialValues: { email: '', role: 'MEMBER' },
    validate: { email: (v) => (/^\S+@\S+\.\S+$/.test(v) ? null : 'Enter a valid email address') },
  });
  return (
    <Card withBorder>
      <form
        noValidate
        aria-label="Invite a member"
        onSubmit={form.onSubmit((values) => {
          setNotice(null);
          invite.mutate(values, {
            onSuccess: (result) => {
              setNotice(
                result.__typename === 'Invitation'
                  ? `Invitation for ${values.email} sent: they join once they accept it (within 14 days).`
                  : `${values.email} joined the team.`,
              );
              form.reset();
            },
            onError: (error) => {
              if (error instanceof UserErrorException && error.field === 'email') form.setFieldError('email', error.message);
            },
          });
        })}
      >
        <Group align="flex-end" wrap="wrap">
          <TextInput label="Email" type="email" required style={{ flex: 1, minWidth: 200 }} {...form.getInputProps('email')} />
          <Select label="Role" data={INVITE_ROLES} w={130} allowDeselect={false} {...form.getInputProps('role')} />
          <Button type="submit" leftSection={<IconUserPlus size={16} />} loading={invite.isPending}>
            Invite
          </Button>
        </Group>
        {!(invite.error instanceof UserErrorException && invite.error.field === 'email') && (
          <ErrorAlert error={invite.error} title="Could not invite" />
        )}
        {notice && (
          <Text size="sm" c="teal.9" mt="xs" role="status">
            {notice}
          </Text>
        )}
      </form>
    </Card>
  );
}

/** Who may publish models, and why such roles cannot also have an access list. */
function ModelAuthoring({ teamId, authorRole, isOwner }: { teamId: string; authorRole: TeamRole; isOwner: boolean }) {
  const update = useUpdateModelAuthoring(teamId);
  const label = AUTHORS.find((a) => a.value === authorRole)?.label ?? authorRole;
  return (
    <Card withBorder aria-label="Model authoring" component="section">
      <Text fw={600}>Model authoring</Text>
      <Text size="sm" c="dimmed" mb="xs">
        A model&apos;s SQL runs as the data source&apos;s own database user, so whoever may publish models can read
        everything that user can. That is why a role that may author models cannot be restricted by an access list:
        to restrict admins, let only owners author models first. Everyone else sees only the cubes their access list
        allows, never the model files.
      </Text>
      {isOwner ? (
        <Select
          label="Who may publish models"
          data={AUTHORS}
          value={authorRole}
          w={220}
          allowDeselect={false}
          onChange={(role) => role && update.mutate(role as TeamRole)}
        />
      ) : (
        <Text size="sm">Who may publish models: {label}.</Text>
      )}
      <ErrorAlert error={update.error} title="Could not change who may author models" />
    </Card>
  );
}
