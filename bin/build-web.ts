// `npm start`'s first step: build the web app only when its sources changed since the last build.
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { builtFingerprint, webFingerprint } from './web-fingerprint';

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const outDir = join(root, 'dist/web');
const started = Date.now();
const built = builtFingerprint(outDir);
if (built === webFingerprint(root)) {
  console.log(`Web app is up to date (checked in ${Date.now() - started} ms)`);
} else {
  console.log(
    built ? 'Building the web app (its sources changed since the last build)…' : 'Building the web app…',
  );
  const { build } = await import('vite');
  await build({ root: join(root, 'src/web'), configFile: join(root, 'vite.config.ts'), logLevel: 'warn' });
  console.log(`Built the web app in ${((Date.now() - started) / 1000).toFixed(1)} s`);
}
