import { defaultKeymap, history, historyKeymap, indentWithTab } from '@codemirror/commands';
import { yaml } from '@codemirror/lang-yaml';
import { bracketMatching, HighlightStyle, indentOnInput, syntaxHighlighting } from '@codemirror/language';
import { type Diagnostic, lintGutter, setDiagnostics } from '@codemirror/lint';
import { Compartment, EditorState, type Extension, RangeSetBuilder, StateEffect, StateField } from '@codemirror/state';
import { Decoration, type DecorationSet, drawSelection, EditorView, highlightActiveLine, keymap, lineNumbers } from '@codemirror/view';
import { tags } from '@lezer/highlight';
import { Box } from '@mantine/core';
import { forwardRef, useEffect, useImperativeHandle, useRef } from 'react';

import type { LineMarker } from './LineMessage';

export type { LineMarker };

export type CodeEditorHandle = { goToLine: (line: number) => void };

export type CodeEditorProps = {
  label: string;
  value: string;
  onChange: (value: string) => void;
  markers?: LineMarker[];
  minLines?: number;
  readOnly?: boolean;
};

const LINE_HEIGHT = 20;

// Colours chosen for at least 4.5:1 contrast on white (the axe audit checks every screen).
const highlight = HighlightStyle.define([
  { tag: [tags.propertyName, tags.definition(tags.propertyName)], color: '#1c4f8c' },
  { tag: [tags.string, tags.special(tags.string)], color: '#8a1c1c' },
  { tag: [tags.number, tags.bool, tags.null, tags.keyword], color: '#6a2a9c' },
  { tag: [tags.comment, tags.lineComment], color: '#4d5a45', fontStyle: 'italic' },
  { tag: [tags.meta, tags.labelName, tags.typeName], color: '#7a4a00' },
  { tag: tags.invalid, color: '#b00020' },
]);

const theme = EditorView.theme({
  '&': { fontSize: '13px', border: '1px solid var(--mantine-color-gray-4)', borderRadius: '4px' },
  '&.cm-focused': { outline: '2px solid var(--mantine-color-blue-6)', outlineOffset: '1px' },
  '.cm-scroller': { fontFamily: 'var(--mantine-font-family-monospace)', lineHeight: `${LINE_HEIGHT}px`, maxHeight: '70vh', overflow: 'auto' },
  '.cm-content, .cm-gutter': { minHeight: `${20 * LINE_HEIGHT}px` },
  '.cm-gutters': { background: 'var(--mantine-color-gray-0)', color: 'var(--mantine-color-gray-7)', borderRight: '1px solid var(--mantine-color-gray-3)' },
  '.cm-activeLine': { background: 'rgba(34, 139, 230, 0.06)' },
  '.cm-problem-line': { background: 'var(--mantine-color-red-0)' },
});

// The problem lines as line decorations carrying the message, so that they are marked even
// where the lint gutter is not shown, and can be found by tests and assistive tooling.
const setProblemLines = StateEffect.define<LineMarker[]>();
const problemLines = StateField.define<DecorationSet>({
  create: () => Decoration.none,
  update(decorations, tr) {
    let next = decorations.map(tr.changes);
    for (const effect of tr.effects) {
      if (!effect.is(setProblemLines)) continue;
      const byLine = new Map<number, string[]>();
      for (const m of effect.value) {
        if (m.line >= 1 && m.line <= tr.state.doc.lines) byLine.set(m.line, [...(byLine.get(m.line) ?? []), m.message]);
      }
      const builder = new RangeSetBuilder<Decoration>();
      for (const line of [...byLine.keys()].sort((a, b) => a - b)) {
        const from = tr.state.doc.line(line).from;
        const attributes = { class: 'cm-problem-line', 'data-line': String(line), 'data-error': 'true', title: byLine.get(line)!.join('\n') };
        builder.add(from, from, Decoration.line({ attributes }));
      }
      next = builder.finish();
    }
    return next;
  },
  provide: (field) => EditorView.decorations.from(field),
});

function diagnostics(state: EditorState, markers: LineMarker[]): Diagnostic[] {
  return markers
    .filter((m) => m.line >= 1 && m.line <= state.doc.lines)
    .map((m) => {
      const line = state.doc.line(m.line);
      return { from: line.from, to: line.to, severity: 'error', message: m.message };
    });
}

/** CodeMirror 6 with YAML highlighting; `markers` are the server's problems, marked on their lines. */
export const CodeEditor = forwardRef<CodeEditorHandle, CodeEditorProps>(function CodeEditor(
  { label, value, onChange, markers = [], minLines = 20, readOnly = false },
  ref,
) {
  const host = useRef<HTMLDivElement>(null);
  const view = useRef<EditorView | null>(null);
  const onChangeRef = useRef(onChange);
  const editable = useRef(new Compartment());
  useEffect(() => {
    onChangeRef.current = onChange;
  }, [onChange]);

  // Made once; later prop changes are applied by the effects below, not by a new editor
  // (a new one would lose the cursor, the history and the scroll position).
  useEffect(() => {
    const extensions: Extension[] = [
      lineNumbers(),
      lintGutter(),
      history(),
      drawSelection(),
      highlightActiveLine(),
      indentOnInput(),
      bracketMatching(),
      yaml(),
      syntaxHighlighting(highlight),
      keymap.of([...defaultKeymap, ...historyKeymap, indentWithTab]),
      problemLines,
      theme,
      // tabindex: the scrolling region must be reachable from the keyboard (axe checks it).
      EditorView.contentAttributes.of({ 'aria-label': label, tabindex: '0' }),
      EditorState.tabSize.of(2),
      editable.current.of([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
      EditorView.updateListener.of((update) => {
        if (update.docChanged) onChangeRef.current(update.state.doc.toString());
      }),
    ];
    const created = new EditorView({ parent: host.current!, state: EditorState.create({ doc: value, extensions }) });
    view.current = created;
    return () => {
      created.destroy();
      view.current = null;
    };
    // eslint-disable-next-line react-hooks/exhaustive-deps -- made once, see above
  }, []);

  useEffect(() => {
    const v = view.current;
    if (v && v.state.doc.toString() !== value) {
      v.dispatch({ changes: { from: 0, to: v.state.doc.length, insert: value } });
    }
  }, [value]);

  useEffect(() => {
    view.current?.dispatch({
      effects: editable.current.reconfigure([EditorState.readOnly.of(readOnly), EditorView.editable.of(!readOnly)]),
    });
  }, [readOnly]);

  const markerKey = JSON.stringify(markers);
  useEffect(() => {
    const v = view.current;
    if (!v) return;
    v.dispatch(setDiagnostics(v.state, diagnostics(v.state, markers)));
    v.dispatch({ effects: setProblemLines.of(markers) });
    // markerKey stands for markers: a new array with the same problems changes nothing.
    // eslint-disable-next-line react-hooks/exhaustive-deps
  }, [markerKey, value]);

  useImperativeHandle(ref, () => ({
    goToLine(line: number) {
      const v = view.current;
      if (!v) return;
      const target = v.state.doc.line(Math.min(Math.max(1, line), v.state.doc.lines));
      v.dispatch({ selection: { anchor: target.from, head: target.to }, scrollIntoView: true });
      v.focus();
    },
  }));

  return <Box ref={host} mih={minLines * LINE_HEIGHT} />;
});
