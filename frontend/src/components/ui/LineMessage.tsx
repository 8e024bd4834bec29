import { Text } from '@mantine/core';

export type LineMarker = { line: number; message: string };

/** "line N: message", apart from the editor so that it renders before CodeMirror has loaded. */
export function LineMessage({ line, message }: LineMarker) {
  return (
    <Text size="sm" component="span">
      <Text span ff="monospace" fw={700}>
        line {line}
      </Text>
      : {message}
    </Text>
  );
}
