// @vitest-environment happy-dom
import { act, cleanup, fireEvent, screen } from '@testing-library/react';
import userEvent from '@testing-library/user-event';
import { afterEach, describe, expect, it } from 'vitest';
import { ROW_HEIGHT } from '../../renderer/components/virtual';
import { FakeApp, makeBuckets, signedIn } from './fake-api';
import { renderApp } from './render';

afterEach(cleanup);

function withBuckets(count: number): FakeApp {
  const app = new FakeApp();
  app.profiles = [signedIn({ id: 'p1', name: 'prod' })];
  app.activeProfileId = 'p1';
  app.buckets.set('p1', makeBuckets(count));
  return app;
}

const rowCopies = () => [...document.querySelectorAll<HTMLButtonElement>('.bucket-body button.copy')];
const focusedRow = () => (document.activeElement as HTMLElement | null)?.dataset.row;

describe('the bucket table from the keyboard', () => {
  it('has one Tab stop for all the rows’ Copy buttons; the arrow keys, Home and End move between rows', async () => {
    const user = userEvent.setup();
    const { app } = renderApp(withBuckets(300));
    await screen.findByRole('table');
    expect(rowCopies().length).toBeGreaterThan(5);
    expect(rowCopies().filter((button) => button.tabIndex === 0)).toHaveLength(1);

    rowCopies()[0]!.focus();
    await user.keyboard('{ArrowDown}{ArrowDown}');
    expect(focusedRow()).toBe('2');
    // The Tab stop follows the row that has the focus.
    expect(
      rowCopies()
        .filter((button) => button.tabIndex === 0)
        .map((button) => button.dataset.row),
    ).toEqual(['2']);
    await user.keyboard('{ArrowUp}');
    expect(focusedRow()).toBe('1');
    await user.keyboard('{Enter}');
    expect(app.callsTo('app:copy-text')).toEqual([{ text: 'bucket-00001' }]);

    // End scrolls to the last row, which takes the focus once it is rendered.
    await user.keyboard('{End}');
    const scroller = screen.getByTestId('bucket-scroll');
    expect(scroller.scrollTop).toBeGreaterThan(290 * ROW_HEIGHT - 1000);
    act(() => void fireEvent.scroll(scroller, { target: { scrollTop: scroller.scrollTop } }));
    expect(focusedRow()).toBe('299');
    await user.keyboard('{Home}');
    act(() => void fireEvent.scroll(scroller, { target: { scrollTop: 0 } }));
    expect(focusedRow()).toBe('0');
  });

  it('Tab from a row leaves the table at once', async () => {
    const user = userEvent.setup();
    renderApp(withBuckets(300));
    await screen.findByRole('table');
    rowCopies()[0]!.focus();
    await user.tab();
    expect(document.activeElement?.closest('.bucket-body')).toBeNull();
  });
});
