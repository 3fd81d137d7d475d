import { Notification } from 'electron';
import type { Backend } from '../ipc/handlers.js';
import { dueNotices } from '../ipc/notices.js';
import type { ShellLanguage } from '../ipc/shell-words.js';

const CHECK_EVERY_MS = 60_000;

/** Checks once a minute for sign-ins and credentials about to run out, and tells the person once each. */
export function startExpiryNotices(backend: Backend, language: ShellLanguage, onClick: () => void): () => void {
  if (!Notification.isSupported()) return () => undefined;
  const shown = new Set<string>();
  const check = async () => {
    let snapshot;
    try {
      snapshot = await backend.snapshot();
    } catch {
      return;
    }
    for (const notice of dueNotices(snapshot, Date.now(), backend.stsValidFor, shown, language)) {
      shown.add(notice.key);
      const notification = new Notification({ title: notice.title, body: notice.body });
      notification.on('click', onClick);
      notification.show();
    }
  };
  const timer = setInterval(() => void check(), CHECK_EVERY_MS);
  void check();
  return () => clearInterval(timer);
}
