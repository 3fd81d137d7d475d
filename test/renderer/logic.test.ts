import { describe, expect, it } from 'vitest';
import type { ProfileView } from '../../shared/contract';
import { MAX_ROWS, ROW_HEIGHT, rowWindow } from '../../renderer/components/virtual';
import { clock, durationInWords, relativeTime, visibleBuckets } from '../../renderer/format';
import { pickLanguage } from '../../renderer/i18n';
import { en } from '../../renderer/i18n/en';
import { zhCN } from '../../renderer/i18n/zh-CN';
import { editForm, freeName, newForm, toChanges, toDraft } from '../../renderer/state/profile-form';
import { makeBuckets, makeProfile } from './fake-api';

describe('language', () => {
  it('follows a saved choice, else the OS (any Chinese is zh-CN), else English', () => {
    expect(pickLanguage(['zh-TW', 'en'], null)).toBe('zh-CN');
    expect(pickLanguage(['fr', 'en-GB'], null)).toBe('en');
    expect(pickLanguage(['fr'], undefined)).toBe('en');
    expect(pickLanguage(['zh-CN'], 'en')).toBe('en');
  });

  it('has the same keys in both languages', () => {
    const keys = (value: object, prefix = ''): string[] =>
      Object.entries(value).flatMap(([key, inner]) =>
        typeof inner === 'string' ? [prefix + key] : keys(inner as object, `${prefix}${key}.`),
      );
    expect(keys(zhCN).sort()).toEqual(keys(en).sort());
  });
});

describe('formatting', () => {
  it('counts down and says how long in each language', () => {
    expect(clock(299_001)).toBe('5:00');
    expect(clock(-5)).toBe('0:00');
    expect(relativeTime(42 * 60_000, 'en')).toBe('in 42 minutes');
    expect(relativeTime(29 * 86_400_000, 'en')).toBe('in 29 days');
    expect(relativeTime(-3 * 3_600_000, 'en')).toBe('3 hours ago');
    expect(relativeTime(29 * 86_400_000, 'zh-CN')).toBe('29天后');
    expect(durationInWords(-5 * 60_000, 'en')).toBe('5 minutes');
  });

  it('filters by name, region or class, and sorts with the name as tie-break', () => {
    const buckets = makeBuckets(9);
    expect(visibleBuckets(buckets, 'ARCHIVE', { key: 'name', direction: 'asc' }).map((b) => b.name)).toEqual([
      'bucket-00002',
      'bucket-00005',
      'bucket-00008',
    ]);
    expect(visibleBuckets(buckets, '', { key: 'region', direction: 'desc' })[0]!.region).toBe('cn-shanghai');
  });
});

describe('the virtual window', () => {
  it('never renders more than MAX_ROWS, wherever the scroll and however tall the window', () => {
    for (const [scroll, viewport] of [
      [0, 480],
      [32 * 9_990, 480],
      [1e9, 480],
      [0, 10_000],
    ] as const) {
      const span = rowWindow(10_000, scroll, viewport);
      expect(span.end - span.start).toBeLessThanOrEqual(MAX_ROWS);
      expect(span.start).toBeGreaterThanOrEqual(0);
      expect(span.end).toBeLessThanOrEqual(10_000);
      expect(span.height).toBe(10_000 * ROW_HEIGHT);
      expect(span.offset).toBe(span.start * ROW_HEIGHT);
    }
    expect(rowWindow(3, 0, 480)).toEqual({ start: 0, end: 3, height: 3 * ROW_HEIGHT, offset: 0 });
    const end = rowWindow(10_000, 1e9, 480);
    expect(end.end).toBe(10_000);
  });
});

describe('the profile form', () => {
  it('picks a free name', () => {
    expect(freeName('demo', [])).toBe('demo');
    expect(freeName('demo', ['Demo', 'demo-2'])).toBe('demo-3');
  });

  it('builds a draft per preset', () => {
    expect(toDraft(newForm('intl', [])).draft).toEqual({
      name: 'aliyun-intl',
      preset: 'intl',
      region: 'ap-southeast-1',
    });
    expect(toDraft(newForm('demo', ['demo'])).draft).toEqual({ name: 'demo-2', preset: 'demo' });
    const scheme = { ...newForm('own-app', []), clientId: ' 77 ', redirect: 'scheme' as const, ports: 'junk' };
    expect(toDraft(scheme).draft).toEqual({
      name: 'my-app',
      preset: 'own-app',
      region: 'cn-hangzhou',
      clientId: '77',
      site: 'cn',
      redirect: 'scheme',
    });
    expect(toDraft({ ...newForm('cn', []), name: '-bad', ossEndpoint: 'http://x' }).errors).toEqual({
      name: 'name',
      ossEndpoint: 'url',
    });
  });

  it('sends only the changes of an edit, and null to reset the OSS endpoint', () => {
    const profile: ProfileView = makeProfile({
      id: 'p1',
      name: 'custom',
      site: 'custom',
      officialClient: false,
      clientId: '9',
      ossEndpoint: 'https://oss.example.com',
      ossEndpointCustom: true,
      endpoints: {
        issuer: 'https://i.example',
        authorization: 'https://i.example/a',
        token: 'https://i.example/t',
        jwks: 'https://i.example/k',
      },
    });
    const form = editForm(profile);
    expect(toChanges(form, profile).changes).toEqual({});
    expect(toChanges({ ...form, ossEndpoint: '', clientId: '10' }, profile).changes).toEqual({
      ossEndpoint: null,
      clientId: '10',
    });
    const moved = { ...form, endpoints: { ...form.endpoints, token: 'https://i.example/token2' } };
    expect(toChanges(moved, profile).changes?.endpoints?.token).toBe('https://i.example/token2');
  });
});
