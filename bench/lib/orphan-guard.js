/**
 * Preloaded (`node --import`) into every process the bench starts: if the bench orchestrator dies
 * without cleaning up (SIGKILL, crash), its children notice the new parent and exit, so no gateway
 * or simulated provider outlives a run. Costs one `getppid()` every 500 ms.
 */
const parent = process.ppid;
const timer = setInterval(() => {
  if (process.ppid !== parent) process.exit(0);
}, 500);
timer.unref();
