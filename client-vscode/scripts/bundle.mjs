// Bundles the extension and vscode-languageclient into dist/extension.js (vscode is provided).
import { build } from 'esbuild';

await build({
  entryPoints: ['src/extension.ts'],
  bundle: true,
  outfile: 'dist/extension.js',
  external: ['vscode'],
  format: 'cjs',
  platform: 'node',
  target: 'node20',
  sourcemap: true,
  sourcesContent: false,
  minify: process.argv.includes('--minify'),
  logLevel: 'warning',
});
