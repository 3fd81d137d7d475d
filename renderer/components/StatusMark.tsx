import { useTranslation } from 'react-i18next';
import type { ProfileView } from '../../shared/contract';
import { MARK_SYMBOL, statusMark } from '../../shared/status';

/** A symbol that differs per status (never colour alone), with the word for hover and screen readers. */
export function StatusMark({
  profile,
  now,
  withWord = false,
}: {
  profile: ProfileView;
  now: number;
  withWord?: boolean;
}) {
  const { t } = useTranslation();
  const mark = statusMark(profile, now);
  const word = t(`status.${mark}`);
  return (
    <span className={`mark mark-${mark}`} title={word}>
      <span aria-hidden="true">{MARK_SYMBOL[mark]}</span>
      {withWord ? <span className="mark-word">{word}</span> : <span className="visually-hidden">{word}</span>}
    </span>
  );
}
