import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join, relative } from 'node:path';
import ts from 'typescript';
import { describe, expect, it } from 'vitest';
import { ROOT } from '../helpers/hostProcess';

// Issue 10 acceptance, kept true: no source file under electron/core, server or renderer above 500
// lines (locale tables and demo data excepted), and no class anywhere in the product above 400 lines.
const MAX_FILE_LINES = 500;
const MAX_CLASS_LINES = 400;
/** Data, not logic: seeded demo customers and the demo profile (locale tables live in shared/i18n). */
const FILE_SIZE_EXCEPTIONS = [/\/demoData\.ts$/, /^electron\/core\/demo\//, /\/locales\//];

function sourceFiles(dir: string): string[] {
  const out: string[] = [];
  const walk = (d: string) => {
    for (const name of readdirSync(d)) {
      if (name === 'node_modules' || name === 'dist' || name.startsWith('.')) continue;
      const path = join(d, name);
      if (statSync(path).isDirectory()) walk(path);
      else if (/\.(ts|tsx|mts|mjs)$/.test(name) && !name.endsWith('.d.ts')) out.push(path);
    }
  };
  walk(join(ROOT, dir));
  return out;
}

/** Lines as `wc -l` counts them (a final line without a newline counts too). */
function lineCount(text: string): number {
  if (text === '') return 0;
  return text.split('\n').length - (text.endsWith('\n') ? 1 : 0);
}

/** Every class declaration or expression in a source text, with its length in lines. */
function classSizes(fileName: string, text: string): Array<{ name: string; lines: number }> {
  const source = ts.createSourceFile(fileName, text, ts.ScriptTarget.Latest, true, fileName.endsWith('x') ? ts.ScriptKind.TSX : ts.ScriptKind.TS);
  const found: Array<{ name: string; lines: number }> = [];
  const visit = (node: ts.Node) => {
    if (ts.isClassDeclaration(node) || ts.isClassExpression(node)) {
      const start = source.getLineAndCharacterOfPosition(node.getStart(source)).line;
      const end = source.getLineAndCharacterOfPosition(node.getEnd()).line;
      found.push({ name: node.name?.text ?? '(anonymous)', lines: end - start + 1 });
    }
    ts.forEachChild(node, visit);
  };
  visit(source);
  return found;
}

describe('size measures', () => {
  it('count lines like wc -l and measure classes from their first to their last line', () => {
    expect(lineCount('a\nb\n')).toBe(2);
    expect(lineCount('a\nb')).toBe(2);
    const text = ['// head', 'export class Small {', '  x = 1;', '}', 'const Anon = class {', '  y() {}', '};', ''].join('\n');
    expect(classSizes('x.ts', text)).toEqual([
      { name: 'Small', lines: 3 },
      { name: '(anonymous)', lines: 3 },
    ]);
  });
});

describe('file and class sizes', () => {
  it(`no file under electron/core, server or renderer above ${MAX_FILE_LINES} lines (locale tables and demo data excepted)`, () => {
    const files = ['electron/core', 'server', 'renderer'].flatMap(sourceFiles);
    expect(files.length).toBeGreaterThan(100);
    const tooLong = files
      .map((f) => ({ file: relative(ROOT, f), lines: lineCount(readFileSync(f, 'utf8')) }))
      .filter(({ file, lines }) => lines > MAX_FILE_LINES && !FILE_SIZE_EXCEPTIONS.some((re) => re.test(file)));
    expect(tooLong).toEqual([]);
  });

  it(`no class in the product above ${MAX_CLASS_LINES} lines`, () => {
    const files = ['electron', 'server', 'renderer', 'shared'].flatMap(sourceFiles);
    const tooLong = files.flatMap((f) =>
      classSizes(f, readFileSync(f, 'utf8'))
        .filter((c) => c.lines > MAX_CLASS_LINES)
        .map((c) => `${relative(ROOT, f)}: ${c.name} (${c.lines} lines)`),
    );
    expect(tooLong).toEqual([]);
  }, 120_000);
});
