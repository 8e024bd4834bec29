import { ActionIcon, CopyButton, Group, Text, TextInput, Tooltip } from '@mantine/core';
import { IconCheck, IconCopy } from '@tabler/icons-react';
import { useId } from 'react';

type CopyFieldProps = {
  label: string;
  /** What the copy button copies. */
  value: string;
  /** What the page shows, when it differs (a masked secret); the value itself stays out of the DOM. */
  display?: string;
  onCopy?: () => void;
};

/** A read-only value with a copy button that always copies the full value. */
export function CopyField({ label, value, display = value, onCopy }: CopyFieldProps) {
  const id = useId();
  return (
    <TextInput
      id={id}
      label={label}
      value={display}
      readOnly
      styles={{ input: { fontFamily: 'var(--mantine-font-family-monospace)' } }}
      rightSectionWidth={36}
      rightSection={<CopyValueButton label={label} value={value} onCopy={onCopy} />}
    />
  );
}

export function CopyValueButton({ label, value, onCopy }: { label: string; value: string; onCopy?: () => void }) {
  return (
    <CopyButton value={value} timeout={1500}>
      {({ copied, copy }) => (
        <Tooltip label={copied ? 'Copied' : 'Copy'}>
          <ActionIcon
            variant="subtle"
            color={copied ? 'teal' : 'gray'}
            aria-label={`Copy ${label}`}
            onClick={() => {
              copy();
              onCopy?.();
            }}
          >
            {copied ? <IconCheck size={16} /> : <IconCopy size={16} />}
          </ActionIcon>
        </Tooltip>
      )}
    </CopyButton>
  );
}

type CopyCodeProps = { label: string; code: string; display?: string; onCopy?: () => void };

/** A block of code (a command, a snippet) with a copy button; `display` may mask a secret in it. */
export function CopyCode({ label, code, display = code, onCopy }: CopyCodeProps) {
  return (
    <div>
      <Group justify="space-between" mb={4} wrap="nowrap">
        <Text size="sm" fw={500}>
          {label}
        </Text>
        <CopyValueButton label={label} value={code} onCopy={onCopy} />
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
        {display}
      </Text>
    </div>
  );
}
