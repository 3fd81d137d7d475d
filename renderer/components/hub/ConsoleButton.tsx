import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView, WireError } from '../../../shared/contract';
import { useApi } from '../../api';
import { ErrorMessage } from '../ErrorMessage';
import { Modal } from '../Modal';

/** An https:// address or nothing; main checks it is an official console page. */
function destinationOk(text: string): boolean {
  if (text.trim() === '') return true;
  try {
    return new URL(text.trim()).protocol === 'https:';
  } catch {
    return false;
  }
}

/** "Console ↗": signs the browser in to the console as this profile (through main's private page), with an optional destination. */
export function ConsoleButton({ profile }: { profile: ProfileView }) {
  const { t } = useTranslation();
  const [open, setOpen] = useState(false);
  return (
    <>
      <button
        type="button"
        onClick={() => setOpen(true)}
        aria-haspopup="dialog"
        title={t('hub.console.openLabel', { name: profile.name })}
      >
        {t('hub.console.open')} <span aria-hidden="true">↗</span>
      </button>
      {open ? <ConsoleSheet profile={profile} onClose={() => setOpen(false)} /> : null}
    </>
  );
}

function ConsoleSheet({ profile, onClose }: { profile: ProfileView; onClose: () => void }) {
  const api = useApi();
  const { t } = useTranslation();
  const [destination, setDestination] = useState('');
  const [busy, setBusy] = useState(false);
  const [opened, setOpened] = useState(false);
  const [failure, setFailure] = useState<WireError | null>(null);
  const valid = destinationOk(destination);

  const go = async () => {
    setBusy(true);
    setOpened(false);
    const result = await api.openConsole(profile.id, destination.trim() === '' ? undefined : destination.trim());
    setBusy(false);
    setFailure(result.ok ? null : result.error);
    setOpened(result.ok && result.value.opened);
  };

  return (
    <Modal labelledBy="console-title" onClose={onClose} className="console-sheet">
      <h2 id="console-title">{t('hub.console.title', { name: profile.name })}</h2>
      <p>{t('hub.console.body')}</p>
      <div className="field">
        <label htmlFor="console-destination">{t('hub.console.destination')}</label>
        <input
          id="console-destination"
          type="url"
          inputMode="url"
          placeholder="https://home.console.aliyun.com/"
          value={destination}
          aria-invalid={!valid}
          aria-describedby="console-destination-hint"
          onChange={(event) => setDestination(event.target.value)}
          data-autofocus
        />
        <span id="console-destination-hint" className={`small ${valid ? 'hint' : 'field-error'}`}>
          {valid ? t('hub.console.destinationHint') : t('hub.console.destinationInvalid')}
        </span>
      </div>
      {failure ? <ErrorMessage error={failure} /> : null}
      {opened ? (
        <p className="notice" role="status">
          {t('hub.console.opened')}
        </p>
      ) : null}
      <div className="actions">
        <button type="button" onClick={onClose}>
          {t('hub.console.close')}
        </button>
        <button type="button" className="primary" disabled={busy || !valid} onClick={() => void go()}>
          {busy ? t('hub.console.opening') : t('hub.console.go')}
        </button>
      </div>
    </Modal>
  );
}
