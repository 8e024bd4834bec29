import { screen, within } from '@testing-library/react';
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

describe('model editor', () => {
  it('shows the live version and puts validation problems at their lines', async () => {
    const calls = api();
    const { user } = renderApp('/models/ds1');
    const editor = await screen.findByRole('textbox', { name: 'Model file orders.yml' });
    expect(editor).toHaveValue(code);
    expect(screen.getByText(/Version 3/)).toBeInTheDocument();

    await user.click(screen.getByRole('button', { name: 'Save new version' }));
    const alert = await screen.findByRole('alert');
    expect(alert).toHaveTextContent('orders.yml:5');
    expect(alert).toHaveTextContent('unknown column statuz');
    const marked = document.querySelector('[data-line="5"]');
    expect(marked).toHaveAttribute('data-error', 'true');
    expect(marked).toHaveAttribute('title', 'unknown column statuz');
    expect(document.querySelector('[data-line="4"]')).not.toHaveAttribute('data-error');
    expect(calls.callsOf('CreateModelVersion')).toEqual([{ input: { dataSourceId: 'ds1', files: [{ name: 'orders.yml', code }] } }]);

    // Jumping to the problem selects the offending line in the editor.
    await user.click(within(alert).getByRole('button'));
    const el = editor as HTMLTextAreaElement;
    expect(el.value.slice(el.selectionStart, el.selectionEnd)).toBe('      - { name: status, sql: statuz, type: string }');
  });
});
