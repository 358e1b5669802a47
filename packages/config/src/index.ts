export { loadConfig, ConfigError, type Config } from './config.js';
export { createLogger, REDACT_PATHS, type Logger, type LoggerOptions } from './logger.js';
export { runService, type ServiceOptions } from './service.js';
