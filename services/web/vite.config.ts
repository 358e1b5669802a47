import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, defaultClientConditions, type Plugin } from 'vite';

/** Prints the gzip size of the JavaScript the first page load needs (the entry and its static imports). */
function initialSizeReport(): Plugin {
  return {
    name: 'tower-initial-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const chunks = new Map<
        string,
        { code: string; imports: string[]; facade: string | null; isEntry: boolean }
      >();
      for (const c of Object.values(bundle)) {
        if (c.type === 'chunk') {
          chunks.set(c.fileName, {
            code: c.code,
            imports: c.imports,
            facade: c.facadeModuleId,
            isEntry: c.isEntry,
          });
        }
      }
      const gz = new Map<string, number>();
      const size = (f: string) =>
        gz.get(f) ?? gz.set(f, gzipSync(chunks.get(f)?.code ?? '').length).get(f) ?? 0;
      const closure = (start: string, seen = new Set<string>()): Set<string> => {
        if (seen.has(start) || !chunks.has(start)) return seen;
        seen.add(start);
        chunks.get(start)?.imports.forEach((f) => closure(f, seen));
        return seen;
      };
      const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
      const entry = [...chunks].find(([, c]) => c.isEntry)?.[0];
      if (!entry) return;
      const shell = closure(entry);
      const shellSize = [...shell].reduce((n, f) => n + size(f), 0);
      // A route's first load: the shell plus its page chunk and what that imports statically.
      const routes = [...chunks]
        .filter(([, c]) => c.facade && /(-page)\.tsx$/.test(c.facade))
        .map(([file, c]) => {
          const extra = [...closure(file)].filter((f) => !shell.has(f));
          return {
            name: (c.facade ?? '').replace(/^.*\/(.+)\.tsx$/, '$1'),
            total: shellSize + extra.reduce((n, f) => n + size(f), 0),
            extra,
          };
        })
        .sort((a, b) => b.total - a.total);
      console.log(`initial JS (shell, gzip): ${kb(shellSize)}`);
      console.log(`first load per route (gzip): ${routes.map((r) => `${r.name} ${kb(r.total)}`).join(', ')}`);
      // TOWER_SIZE_DETAIL=1 lists what each route adds to the shell, biggest first.
      if (process.env.TOWER_SIZE_DETAIL) {
        console.log(`shell: ${[...shell].map((f) => `${f} ${kb(size(f))}`).join(', ')}`);
        for (const r of routes) {
          const parts = [...r.extra].sort((a, b) => size(b) - size(a)).map((f) => `${f} ${kb(size(f))}`);
          console.log(`${r.name}: ${parts.join(', ')}`);
        }
      }
    },
  };
}

export default defineConfig({
  plugins: [react(), initialSizeReport()],
  resolve: { conditions: ['@tower/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { port: 5173, proxy: { '/api': 'http://localhost:3000' } },
});
