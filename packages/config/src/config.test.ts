import { describe, expect, it } from 'vitest';
import { ConfigError, loadConfig } from './config.js';

describe('loadConfig', () => {
  it('gives local defaults for an empty environment', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.databaseUrl).toBe('postgres://postgres@127.0.0.1:5432/tower');
    expect(config.redisUrl).toBe('redis://127.0.0.1:6379');
    expect(config.workerProcesses).toBe(1);
    expect(Object.isFrozen(config)).toBe(true);
  });

  it('takes the worker processes from WORKER_PROCESSES, from 1 to 64', () => {
    expect(loadConfig({ WORKER_PROCESSES: '2' }).workerProcesses).toBe(2);
    for (const bad of ['0', '65', '1.5', 'two']) {
      expect(() => loadConfig({ WORKER_PROCESSES: bad })).toThrow(/WORKER_PROCESSES must be a whole number/);
    }
  });

  it('names every bad variable in one error', () => {
    let error: unknown;
    try {
      loadConfig({
        PORT: 'eighty',
        DATABASE_URL: 'mysql://x',
        LOG_LEVEL: 'loud',
        TOWER_ADMIN_PASSWORD: 'short',
      });
    } catch (caught) {
      error = caught;
    }
    expect(error).toBeInstanceOf(ConfigError);
    const problems = (error as ConfigError).problems.join('\n');
    for (const name of ['PORT', 'DATABASE_URL', 'LOG_LEVEL', 'TOWER_ADMIN_PASSWORD']) {
      expect(problems).toContain(name);
    }
  });
});
