// Vite builds gigakoll's pages into dist/, which the Go package web embeds:
// one entry per page plus the shared stylesheet, hashed names under assets/,
// and dist/manifest.json mapping each entry to its files (web/manifest.go).
import { readFile } from 'node:fs/promises';
import { fileURLToPath } from 'node:url';
import { defineConfig } from 'vite';

// Every entry; a page template names its entry with {{assets "src/…"}}.
const entries = {
  layout: 'src/layout.css', // the shared stylesheet, linked by every page
  map: 'src/map.js', // /         Karta
  mal: 'src/mal.js', // /mal      Mål
  matning: 'src/matning.js', // /matning  Mätning
  login: 'src/login.js', // /logga-in
  upload: 'src/upload.js', // the coordinators' import page
  utbyggnad: 'src/utbyggnad.js', // /utbyggnad Utbyggnad: the build-out projects
};

// ndt7's Web Workers are classic scripts that the client starts by URL, so
// they are copied to a stable path (dist/ndt7/…, served at /ndt7/…) rather
// than hashed; src/ndt7-workers.js holds those URLs.
const ndt7Workers = ['ndt7-download-worker.js', 'ndt7-upload-worker.js'];

function copyNdt7Workers() {
  return {
    name: 'gigakoll-ndt7-workers',
    async generateBundle() {
      for (const name of ndt7Workers) {
        const path = fileURLToPath(import.meta.resolve(`@m-lab/ndt7/src/${name}`));
        this.emitFile({ type: 'asset', fileName: `ndt7/${name}`, source: await readFile(path) });
      }
      // emptyOutDir removes dist/.gitkeep, which keeps go:embed compiling on a
      // fresh clone; put it back as it was (empty).
      this.emitFile({ type: 'asset', fileName: '.gitkeep', source: '' });
    },
  };
}

export default defineConfig({
  root: fileURLToPath(new URL('.', import.meta.url)),
  base: '/',
  publicDir: false, // everything served comes through the manifest or the plugin above
  plugins: [copyNdt7Workers()],
  build: {
    outDir: 'dist',
    emptyOutDir: true,
    manifest: 'manifest.json',
    sourcemap: false,
    chunkSizeWarningLimit: 1024, // kB: MapLibre alone is about 700 kB minified (180 kB gzip)
    // The Go side writes <link rel="modulepreload"> for every imported chunk.
    modulePreload: { polyfill: false },
    rolldownOptions: {
      input: Object.fromEntries(Object.entries(entries).map(([k, v]) => [k, fileURLToPath(new URL(v, import.meta.url))])),
    },
  },
});
