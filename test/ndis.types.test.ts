// Type test (API.md 0): handle kinds are nominal; test/types/ndis.ts must compile with no diagnostic,
// which also proves every @ts-expect-error in it is a real error.
import * as path from 'path';
import * as ts from 'typescript';

test('NDIS handle kinds are distinct types (wrong kind = compile error)', () => {
  const file = path.join(__dirname, 'types', 'ndis.ts');
  const program = ts.createProgram([file], {
    strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, lib: ['lib.es2022.d.ts'],
    types: ['node'], noEmit: true, skipLibCheck: true, esModuleInterop: true,
  });
  const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diags).toEqual([]);
});
