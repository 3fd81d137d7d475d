// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen, waitFor, within } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { MAX_ROWS } from '../../renderer/components/virtual';
import { FakeApp, makeBuckets, signedIn } from './fake-api';
import { renderApp } from './render';

afterEach(cleanup);

function withBuckets(
  buckets: ReturnType<typeof makeBuckets> | { code: 'OSS_ACCESS_DENIED'; message: string },
): FakeApp {
  const app = new FakeApp();
  app.profiles = [signedIn({ id: 'p1', name: 'prod' })];
  app.activeProfileId = 'p1';
  app.buckets.set('p1', buckets);
  return app;
}

/** The bucket rows (the header row, in its own row group, left out). */
const bodyRows = () =>
  within(screen.getByTestId('bucket-scroll'))
    .queryAllByRole('row')
    .filter((row) => row.getAttribute('aria-rowindex') !== '1');

describe('the buckets pane', () => {
  it('shows progress while pages arrive, then the count', async () => {
    const app = withBuckets(makeBuckets(2500));
    app.holdBuckets = true;
    renderApp(app);
    expect(await screen.findByText('Loading buckets…')).toBeTruthy();
    act(() => app.emit('buckets-progress', { profileId: 'p1', page: 2, received: 2000, truncated: true }));
    expect(screen.getByText('Loading: page 2, 2,000 buckets so far…')).toBeTruthy();
    act(() => app.emit('buckets-progress', { profileId: 'p1', page: 3, received: 2500, truncated: false }));
    await act(async () =>
      app.pendingBuckets?.resolve({
        ok: true,
        value: { profileId: 'p1', endpoint: 'x', owner: { id: '1', displayName: '' }, buckets: makeBuckets(2500) },
      }),
    );
    expect(screen.getByRole('heading', { name: 'Buckets (2,500)' })).toBeTruthy();
    expect(screen.getByText('All 2,500 buckets loaded.')).toBeTruthy();
  });

  it(`keeps at most ${MAX_ROWS} rows in the DOM with 10,000 buckets, and scrolls through them`, async () => {
    renderApp(withBuckets(makeBuckets(10_000)));
    const table = await screen.findByRole('table', { name: 'Buckets of prod' });
    expect(table.getAttribute('aria-rowcount')).toBe('10001');
    expect(bodyRows().length).toBeGreaterThan(10);
    expect(bodyRows().length).toBeLessThanOrEqual(MAX_ROWS);
    expect(bodyRows()[0]!.textContent).toContain('bucket-00000');
    const scroller = screen.getByTestId('bucket-scroll');
    fireEvent.scroll(scroller, { target: { scrollTop: 32 * 5000 } });
    expect(bodyRows().length).toBeLessThanOrEqual(MAX_ROWS);
    const names = bodyRows().map((row) => row.querySelector('.bucket-name')?.textContent);
    expect(names).toContain('bucket-05000');
    expect(names).not.toContain('bucket-00000');
    expect(document.querySelectorAll('[role="row"]').length).toBeLessThanOrEqual(MAX_ROWS + 1);
  });

  it('filters (Ctrl+F focuses the box) and says when nothing matches', async () => {
    const user = userEvent.setup();
    renderApp(withBuckets(makeBuckets(300)));
    await screen.findByRole('table');
    fireEvent.keyDown(window, { key: 'f', ctrlKey: true });
    const filter = screen.getByRole('searchbox', { name: 'Filter buckets' });
    expect(document.activeElement).toBe(filter);
    await user.type(filter, 'bucket-0012');
    expect(bodyRows().map((row) => row.querySelector('.bucket-name')?.textContent)).toEqual(
      Array.from({ length: 10 }, (_, i) => `bucket-0012${i}`),
    );
    expect(screen.getByText(/10 of 300 shown/)).toBeTruthy();
    await user.type(filter, 'zz');
    expect(screen.getByText('No bucket matches “bucket-0012zz”.')).toBeTruthy();
  });

  it('sorts by each column, both ways', async () => {
    const user = userEvent.setup();
    renderApp(withBuckets(makeBuckets(30)));
    await screen.findByRole('table');
    const header = (name: string) => screen.getByRole('columnheader', { name: new RegExp(name) });
    expect(header('Name').getAttribute('aria-sort')).toBe('ascending');
    await user.click(within(header('Name')).getByRole('button'));
    expect(header('Name').getAttribute('aria-sort')).toBe('descending');
    expect(bodyRows()[0]!.textContent).toContain('bucket-00029');
    await user.click(within(header('Storage class')).getByRole('button'));
    expect(header('Storage class').getAttribute('aria-sort')).toBe('ascending');
    expect(header('Name').getAttribute('aria-sort')).toBe('none');
    expect(bodyRows()[0]!.textContent).toContain('Archive');
    await user.click(within(header('Created')).getByRole('button'));
    expect(bodyRows()[0]!.textContent).toContain('2020-01-01');
    await user.click(within(header('Region')).getByRole('button'));
    expect(bodyRows()[0]!.textContent).toContain('ap-southeast-1');
  });

  it('says so when the account has no buckets', async () => {
    renderApp(withBuckets([]));
    expect(await screen.findByText('This account has no buckets yet.')).toBeTruthy();
  });

  it('explains an OSS refusal (the missing RAM permission) and refreshes on request', async () => {
    const user = userEvent.setup();
    const app = withBuckets({ code: 'OSS_ACCESS_DENIED', message: 'AccessDenied from OSS.' });
    renderApp(app);
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('The buckets could not be listed');
    expect(alert.textContent).toContain('oss:ListBuckets');
    expect(screen.getByRole('heading', { name: 'prod' })).toBeTruthy();
    app.buckets.set('p1', makeBuckets(3));
    await user.click(screen.getByRole('button', { name: 'Refresh' }));
    await waitFor(() => expect(screen.getByRole('heading', { name: 'Buckets (3)' })).toBeTruthy());
    expect(app.callsTo('buckets:list')).toEqual([{ id: 'p1' }, { id: 'p1' }]);
  });

  it('asks to sign in on a signed-out profile, without listing', async () => {
    const app = withBuckets(makeBuckets(3));
    app.profiles = [{ ...app.profiles[0]!, status: 'signed-out' }];
    renderApp(app);
    expect(await screen.findByText('Sign in to see the buckets of this profile.')).toBeTruthy();
    expect(app.callsTo('buckets:list')).toEqual([]);
  });
});
