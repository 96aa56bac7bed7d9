#!/usr/bin/env node
// `npm run policy:templates`: writes IT's policy documents generated from the settings definitions
// (Group Policy ADMX/ADML, docs/policy-keys.md): see electron/core/config/policyTemplates.ts.
import { build } from 'esbuild';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
// Inside the checkout (git-ignored .tmp/) so the bundle's external packages (zod, i18n texts' deps)
// resolve from the repository's node_modules; node_modules/.cache need not exist (fresh install).
fs.mkdirSync(path.join(root, '.tmp'), { recursive: true });
const tmp = fs.mkdtempSync(path.join(root, '.tmp', 'calldesk-policy-'));
const out = path.join(tmp, 'policyTemplates.mjs');
await build({ entryPoints: [path.join(root, 'electron/core/config/policyTemplates.ts')], bundle: true, platform: 'node', format: 'esm', outfile: out, packages: 'external', logLevel: 'error' });
const { policyTemplateFiles } = await import(pathToFileURL(out).href);
for (const [rel, content] of Object.entries(policyTemplateFiles())) {
  const file = path.join(root, rel);
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, content);
  console.log(`policy templates: wrote ${rel}`);
}
fs.rmSync(tmp, { recursive: true, force: true });
