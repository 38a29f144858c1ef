// Preloaded into a benchmark's server process (with --expose-gc): SIGUSR2 runs a full garbage
// collection, so a benchmark can tell memory still held from garbage not collected yet.
process.on('SIGUSR2', () => globalThis.gc?.());
