// ESLint flat config: type-aware typescript-eslint for TS sources, plain rules for JS config files,
// plus the import boundaries of DESIGN.md ("imports point down only").
import js from '@eslint/js';
import { defineConfig, globalIgnores } from 'eslint/config';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS_FILES = ['**/*.ts', '**/*.tsx', '**/*.mts', '**/*.cts'];
const JS_FILES = ['**/*.js', '**/*.mjs', '**/*.cjs', '**/*.jsx'];

// --- import boundaries --------------------------------------------------------------------------------
// `no-restricted-imports` options are replaced, not merged, by a later block for the same files, so each
// block below carries every group that applies to its files.
const deepImports = {
  // a pattern naming a directory also matches everything below it; declared subpath exports
  // (e.g. '@tower/db/testing') stay allowed
  group: ['@tower/*/src', '@tower/*/dist'],
  message: "Import a workspace package through its exports ('@tower/x'), never its src/ or dist/.",
};
const noServices = {
  group: ['@tower/api', '@tower/api/*', '@tower/worker', '@tower/worker/*'],
  message: 'Nothing imports a service: move shared code into packages/ (engine, db, queue, domain).',
};
const pureOnly = {
  group: [
    ...['kysely', 'pg', 'bullmq', 'ioredis', 'fastify', '@fastify/*', 'pino'].flatMap((m) => [m, `${m}/*`]),
    '@tower/db',
    '@tower/queue',
    '@tower/engine',
    '@tower/config',
  ],
  message: 'packages/domain and workflows/* are pure: no database, queue, HTTP, logger or config code.',
};
const domainBelowWorkflows = {
  group: ['@tower/workflow-*'],
  message: 'packages/domain sits below workflows: workflows import domain, not the reverse.',
};
const restrict = (...patterns) => ['error', { patterns }];

export default defineConfig(
  globalIgnores([
    '**/node_modules/',
    '**/dist/',
    '**/coverage/',
    '**/.vite/',
    '**/*.d.ts',
    '**/playwright-report/',
    '**/test-results/',
  ]),

  // --- TypeScript: type-aware --------------------------------------------------------------------------
  {
    files: TS_FILES,
    extends: [js.configs.recommended, tseslint.configs.recommendedTypeChecked],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
      parserOptions: {
        // one root tsconfig.json covers every TS source: a single program is the fastest type-aware setup
        projectService: true,
        tsconfigRootDir: import.meta.dirname,
      },
    },
    linterOptions: { reportUnusedDisableDirectives: 'error' },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/no-misused-promises': 'error',
      '@typescript-eslint/consistent-type-imports': [
        'error',
        { prefer: 'type-imports', fixStyle: 'separate-type-imports' },
      ],
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      // Fastify plugins and handlers, BullMQ processors and Kysely callbacks are async by contract.
      '@typescript-eslint/require-await': 'off',
      '@typescript-eslint/no-unused-vars': [
        'error',
        {
          argsIgnorePattern: '^_',
          varsIgnorePattern: '^_',
          caughtErrorsIgnorePattern: '^_',
          ignoreRestSiblings: true,
        },
      ],
      // Template literals with numbers (ids, counts, fen) are fine; objects and unknowns still are not.
      '@typescript-eslint/restrict-template-expressions': [
        'error',
        { allowNumber: true, allowBoolean: true },
      ],
      'no-restricted-imports': restrict(deepImports),
      'no-restricted-properties': [
        'error',
        {
          object: 'vi',
          property: 'mock',
          message: 'No vi.mock: use real Postgres/Redis and pass dependencies in (STYLE.md, Tests).',
        },
        {
          object: 'vi',
          property: 'doMock',
          message: 'No vi.doMock: use real Postgres/Redis and pass dependencies in (STYLE.md, Tests).',
        },
      ],
    },
  },

  // Tests read JSON answers of the API as they come (untyped) and assert on them.
  {
    files: ['**/*.test.ts', 'test/**/*.ts'],
    rules: {
      '@typescript-eslint/unbound-method': 'off',
      '@typescript-eslint/no-explicit-any': 'off',
      '@typescript-eslint/no-unsafe-member-access': 'off',
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-call': 'off',
      '@typescript-eslint/no-unsafe-return': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
      '@typescript-eslint/no-non-null-assertion': 'off',
    },
  },

  // --- JavaScript (config files and the like): linted without type information -------------------------
  {
    files: JS_FILES,
    extends: [js.configs.recommended],
    languageOptions: {
      ecmaVersion: 'latest',
      sourceType: 'module',
      globals: { ...globals.node },
    },
    rules: { 'no-restricted-imports': restrict(deepImports) },
  },

  // --- import boundaries (most specific last) -----------------------------------------------------------
  {
    files: ['packages/**', 'workflows/**'],
    rules: { 'no-restricted-imports': restrict(deepImports, noServices) },
  },
  {
    files: ['workflows/**'],
    rules: { 'no-restricted-imports': restrict(deepImports, noServices, pureOnly) },
  },
  {
    files: ['packages/domain/**'],
    rules: { 'no-restricted-imports': restrict(deepImports, noServices, pureOnly, domainBelowWorkflows) },
  },

  // The dashboard runs in the browser.
  {
    files: ['services/web/src/**'],
    languageOptions: { globals: { ...globals.browser } },
  },

  {
    files: ['**/*.cjs'],
    languageOptions: { sourceType: 'commonjs' },
  },
);
