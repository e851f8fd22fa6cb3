// Builds the /explore data explorer and the offline GraphiQL into dist/, which is committed and
// embedded in the binary (web/embed.go). Reproducible: pinned versions (package-lock.json),
// content-hashed file names, no timestamps; CI rebuilds and fails on a diff.
//
//   npm ci && npm run build
import * as esbuild from 'esbuild';
import { readFile, writeFile, rm, mkdir, stat, readdir } from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

process.chdir(path.dirname(fileURLToPath(import.meta.url))); // paths below are relative to web/

const out = 'dist';
await rm(out, { recursive: true, force: true });
await mkdir(out, { recursive: true });

const result = await esbuild.build({
  entryPoints: {
    explore: 'src/explore/main.js',
    graphiql: 'src/graphiql/main.js',
    // Not pages: these entries only cut GraphiQL's vendor code into chunks of their own
    // (esbuild splits by the set of entries that reach a module), so no file nears 1 MB.
    'split-react': 'src/graphiql/split-react.js',
    'split-graphql': 'src/graphiql/split-graphql.js',
    'split-codemirror': 'src/graphiql/split-codemirror.js',
  },
  absWorkingDir: process.cwd(),
  bundle: true,
  splitting: true,
  format: 'esm',
  minify: true,
  treeShaking: true,
  target: ['es2020'],
  outdir: path.join(out, 'assets'),
  entryNames: '[name]-[hash]',
  chunkNames: 'chunk-[hash]',
  assetNames: '[name]-[hash]',
  metafile: true,
  legalComments: 'none',
  charset: 'utf8',
  define: { 'process.env.NODE_ENV': '"production"' },
  loader: { '.woff2': 'file', '.woff': 'file', '.svg': 'file' },
  logLevel: 'warning',
});

// The pages: each HTML template gets the head every page shares (src/head.html: doctype,
// charset, icon, viewport) and its entry's hashed script and stylesheet.
const head = await readFile(path.join('src', 'head.html'), 'utf8');
const outputs = result.metafile.outputs;
function entryFiles(entry) {
  const js = Object.keys(outputs).find((f) => outputs[f].entryPoint === entry);
  if (!js) throw new Error(`no output for ${entry}`);
  return { js: '/' + path.relative(out, js), css: outputs[js].cssBundle ? '/' + path.relative(out, outputs[js].cssBundle) : '' };
}
for (const [page, entry] of [['explore.html', 'src/explore/main.js'], ['graphiql.html', 'src/graphiql/main.js']]) {
  const { js, css } = entryFiles(entry);
  let html = await readFile(path.join('src', page), 'utf8');
  html = html.replace('%HEAD%\n', head).replace('%SCRIPT%', js).replace('%STYLE%', css);
  await writeFile(path.join(out, page), html);
}
// The split-* entries are never loaded by a page; their own (empty) files are removed.
for (const f of Object.keys(outputs)) {
  const e = outputs[f].entryPoint || '';
  if (e.includes('/split-')) await rm(f, { force: true });
}

// Report the sizes and fail past the budget.
const limit = 900 * 1024;
let total = 0;
for (const f of (await readdir(path.join(out, 'assets'))).sort()) {
  const { size } = await stat(path.join(out, 'assets', f));
  total += size;
  console.log(`${(size / 1024).toFixed(0).padStart(6)} KiB  assets/${f}`);
  if (size > limit) throw new Error(`assets/${f} is ${size} bytes, over the ${limit}-byte budget`);
}
console.log(`${(total / 1024).toFixed(0).padStart(6)} KiB  in all`);
