import { Button, Card, Group, Stack, Text } from '@mantine/core';
import { ErrorAlert } from '@/components/ui/States';
import type { ViewerQuery } from '@/gql/graphql';
import { titleCase } from '@/lib/format';
import { useAcceptInvitation } from '../api/accept-invitation';
import { useDeclineInvitation } from '../api/decline-invitation';

type Invitation = NonNullable<ViewerQuery['viewer']>['invitations'][number];

/** Invitations addressed to the viewer: nobody joins a team without accepting here. */
export function PendingInvitations({ invitations, onJoined }: { invitations: Invitation[] | undefined; onJoined?: (teamId: string) => void }) {
  const accept = useAcceptInvitation();
  const decline = useDeclineInvitation();
  if (!invitations?.length) return null;
  return (
    <Card withBorder mb="md" aria-label="Pending invitations" component="section">
      <Text fw={600} mb="xs">
        Invitations
      </Text>
      <ErrorAlert error={accept.error ?? decline.error} title="Could not answer the invitation" />
      <Stack gap="xs">
        {invitations.map((inv) => (
          <Group key={inv.id} justify="space-between" wrap="wrap">
            <Text size="sm">
              {inv.invitedBy ?? 'Someone'} invites you to <b>{inv.team.name}</b> as {titleCase(inv.role)}.
            </Text>
            <Group gap="xs">
              <Button
                size="xs"
                loading={accept.isPending && accept.variables === inv.id}
                onClick={() => accept.mutate(inv.id, { onSuccess: (team) => onJoined?.(team.id) })}
              >
                Accept
              </Button>
              <Button
                size="xs"
                variant="default"
                loading={decline.isPending && decline.variables === inv.id}
                onClick={() => decline.mutate(inv.id)}
              >
                Decline
              </Button>
            </Group>
          </Group>
        ))}
      </Stack>
    </Card>
  );
}
