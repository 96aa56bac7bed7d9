#!/usr/bin/env node
// Supply chain checks of what CallDesk ships (production dependencies, from package-lock.json):
//   node scripts/supply-chain.mjs sbom [file]   writes a CycloneDX SBOM (default release/sbom.cdx.json)
//   node scripts/supply-chain.mjs licences      fails when a production dependency's licence is not allowed
// Both read the lock file only (npm sbom --package-lock-only), so they run offline and in CI.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Licences a closed-source desktop may ship (permissive; MPL-2.0 is file-level copyleft, fine unmodified). */
export const ALLOWED_LICENCES = ['MIT', 'ISC', 'Apache-2.0', 'BSD-2-Clause', 'BSD-3-Clause', '0BSD', 'BlueOak-1.0.0', 'CC0-1.0', 'Unlicense', 'MPL-2.0', 'Python-2.0', 'WTFPL', 'Zlib'];

/**
 * The CycloneDX SBOM of the production dependencies (parsed JSON): npm's SBOM of the whole lock file,
 * kept to the packages the lock file does not mark `dev`. (npm 11's own `--omit dev` drops react and
 * react-dom, which are production dependencies, so it is not used.)
 */
export function sbom(projectRoot = root) {
  const r = spawnSync('npm', ['sbom', '--sbom-format', 'cyclonedx', '--package-lock-only'], { cwd: projectRoot, encoding: 'utf8', maxBuffer: 128 * 1024 * 1024 });
  if (r.status !== 0) throw new Error(`npm sbom failed: ${r.stderr}`);
  const bom = JSON.parse(r.stdout);
  const lock = JSON.parse(fs.readFileSync(path.join(projectRoot, 'package-lock.json'), 'utf8'));
  const shipped = new Set(
    Object.entries(lock.packages ?? {})
      .filter(([key, pkg]) => key !== '' && !pkg.dev)
      .map(([key, pkg]) => `${key.slice(key.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${pkg.version}`),
  );
  bom.components = (bom.components ?? []).filter((c) => shipped.has(`${c.name}@${c.version}`));
  const kept = new Set(bom.components.map((c) => c['bom-ref']));
  bom.dependencies = (bom.dependencies ?? []).filter((d) => kept.has(d.ref) || d.ref === bom.metadata?.component?.['bom-ref']).map((d) => ({ ...d, dependsOn: (d.dependsOn ?? []).filter((x) => kept.has(x)) }));
  return bom;
}

/**
 * True when an SPDX expression is satisfied by allowed licences: `A OR B` needs one allowed side,
 * `A AND B` needs both; parentheses group. Anything unparsable is not allowed.
 */
export function licenceAllowed(expression, allowed = ALLOWED_LICENCES) {
  const tokens = String(expression ?? '').match(/\(|\)|[A-Za-z0-9.+-]+/g) ?? [];
  let i = 0;
  const primary = () => {
    const t = tokens[i++];
    if (t === '(') {
      const v = orExpr();
      if (tokens[i++] !== ')') throw new Error('unbalanced');
      return v;
    }
    if (!t || t === ')' || /^(AND|OR|WITH)$/i.test(t)) throw new Error('unexpected token');
    if (/^with$/i.test(tokens[i] ?? '')) i += 2; // an exception only widens what the licence allows
    return allowed.includes(t);
  };
  const andExpr = () => {
    let v = primary();
    while (/^and$/i.test(tokens[i] ?? '')) {
      i++;
      v = primary() && v;
    }
    return v;
  };
  const orExpr = () => {
    let v = andExpr();
    while (/^or$/i.test(tokens[i] ?? '')) {
      i++;
      v = andExpr() || v;
    }
    return v;
  };
  try {
    const v = orExpr();
    return i === tokens.length && v;
  } catch {
    return false;
  }
}

/** Production components whose licence is missing or not allowed: `name@version: licence`. */
export function licenceProblems(bom, allowed = ALLOWED_LICENCES) {
  const problems = [];
  for (const c of bom.components ?? []) {
    const exprs = (c.licenses ?? []).map((l) => l.expression ?? l.license?.id ?? l.license?.name).filter(Boolean);
    const expression = exprs.length > 1 ? exprs.map((e) => `(${e})`).join(' OR ') : exprs[0];
    if (!expression || !licenceAllowed(expression, allowed)) problems.push(`${c.name}@${c.version}: ${expression ?? 'no licence declared'}`);
  }
  return problems;
}

function main() {
  const [command, file] = process.argv.slice(2);
  if (command === 'sbom') {
    const out = path.resolve(file ?? path.join(root, 'release', 'sbom.cdx.json'));
    fs.mkdirSync(path.dirname(out), { recursive: true });
    const bom = sbom();
    fs.writeFileSync(out, `${JSON.stringify(bom, null, 2)}\n`);
    console.log(`supply chain: SBOM with ${bom.components.length} production components written to ${out}`);
  } else if (command === 'licences') {
    const problems = licenceProblems(sbom());
    if (problems.length) {
      console.error(`supply chain: licences not allowed (${ALLOWED_LICENCES.join(', ')}):\n  ${problems.join('\n  ')}`);
      process.exit(1);
    }
    console.log('supply chain: every production dependency has an allowed licence');
  } else {
    console.error('usage: node scripts/supply-chain.mjs sbom [file] | licences');
    process.exit(2);
  }
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
