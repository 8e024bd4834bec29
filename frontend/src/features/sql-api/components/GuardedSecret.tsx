import { Button, Group, Stack } from '@mantine/core';
import type { ComponentProps } from 'react';
import { ConnectionDetails } from './ConnectionDetails';
import { LoseSecretConfirm, type useSecretGuard } from './SecretGuard';

type Secret = {
  credential: ComponentProps<typeof ConnectionDetails>['credential'];
  password: string;
  downloadToken?: string | null;
};

/**
 * A one-time password with its connection details and a Finish button, behind the guard:
 * while the guard asks, the confirmation shows and the panel stays mounted (hidden), so going
 * back keeps it as it was. Shared by create, rotate and onboarding.
 */
export function GuardedSecret({
  secret,
  guard,
  onDone,
}: {
  secret: Secret;
  guard: ReturnType<typeof useSecretGuard>;
  onDone: () => void;
}) {
  return (
    <>
      {guard.confirming && <LoseSecretConfirm onStay={guard.stay} onLeave={onDone} />}
      <Stack display={guard.confirming ? 'none' : undefined}>
        <ConnectionDetails
          credential={secret.credential}
          password={secret.password}
          downloadToken={secret.downloadToken}
          onPasswordKept={guard.markKept}
        />
        <Group justify="flex-end">
          <Button onClick={() => guard.requestClose(onDone)}>Finish</Button>
        </Group>
      </Stack>
    </>
  );
}
