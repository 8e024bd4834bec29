import { EditorView } from '@codemirror/view';
import { act, screen, waitFor, within } from '@testing-library/react';
import { describe, expect, it } from 'vitest';
import { viewer } from '@/testing/fixtures';
import { mockGraphQL } from '@/testing/graphql-mock';
import { renderApp } from '@/testing/render';

const code = `cubes:
  - name: orders
    sql_table: main.orders
    dimensions:
      - { name: status, sql: statuz, type: string }
    measures:
      - { name: count, type: count }
`;

const api = () =>
  mockGraphQL({
    Viewer: () => ({ viewer }),
    DataSources: () => ({
      team: { id: 't1', dataSources: [{ id: 'ds1', name: 'Demo', type: 'DUCKDB', params: {}, hasPassword: false, createdAt: '2026-11-20T09:00:00Z' }] },
    }),
    ModelAccess: () => ({ team: { id: 't1', modelAuthorRole: 'ADMIN', viewerCanAuthorModels: true } }),
    LiveModelVersion: () => ({
      dataSource: { id: 'ds1', models: { id: 'v1', number: 3, createdAt: '2026-11-20T09:00:00Z', files: [{ name: 'orders.yml', code }] } },
    }),
    CreateModelVersion: () => ({
      createModelVersion: {
        __typename: 'UserError',
        code: 'INVALID_MODEL',
        message: '1 problem',
        field: null,
        line: null,
        problems: [{ file: 'orders.yml', line: 5, cube: 'orders', member: 'status', message: 'unknown column statuz' }],
      },
    }),
  });

/** The CodeMirror view behind the editor's text box (its document is the file's text). */
function viewOf(element: HTMLElement): EditorView {
  const view = EditorView.findFromDOM(element);
  if (!view) throw new Error('no CodeMirror view');
  return view;
}

/** Types as a user would: a change in the editor's document. */
function edit(element: HTMLElement, from: string, to: string) {
  const view = viewOf(element);
  const at = view.state.doc.toString().indexOf(from);
  act(() => view.dispatch({ changes: { from: at, to: at + from.length, insert: to } }));
}

describe('model editor', () => {
  it('shows the live version with YAML highlighting and puts validation problems at their lines', async () => {
    const calls = api();
    const { user } = renderApp('/models/ds1');
    const editor = await screen.findByRole('textbox', { name: 'Model file orders.yml' });
    expect(viewOf(editor).state.doc.toString()).toBe(code);
    expect(screen.getByText(/Version 3/)).toBeInTheDocument();
    // Highlighted: YAML keys are tokens of their own, not plain text.
    await waitFor(() => expect(editor.querySelectorAll('span').length).toBeGreaterThan(5));

    // Nothing changed: nothing to save (no empty versions).
    expect(screen.getByRole('button', { name: 'Save new version' })).toBeDisabled();
    expect(screen.getByText('No changes to save')).toBeInTheDocument();

    edit(editor, 'type: count', 'type: count ');
    await user.click(screen.getByRole('button', { name: 'Save new version' }));
    // The changes against the live version first, then the save.
    const review = await screen.findByRole('dialog', { name: 'Review changes' });
    const diff = await within(review).findByRole('region', { name: 'Changes in orders.yml' });
    expect(diff.querySelector('[data-diff="removed"]')).toHaveTextContent('- { name: count, type: count }');
    expect(diff.querySelector('[data-diff="added"]')).toHaveTextContent('- { name: count, type: count }');
    expect(calls.callsOf('CreateModelVersion')).toHaveLength(0);
    await user.click(within(review).getByRole('button', { name: 'Save version 4' }));

    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('orders.yml:5');
    expect(alert).toHaveTextContent('unknown column statuz');
    const marked = document.querySelectorAll('[data-error="true"]');
    expect([...marked].map((m) => m.getAttribute('data-line'))).toEqual(['5']);
    expect(marked[0]).toHaveAttribute('title', 'unknown column statuz');
    expect(calls.callsOf('CreateModelVersion')).toEqual([
      { input: { dataSourceId: 'ds1', files: [{ name: 'orders.yml', code: code.replace('type: count', 'type: count ') }] } },
    ]);

    // Jumping to the problem selects the offending line in the editor.
    await user.click(within(alert).getByRole('button'));
    const { state } = viewOf(editor);
    expect(state.sliceDoc(state.selection.main.from, state.selection.main.to)).toBe('      - { name: status, sql: statuz, type: string }');
  });

  it('asks before in-app navigation discards unsaved edits, and guards a reload', async () => {
    api();
    const { user, router } = renderApp('/models/ds1');
    const editor = await screen.findByRole('textbox', { name: 'Model file orders.yml' });
    const unload = () => {
      const event = new Event('beforeunload', { cancelable: true });
      window.dispatchEvent(event);
      return event.defaultPrevented;
    };
    expect(unload()).toBe(false);
    edit(editor, 'statuz', 'status');
    expect(screen.getByText('Unsaved changes in 1 file')).toBeInTheDocument();
    expect(unload()).toBe(true);

    await user.click(screen.getAllByRole('link', { name: 'Data sources' })[0]!);
    const ask = await screen.findByRole('dialog', { name: 'Leave without saving?' });
    await user.click(within(ask).getByRole('button', { name: 'Stay' }));
    expect(router.state.location.pathname).toBe('/t/t1/models/ds1');
    expect(viewOf(editor).state.doc.toString()).toContain('sql: status,');

    await user.click(screen.getAllByRole('link', { name: 'Data sources' })[0]!);
    await user.click(within(await screen.findByRole('dialog', { name: 'Leave without saving?' })).getByRole('button', { name: 'Leave and discard' }));
    await waitFor(() => expect(router.state.location.pathname).toBe('/t/t1/data-sources'));
  });

  it('reports a save of unchanged files as no new version', async () => {
    const calls = api();
    calls.set('CreateModelVersion', ({ input }) => ({
      createModelVersion: { __typename: 'ModelVersion', id: 'v1', number: 3, files: (input as { files: unknown[] }).files },
    }));
    const { user } = renderApp('/models/ds1');
    const editor = await screen.findByRole('textbox', { name: 'Model file orders.yml' });
    // An edit and its undo by hand: the draft equals the live version again.
    edit(editor, 'statuz', 'status');
    edit(editor, 'status, type', 'statuz, type');
    expect(screen.getByRole('button', { name: 'Save new version' })).toBeDisabled();
    edit(editor, 'statuz', 'status');
    await user.click(screen.getByRole('button', { name: 'Save new version' }));
    await user.click(within(await screen.findByRole('dialog', { name: 'Review changes' })).getByRole('button', { name: 'Save version 4' }));
    // The server answered with the live version (it makes no empty versions): say so.
    expect(await screen.findByText('Version 3 is still live.')).toBeInTheDocument();
  });
});
