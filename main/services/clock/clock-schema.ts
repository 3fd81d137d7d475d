import { z } from 'zod';

/** One persisted measurement; `measuredAt` is local time, ISO 8601. Nothing in it is secret. */
export const ClockRecord = z.object({
  origin: z.string().min(1).max(300),
  offsetMs: z.number().int(),
  measuredAt: z.iso.datetime({ offset: true }),
});
export type ClockRecord = z.infer<typeof ClockRecord>;

/** `clock.json`. Loaded only when the file holds what no earlier check accepted (see ClockFile.read). */
export const ClockFileData = z.object({ version: z.literal(1), samples: z.array(ClockRecord).max(50) });
export type ClockFileData = z.infer<typeof ClockFileData>;
