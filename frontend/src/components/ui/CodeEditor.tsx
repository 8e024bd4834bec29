import { Box, Text } from '@mantine/core';
import { forwardRef, useImperativeHandle, useRef } from 'react';

export type LineMarker = { line: number; message: string };

export type CodeEditorHandle = { goToLine: (line: number) => void };

type CodeEditorProps = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  markers?: LineMarker[];
  minLines?: number;
  readOnly?: boolean;
};

const LINE_HEIGHT = 20;

/** A plain textarea with a line-number gutter that flags the lines carrying a message. */
export const CodeEditor = forwardRef<CodeEditorHandle, CodeEditorProps>(function CodeEditor(
  { label, value, onChange, markers = [], minLines = 20, readOnly = false },
  ref,
) {
  const textarea = useRef<HTMLTextAreaElement>(null);
  const gutter = useRef<HTMLDivElement>(null);
  const lines = value.split('\n');
  const byLine = new Map<number, string[]>();
  for (const m of markers) byLine.set(m.line, [...(byLine.get(m.line) ?? []), m.message]);

  useImperativeHandle(ref, () => ({
    goToLine(line: number) {
      const el = textarea.current;
      if (!el) return;
      const start = lines.slice(0, Math.max(0, line - 1)).reduce((n, l) => n + l.length + 1, 0);
      el.focus();
      el.setSelectionRange(start, start + (lines[line - 1]?.length ?? 0));
      el.scrollTop = Math.max(0, (line - 3) * LINE_HEIGHT);
    },
  }));

  const height = Math.max(minLines, Math.min(lines.length + 1, 40)) * LINE_HEIGHT + 16;
  const font = { fontFamily: 'var(--mantine-font-family-monospace)', fontSize: 13, lineHeight: `${LINE_HEIGHT}px` };
  return (
    <Box
      style={{
        display: 'flex',
        border: '1px solid var(--mantine-color-gray-4)',
        borderRadius: 4,
        overflow: 'hidden',
        height,
      }}
    >
      <div
        ref={gutter}
        aria-hidden
        style={{ ...font, overflow: 'hidden', padding: '8px 0', background: 'var(--mantine-color-gray-0)', minWidth: 48 }}
      >
        {lines.map((_, i) => {
          const messages = byLine.get(i + 1);
          return (
            <div
              key={i}
              data-line={i + 1}
              data-error={messages ? 'true' : undefined}
              title={messages?.join('\n')}
              style={{
                textAlign: 'right',
                padding: '0 8px',
                height: LINE_HEIGHT,
                color: messages ? 'var(--mantine-color-red-9)' : 'var(--mantine-color-gray-7)',
                background: messages ? 'var(--mantine-color-red-1)' : undefined,
                fontWeight: messages ? 700 : undefined,
              }}
            >
              {messages ? '● ' : ''}
              {i + 1}
            </div>
          );
        })}
      </div>
      <textarea
        ref={textarea}
        aria-label={label}
        value={value}
        readOnly={readOnly}
        spellCheck={false}
        wrap="off"
        onChange={(e) => onChange(e.currentTarget.value)}
        onScroll={(e) => {
          if (gutter.current) gutter.current.scrollTop = e.currentTarget.scrollTop;
        }}
        style={{ ...font, flex: 1, border: 0, padding: 8, resize: 'none', whiteSpace: 'pre', tabSize: 2 }}
      />
    </Box>
  );
});

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
