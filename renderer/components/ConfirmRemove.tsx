import { useState } from 'react';
import { useTranslation } from 'react-i18next';
import type { ProfileView, WireError } from '../../shared/contract';
import { ErrorMessage } from './ErrorMessage';
import { Modal } from './Modal';

interface ConfirmRemoveProps {
  profile: ProfileView;
  onConfirm: () => Promise<WireError | null>;
  onCancel: () => void;
}

/** Removing signs out at the site and deletes the keychain entry: asked once, the safe choice first. */
export function ConfirmRemove({ profile, onConfirm, onCancel }: ConfirmRemoveProps) {
  const { t } = useTranslation();
  const [busy, setBusy] = useState(false);
  const [failure, setFailure] = useState<WireError | null>(null);
  const confirm = async () => {
    setBusy(true);
    const error = await onConfirm();
    setBusy(false);
    setFailure(error);
  };
  return (
    <Modal labelledBy="remove-title" onClose={onCancel} className="confirm">
      <h2 id="remove-title">{t('remove.title', { name: profile.name })}</h2>
      <p>{t('remove.body')}</p>
      {failure ? <ErrorMessage error={failure} /> : null}
      <div className="actions">
        <button type="button" onClick={onCancel} data-autofocus>
          {t('remove.cancel')}
        </button>
        <button type="button" className="danger" disabled={busy} onClick={() => void confirm()}>
          {t('remove.confirm')}
        </button>
      </div>
    </Modal>
  );
}
