// Relative on purpose: vitest loads global setup outside the environment that honours our
// `@tower/source` export condition.
import { prepareTemplateDatabase } from '../../packages/db/src/testing/index.js';

/** Migrates the template database once; every test file copies it (CREATE DATABASE … TEMPLATE). */
export default async function setup(): Promise<void> {
  await prepareTemplateDatabase();
}
