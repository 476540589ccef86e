/**
 * Builds the web console (`npm run build:console`) into console/dist, which the local
 * stack serves at `/` and the CDK app deploys to S3 behind CloudFront. Preact's JSX is
 * compiled by Vite's own transformer (oxc): no framework plugin.
 */
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

const root = fileURLToPath(new URL('.', import.meta.url));

export default defineConfig({
  root,
  base: '/',
  // Relative to this file, not the shell's directory, so `vite build --config console/vite.config.ts` works from the project root.
  build: { outDir: 'dist', emptyOutDir: true, sourcemap: true, target: 'es2022' },
  oxc: { jsx: { runtime: 'automatic', importSource: 'preact' } },
  // `npx vite --config console/vite.config.ts` next to `npm start`: the console with live reload, the API proxied from the local stack.
  server: { host: '127.0.0.1', proxy: { '/v1': `http://127.0.0.1:${process.env.PORT ?? 8080}` } },
  preview: { host: '127.0.0.1' },
  clearScreen: false,
});
