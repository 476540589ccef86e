/** The EventBridge schedules, as local timers that call the same handlers. */
export function startSchedules(jobs: Record<string, () => Promise<unknown>>, intervalMs: number): { stop(): Promise<void> } {
  const running = new Set<Promise<unknown>>();
  const timers = Object.entries(jobs).map(([name, job]) =>
    setInterval(() => {
      if (running.size >= Object.keys(jobs).length) return; // a tick still running: skip, as a slow Lambda would overlap
      const p = job()
        .catch((error: unknown) => console.error(`schedule ${name} failed:`, error))
        .finally(() => running.delete(p));
      running.add(p);
    }, intervalMs),
  );
  return {
    async stop() {
      timers.forEach(clearInterval);
      await Promise.all(running);
    },
  };
}
