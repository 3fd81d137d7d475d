export {
  ServerClock,
  SKEW_NOTICE_MS,
  describeOffset,
  skewWarning,
  type ClockSample,
  type ServerClockOptions,
} from './server-clock.js';
export { CLOCK_FILE_NAME, ClockFile, clockJson, clockNotice, type ClockRecord } from './clock-file.js';
