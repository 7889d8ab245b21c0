/**
 * The bench's progress output, on stderr (stdout carries the report): `log` prints a line,
 * `progress` prints it stamped with the seconds since the run started.
 */

const T0 = Date.now();

/** @param {string} message */
export const log = (message) => process.stderr.write(`${message}\n`);

/** A progress line, stamped with the seconds since the start. @param {string} message */
export const progress = (message) =>
  log(`[${((Date.now() - T0) / 1000).toFixed(1).padStart(5)} s] ${message}`);
