import { gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, defaultClientConditions, type Plugin } from 'vite';

/** Prints the gzip size of the JavaScript the first page load needs (the entry and its static imports). */
function initialSizeReport(): Plugin {
  return {
    name: 'tower-initial-size',
    apply: 'build',
    generateBundle(_options, bundle) {
      const entry = Object.values(bundle).find((c) => c.type === 'chunk' && c.isEntry);
      if (!entry || entry.type !== 'chunk') return;
      const seen = new Set<string>();
      const visit = (fileName: string): void => {
        const chunk = bundle[fileName];
        if (!chunk || chunk.type !== 'chunk' || seen.has(fileName)) return;
        seen.add(fileName);
        chunk.imports.forEach(visit);
      };
      visit(entry.fileName);
      let gzip = 0;
      for (const fileName of seen) {
        const chunk = bundle[fileName];
        if (chunk?.type === 'chunk') gzip += gzipSync(chunk.code).length;
      }
      const lazy = Object.values(bundle).filter((c) => c.type === 'chunk' && !seen.has(c.fileName));
      const largestLazy = Math.max(0, ...lazy.map((c) => (c.type === 'chunk' ? gzipSync(c.code).length : 0)));
      console.log(
        `initial route JS: ${(gzip / 1024).toFixed(1)} kB gzip in ${seen.size} chunks; ` +
          `${lazy.length} lazy chunks, the largest ${(largestLazy / 1024).toFixed(1)} kB gzip`,
      );
    },
  };
}

export default defineConfig({
  plugins: [react(), initialSizeReport()],
  resolve: { conditions: ['@tower/source', ...defaultClientConditions] },
  build: { outDir: 'dist', emptyOutDir: true, chunkSizeWarningLimit: 1500 },
  server: { port: 5173, proxy: { '/api': 'http://localhost:3000' } },
});
