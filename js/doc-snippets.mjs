// The polkadot.js snippets of the documentation as runnable scripts: every ```js block of a
// document, in order, concatenated into one ES module — what a reader gets by pasting them one
// after another. test/docs.test.mjs runs each document's script against a dev node.
//
//   node js/doc-snippets.mjs [OUT_DIR]   writes OUT_DIR/<doc>.mjs (default: a temporary
//                                        directory) for every document with js blocks and
//                                        prints their paths, without connecting to a node
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const here = path.dirname(fileURLToPath(import.meta.url));

/** The repository root (js/ is one level below it). */
export const repoRoot = path.join(here, '..');

/** The endpoint and RPC definitions the snippets name, as a reader runs them from the repo root. */
export const DOC_WS_URL = 'ws://127.0.0.1:9944';
export const DOC_RPC_IMPORT = './js/powerverse-rpc.js';

/**
 * The ```js blocks of `markdown`, in order: `{ line, code }` with `line` the 1-based line of the
 * opening fence. Fences may be indented (inside a list); the indentation is removed.
 */
export function jsBlocks(markdown) {
  const lines = markdown.split('\n');
  const blocks = [];
  let open = null; // { line, indent, lang, body }
  lines.forEach((text, i) => {
    const fence = /^(\s*)(`{3,})\s*([\w-]*)\s*$/.exec(text);
    if (!open) {
      if (fence) open = { line: i + 1, indent: fence[1].length, lang: fence[3].toLowerCase(), body: [] };
      return;
    }
    if (fence && !fence[3]) {
      if (['js', 'javascript', 'mjs'].includes(open.lang)) {
        blocks.push({ line: open.line, code: open.body.join('\n') });
      }
      open = null;
      return;
    }
    open.body.push(text.slice(Math.min(open.indent, text.length - text.trimStart().length)));
  });
  if (open) throw new Error(`unclosed code fence opened at line ${open.line}`);
  return blocks;
}

/** Markdown files that may hold snippets: README.md and docs/*.md, sorted. */
export function documents(root = repoRoot) {
  const docs = fs.readdirSync(path.join(root, 'docs'))
    .filter((f) => f.endsWith('.md'))
    .sort()
    .map((f) => path.join('docs', f));
  return ['README.md', ...docs];
}

/** The documents with at least one js block: `{ name, file, blocks }`. */
export function docsWithSnippets(root = repoRoot) {
  return documents(root)
    .map((name) => {
      const file = path.join(root, name);
      return { name, file, blocks: jsBlocks(fs.readFileSync(file, 'utf8')) };
    })
    .filter((doc) => doc.blocks.length > 0);
}

/**
 * One document's blocks as one ES module meant to live in js/ (so `@polkadot/api` resolves from
 * js/node_modules): `ws://127.0.0.1:9944` becomes `wsUrl`, `./js/powerverse-rpc.js` becomes
 * `./powerverse-rpc.js`, and `await api.disconnect();` ends it unless the document does.
 */
export function docScript(doc, wsUrl = DOC_WS_URL) {
  const parts = [`// Generated from ${doc.name} by js/doc-snippets.mjs: its js blocks, in order.`];
  for (const block of doc.blocks) {
    parts.push(`\n// ---- ${doc.name}:${block.line}\n${block.code}`);
  }
  let script = parts.join('\n')
    .split(DOC_WS_URL).join(wsUrl)
    .split(DOC_RPC_IMPORT).join('./powerverse-rpc.js');
  if (!/\bapi\.disconnect\(\)/.test(script)) script += '\n\nawait api.disconnect();\n';
  return script;
}

// CLI: write the scripts somewhere to look at or `node --check` them.
if (process.argv[1] && import.meta.url === pathToFileURL(path.resolve(process.argv[1])).href) {
  const out = process.argv[2] ?? fs.mkdtempSync(path.join(os.tmpdir(), 'pv-doc-snippets-'));
  fs.mkdirSync(out, { recursive: true });
  for (const doc of docsWithSnippets()) {
    const file = path.join(out, `${path.basename(doc.name, '.md')}.mjs`);
    fs.writeFileSync(file, docScript(doc));
    console.log(`${doc.name}: ${doc.blocks.length} js blocks -> ${file}`);
  }
}
