// `pnpm start` runs this first: builds the dashboard when services/web/dist is missing or older than any of
// its sources (the web sources, its config, and @tower/domain, which the pages import).
import { execFileSync } from 'node:child_process';
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const web = fileURLToPath(new URL('..', import.meta.url));
const sources = [
  join(web, 'src'),
  join(web, 'index.html'),
  join(web, 'vite.config.ts'),
  join(web, 'package.json'),
  join(web, '../../packages/domain/src'),
];

function newest(path: string): number {
  const stat = statSync(path, { throwIfNoEntry: false });
  if (!stat) return 0;
  if (!stat.isDirectory()) return stat.mtimeMs;
  return Math.max(0, ...readdirSync(path).map((name) => newest(join(path, name))));
}

const built = statSync(join(web, 'dist/index.html'), { throwIfNoEntry: false })?.mtimeMs ?? 0;
const changed = Math.max(...sources.map(newest));
if (built >= changed) {
  console.log('dashboard build is current');
} else {
  console.log(built === 0 ? 'dashboard not built yet: building' : 'dashboard sources changed: rebuilding');
  execFileSync('pnpm', ['exec', 'vite', 'build'], { cwd: web, stdio: 'inherit' });
}
