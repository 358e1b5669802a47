import { Gauge, type Registry } from 'prom-client';
import { signalMetrics, type EngineContext } from '@tower/engine';

/**
 * `/metrics` gauges read from Postgres at each scrape: review tasks by signal and status, and their
 * feedback by signal (useful / false alarm), so that a noisy detector shows up on the dashboard.
 */
export function registerSignalMetrics(registry: Registry, ctx: EngineContext): void {
  const read = async () => signalMetrics(ctx);
  let pending: ReturnType<typeof read> | undefined;
  // Both gauges collect on one scrape: read once for the two.
  const once = () => {
    pending ??= read().finally(() => {
      setImmediate(() => (pending = undefined));
    });
    return pending;
  };
  new Gauge({
    name: 'tower_review_tasks',
    help: 'Review tasks by signal and status',
    labelNames: ['signal', 'status'],
    registers: [registry],
    async collect() {
      this.reset();
      for (const row of await once()) this.set({ signal: row.signal, status: row.status }, row.tasks);
    },
  });
  new Gauge({
    name: 'tower_review_task_feedback',
    help: 'Feedback on review tasks by signal: useful=true, or false for a false alarm',
    labelNames: ['signal', 'useful'],
    registers: [registry],
    async collect() {
      this.reset();
      const bySignal = new Map<string, { useful: number; falseAlarms: number }>();
      for (const row of await once()) {
        const sum = bySignal.get(row.signal) ?? { useful: 0, falseAlarms: 0 };
        bySignal.set(row.signal, {
          useful: sum.useful + row.useful,
          falseAlarms: sum.falseAlarms + row.falseAlarms,
        });
      }
      for (const [signal, sum] of bySignal) {
        this.set({ signal, useful: 'true' }, sum.useful);
        this.set({ signal, useful: 'false' }, sum.falseAlarms);
      }
    },
  });
}
