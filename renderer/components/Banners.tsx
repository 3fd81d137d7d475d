import { useTranslation } from 'react-i18next';
import type { WireError } from '../../shared/contract';
import { durationInWords } from '../format';

/** Above this the person is told their clock is off (the app itself corrects for it). */
const SKEW_NOTICE_MS = 60_000;

/** Problems across the whole window: the keychain, the clock. */
export function Banners({ keychain, clockOffsetMs }: { keychain: WireError | null; clockOffsetMs: number }) {
  const { t, i18n } = useTranslation();
  const skewed = Math.abs(clockOffsetMs) > SKEW_NOTICE_MS;
  const amount = durationInWords(clockOffsetMs, i18n.language);
  return (
    <>
      {keychain ? (
        <div className="banner error-banner" role="alert" data-code={keychain.code}>
          {t(`errors.${keychain.code}`)} <span className="small">{t('error.code', { code: keychain.code })}</span>
        </div>
      ) : null}
      {skewed ? (
        <div className="banner warn" role="status">
          {t('banners.clock', { amount, direction: clockOffsetMs > 0 ? t('banners.behind') : t('banners.ahead') })}
        </div>
      ) : null}
    </>
  );
}
