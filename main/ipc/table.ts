import { AppError } from '../services/core/errors.js';
import {
  CHANNELS,
  requests,
  type Channel,
  type ParsedRequestOf,
  type Responses,
  type ResultOf,
} from '../../shared/contract.js';
import { fail, ok } from './result.js';

/** One plain function per channel, taking the parsed request. */
export type Implementation = { [C in Channel]: (request: ParsedRequestOf<C>) => Promise<Responses[C]> };

/**
 * The table every transport calls (Electron IPC in the shell, a socket in the end-to-end bridge):
 * channel → (unknown request) → Result. Parsing and error wrapping happen here, once.
 */
export type HandlerTable = { [C in Channel]: (request: unknown) => Promise<ResultOf<C>> };

export function isChannel(value: unknown): value is Channel {
  return typeof value === 'string' && Object.hasOwn(requests, value);
}

/** Parses a request against its channel's schema; the message names fields, never values. */
export function parseChannelRequest<C extends Channel>(channel: C, request: unknown): ParsedRequestOf<C> {
  const parsed = requests[channel].safeParse(request);
  if (!parsed.success) {
    const fields = [...new Set(parsed.error.issues.map((issue) => issue.path.join('.') || '(request)'))].join(', ');
    throw new AppError('INVALID_INPUT', `The request to ${channel} was not valid (check: ${fields}).`);
  }
  return parsed.data as ParsedRequestOf<C>;
}

export function createHandlerTable(impl: Implementation): HandlerTable {
  const table = {} as Record<Channel, (request: unknown) => Promise<unknown>>;
  for (const channel of CHANNELS) {
    const run = impl[channel] as (request: unknown) => Promise<unknown>;
    table[channel] = async (request: unknown) => {
      try {
        return ok(await run(parseChannelRequest(channel, request)));
      } catch (error) {
        return fail(error);
      }
    };
  }
  return table as HandlerTable;
}
