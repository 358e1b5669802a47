// Imported first by run.ts, before anything reads the environment at load time.
//
// The bench migrates its own template database: `prepareTemplateDatabase()` drops and recreates the
// template, which would pull the floor from under a `pnpm test` running at the same time.
process.env.TEST_TEMPLATE_DATABASE ??= 'tower_bench_template';
// Services log nothing during a bench: logging is not what is measured.
process.env.LOG_LEVEL = 'silent';
