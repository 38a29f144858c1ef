import { readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { brotliCompressSync, gzipSync } from 'node:zlib';
import react from '@vitejs/plugin-react';
import { defineConfig, type Plugin } from 'vite';
import { STAMP, webFingerprint } from './bin/web-fingerprint';

// Writes .br and .gz beside each built asset once, so the server sends them without compressing per request.
function precompress(): Plugin {
  return {
    name: 'precompress',
    apply: 'build',
    closeBundle() {
      const dir = join(import.meta.dirname, 'dist/web/assets');
      for (const file of readdirSync(dir)) {
        if (!/\.(js|css|svg)$/.test(file)) continue;
        const body = readFileSync(join(dir, file));
        writeFileSync(join(dir, `${file}.gz`), gzipSync(body, { level: 9 }));
        writeFileSync(join(dir, `${file}.br`), brotliCompressSync(body));
      }
    },
  };
}

// Records what this build was made from, so `npm start` can skip an unneeded rebuild.
function fingerprint(): Plugin {
  let sources = '';
  return {
    name: 'source-fingerprint',
    apply: 'build',
    buildStart() {
      sources = webFingerprint(import.meta.dirname);
    },
    closeBundle() {
      writeFileSync(join(import.meta.dirname, 'dist/web', STAMP), `${sources}\n`);
    },
  };
}

export default defineConfig({
  root: 'src/web',
  plugins: [react(), precompress(), fingerprint()],
  build: {
    outDir: '../../dist/web',
    emptyOutDir: true,
    sourcemap: false,
    rollupOptions: {
      onwarn(warning, warn) {
        // zod's comments carry annotations Rollup cannot place; harmless, and noisy on every build.
        if (warning.code === 'INVALID_ANNOTATION' && warning.id?.includes('/node_modules/zod/')) return;
        warn(warning);
      },
    },
  },
  server: { proxy: { '/api': 'http://127.0.0.1:8000' } },
});
