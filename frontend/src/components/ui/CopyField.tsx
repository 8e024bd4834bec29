import { ActionIcon, CopyButton, Group, Text, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy, IconEye, IconEyeOff } from '@tabler/icons-react';
import { useId, useState } from 'react';

type CopyFieldProps = { label: string; value: string; secret?: boolean; multiline?: boolean };

/** A read-only value with a copy button; a secret stays masked until revealed. */
export function CopyField({ label, value, secret = false }: CopyFieldProps) {
  const [revealed, setRevealed] = useState(!secret);
  const id = useId();
  return (
    <TextInput
      id={id}
      label={label}
      value={value}
      readOnly
      type={revealed ? 'text' : 'password'}
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      rightSectionWidth={secret ? 64 : 36}
      rightSection={
        <Group gap={2} wrap="nowrap">
          {secret && (
            <Tooltip label={revealed ? 'Hide' : 'Show'}>
              <ActionIcon
                variant="subtle"
                color="gray"
                aria-label={`${revealed ? 'Hide' : 'Show'} ${label}`}
                onClick={() => setRevealed((r) => !r)}
              >
                {revealed ? <IconEyeOff size={16} /> : <IconEye size={16} />}
              </ActionIcon>
            </Tooltip>
          )}
          <CopyValueButton label={label} value={value} />
        </Group>
      }
    />
  );
}

export function CopyValueButton({ label, value }: { label: string; value: string }) {
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : 'Copy'}>
          <ActionIcon variant="subtle" color={copied ? 'teal' : 'gray'} aria-label={`Copy ${label}`} onClick={copy}>
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

/** A block of code (a command, a snippet) with a copy button. */
export function CopyCode({ label, code }: { label: string; code: string }) {
  return (
    <div>
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <CopyValueButton label={label} value={code} />
      </Group>
      <Text
        component="pre"
        aria-label={label}
        p="sm"
        fz="xs"
        ff="monospace"
        bg="var(--mantine-color-gray-0)"
        style={{ whiteSpace: 'pre-wrap', wordBreak: 'break-all', borderRadius: 4, margin: 0 }}
      >
        {code}
      </Text>
    </div>
  );
}
