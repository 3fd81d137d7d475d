/**
 * The building blocks both halves of the IPC contract (contract.ts, contract-hub.ts) use: every
 * id, name and URL a request carries is checked with the profile schema's own rules.
 */
import { z } from 'zod';
import { Profile } from '../main/services/profiles/schema.js';
import type { ErrorCode } from './errors.js';
import { isHttpsUrl } from './fields.js';

export const ProfileId = Profile.shape.id;
export const ProfileName = Profile.shape.name;
export const Region = Profile.shape.region;
export const HttpsUrl = z.url().max(2048).refine(isHttpsUrl, 'an https:// URL');
export const ById = z.strictObject({ id: ProfileId });
export const Empty = z.strictObject({});

/** Errors cross as data: Electron passes only `message` through a rejected invoke. */
export interface WireError {
  code: ErrorCode;
  message: string;
}
