// Type tests: tsc over test/types/*.ts against the published typings (dist/index.d.ts). Each file
// must compile clean, and the same file with its @ts-expect-error lines removed must fail exactly
// once per removed line, so every directive marks a real error.
import * as fs from 'fs';
import * as path from 'path';
import * as ts from 'typescript';

const dir = path.join(__dirname, 'types');
const files = fs.readdirSync(dir).filter((f) => f.endsWith('.ts'));
const options: ts.CompilerOptions = {
  strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
  moduleResolution: ts.ModuleResolutionKind.Node10, types: ['node'], skipLibCheck: false,
};

function diagnose(file: string, text: string): string[] {
  const host = ts.createCompilerHost(options);
  const read = host.readFile.bind(host);
  host.readFile = (f) => (path.resolve(f) === path.resolve(file) ? text : read(f));
  const program = ts.createProgram([file], options, host);
  return ts.getPreEmitDiagnostics(program).map((d) => {
    const where = d.file && d.start !== undefined ? `${path.basename(d.file.fileName)}:${d.file.getLineAndCharacterOfPosition(d.start).line + 1}` : '';
    return `${where} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`;
  });
}

describe('type tests (tsc over test/types)', () => {
  test('there are type test files', () => {
    expect(files.length).toBeGreaterThan(0);
  });
  test.each(files)('%s compiles, and each @ts-expect-error marks a real error', (f) => {
    const file = path.join(dir, f);
    const text = fs.readFileSync(file, 'utf8');
    expect(diagnose(file, text)).toEqual([]);
    const directives = text.split('\n').filter((l) => l.trim().startsWith('// @ts-expect-error')).length;
    expect(directives).toBeGreaterThan(0);
    const stripped = text.split('\n').map((l) => (l.trim().startsWith('// @ts-expect-error') ? '' : l)).join('\n');
    expect(diagnose(file, stripped)).toHaveLength(directives);
  });
});

// ts-jest only transpiles (isolatedModules): without this, a type error in a test or the library would
// pass unnoticed until someone ran tsc on the test project by hand.
test('the test sources and lib/ type-check as one project (test/tsconfig.json)', () => {
  const config = ts.getParsedCommandLineOfConfigFile(path.join(__dirname, 'tsconfig.json'), {}, {
    ...ts.sys, onUnRecoverableConfigFileDiagnostic: (d) => { throw new Error(ts.flattenDiagnosticMessageText(d.messageText, '\n')); },
  })!;
  expect(config.fileNames.some((f) => f.endsWith('ndis.property.test.ts'))).toBe(true);
  const program = ts.createProgram(config.fileNames, config.options);
  const errors = ts.getPreEmitDiagnostics(program).map((d) =>
    `${d.file ? path.relative(path.join(__dirname, '..'), d.file.fileName) : ''} ${ts.flattenDiagnosticMessageText(d.messageText, '\n')}`);
  expect(errors).toEqual([]);
}, 60000);
