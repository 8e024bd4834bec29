import { Alert, Button, Group, Stack, Text } from '@mantine/core';
import { IconAlertTriangle } from '@tabler/icons-react';
import { useEffect, useState } from 'react';

/**
 * Keeps a one-time password from being lost by accident. Until the password has been copied
 * or downloaded, closing (Escape, the backdrop, the close button, Finish) asks first, and
 * leaving the page triggers the browser's own warning.
 */
export function useSecretGuard(active: boolean) {
  const [kept, setKept] = useState(false);
  const [confirming, setConfirming] = useState(false);
  const guarding = active && !kept;

  useEffect(() => {
    if (!guarding) return;
    const warn = (event: BeforeUnloadEvent) => {
      event.preventDefault();
      // Older browsers show the prompt only when returnValue is set.
      event.returnValue = '';
    };
    window.addEventListener('beforeunload', warn);
    return () => window.removeEventListener('beforeunload', warn);
  }, [guarding]);

  return {
    kept,
    confirming,
    markKept: () => setKept(true),
    /** Closes at once when nothing would be lost; otherwise shows the confirmation. */
    requestClose: (close: () => void) => {
      if (guarding) setConfirming(true);
      else close();
    },
    stay: () => setConfirming(false),
  };
}

export const LOSE_SECRET_TITLE = 'Close without saving the password?';

/** The confirmation shown in place of the password while the guard asks. */
export function LoseSecretConfirm({ onStay, onLeave }: { onStay: () => void; onLeave: () => void }) {
  return (
    <Stack>
      <Alert color="yellow" icon={<IconAlertTriangle size={16} />} role="alert">
        <Text size="sm" fw={700}>
          The password is not saved anywhere
        </Text>
        <Text size="sm">
          You have not copied or downloaded the password. It is shown only once: after closing, the only way to get a
          password is to rotate it, which stops the current one.
        </Text>
      </Alert>
      <Group justify="flex-end">
        <Button variant="default" onClick={onLeave}>
          Close without it
        </Button>
        <Button onClick={onStay} data-autofocus>
          Back to the password
        </Button>
      </Group>
    </Stack>
  );
}
