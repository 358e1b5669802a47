// `pnpm demo`: loads the demo chain into a running Product Tower through its public API.
// TOWER_URL (default http://127.0.0.1:$PORT or :3000), TOWER_ADMIN_EMAIL / TOWER_ADMIN_PASSWORD (the
// first admin the product was started with), DEMO_SEED (default 20261201).
import cliProgress from 'cli-progress';
import { addDays, shanghaiDay, wordFor } from '@tower/domain';
import { DEMO_PASSWORD, generateDemoChain } from './generate.js';
import { loadDemo } from './load.js';

const env = process.env;
const baseUrl = env.TOWER_URL ?? `http://127.0.0.1:${env.PORT ?? '3000'}`;
const adminEmail = env.TOWER_ADMIN_EMAIL;
const adminPassword = env.TOWER_ADMIN_PASSWORD;
if (!adminEmail || !adminPassword) {
  console.error('Set TOWER_ADMIN_EMAIL and TOWER_ADMIN_PASSWORD to the admin the product was started with.');
  process.exit(2);
}
const seed = Number(env.DEMO_SEED ?? 20_261_201);
const end = addDays(shanghaiDay(new Date()), -1);
const chain = generateDemoChain({ seed, end });

const bar = new cliProgress.SingleBar(
  {
    format: ' {phase} |{bar}| {value}/{total}  {duration_formatted}',
    hideCursor: true,
    clearOnComplete: false,
  },
  cliProgress.Presets.shades_classic,
);
let running = false;
const started = Date.now();
const phases: string[] = [];
let phaseStarted = Date.now();
let phaseName = '';
const endPhase = () => {
  if (phaseName) phases.push(`${phaseName.trim()} ${((Date.now() - phaseStarted) / 1000).toFixed(1)} s`);
};
try {
  const result = await loadDemo(chain, {
    baseUrl,
    adminEmail,
    adminPassword,
    progress: {
      start(phase, total) {
        if (running) bar.stop();
        endPhase();
        phaseName = phase;
        phaseStarted = Date.now();
        bar.start(total, 0, { phase: phase.padEnd(22) });
        running = true;
      },
      tick(n = 1) {
        bar.increment(n);
      },
      stop() {
        endPhase();
        phaseName = '';
        if (running) bar.stop();
        running = false;
      },
    },
  });
  const seconds = ((Date.now() - started) / 1000).toFixed(0);
  const product = (plant: string) => chain.products.find((p) => p.plants.includes(plant as never))!;
  const pm = chain.people.find((p) => p.key === 'pm_face')!;
  const dm = chain.people.find((p) => p.key === `dm_surgery_${product('complaint_cluster').branches[0]}`)!;
  const lines = [
    '',
    `The demo chain (seed ${seed}) is loaded: ${chain.branches.length} branches in 上海 and 杭州, ${chain.departments.length} departments,`,
    `${chain.products.length} products, ${chain.people.length} people, ${result.salesRows.toLocaleString('en')} daily sales rows ${chain.from} … ${chain.to} (${seconds} s).`,
    `Phases: ${phases.join(' · ')}`,
    '',
    `Open ${baseUrl}/ (API docs at ${baseUrl}/docs). Every demo person's password is ${DEMO_PASSWORD}:`,
    `  product manager  ${pm.email}  (${pm.name}: 皮肤科 and 注射微整 products)`,
    `  product manager  ${chain.people.find((p) => p.key === 'pm_body')!.email}  (整形外科 and 中医)`,
    `  director         ${chain.people.find((p) => p.key === 'director')!.email}`,
    `  marketing        ${chain.people.find((p) => p.key === 'marketing')!.email}`,
    `  department mgr   ${dm.email}  (${dm.name})`,
    `  admin            ${adminEmail}`,
    '',
    'What to look at:',
    `  · ${product('fading_sharp').name}: sales fell away in the last two weeks → a ${wordFor('signals', 'sales_dip')} task`,
    `  · ${product('complaint_cluster').name} at ${product('complaint_cluster').branches[0]}: five complaints in a week → ${wordFor('signals', 'complaint_spike')} for the department manager`,
    `  · ${product('undercut').name}: a competitor at 68 % of our list price → ${wordFor('signals', 'competitor_undercut')}`,
    `  · ${product('cost_rise').name}: the vendor's price rose, list is now under the floor → ${wordFor('signals', 'margin_erosion')}`,
    `  · ${product('retiring_card').name}: a package card phasing out, prepaid sessions still honoured`,
    `  · quarterly reviews ${result.reviews.map((r) => `${r.quarter} ${baseUrl}/reviews/${r.id}`).join(' · ')}`,
    `    (CSV: ${baseUrl}/api/reviews/${result.reviews.at(-1)!.id}/report.csv)`,
    '',
    `Open tasks by signal: ${Object.entries(result.tasksBySignal)
      .map(([signal, n]) => `${wordFor('signals', signal)} ${n}`)
      .join(', ')}`,
  ];
  console.log(lines.join('\n'));
} catch (error) {
  if (running) bar.stop();
  console.error(`\npnpm demo failed: ${(error as Error).message}`);
  process.exitCode = 1;
}
