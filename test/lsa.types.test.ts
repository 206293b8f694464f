// Type test (API.md 0): passing another kind of handle where a PLSA_CLIENT_REQUEST is expected, or a
// PLSA_CLIENT_REQUEST where a WDF handle is expected, is a TypeScript compile error. ts-jest only
// transpiles, so the snippet is type-checked here with the compiler API against lib/index.ts.
import * as path from 'path';
import * as ts from 'typescript';

const root = path.join(__dirname, '..');
const snippetFile = path.join(root, 'test', '__lsa_types_snippet__.ts');
const snippet = `
import * as nt from '../lib';
declare const req: nt.PLSA_CLIENT_REQUEST;
declare const mem: nt.WDFMEMORY;
const buf = new Uint8Array(16);
// correct uses compile
const s1: number = nt.LsaFunctions.CopyFromClientBuffer(req, 16, buf, 0x10000n);
const s2: number = nt.LsaFunctions.CopyToClientBuffer(req, 16, 0x10000, null);
const a: { status: number; ClientBaseAddress: bigint | null } = nt.LsaFunctions.AllocateClientBuffer(req, 16);
const s3: number = nt.LsaFunctions.FreeClientBuffer(req, null);
const r: nt.PLSA_CLIENT_REQUEST = nt.Sim.createClientRequest({ HighestUserAddress: 0x7ffeffffn });
r.map(0x10000, buf, nt.PAGE_READWRITE);
const b: Buffer = r.peek(0x10000, 4);
// @ts-expect-error a WDFMEMORY is not a PLSA_CLIENT_REQUEST
nt.LsaFunctions.CopyFromClientBuffer(mem, 16, buf, 0x10000);
// @ts-expect-error a PLSA_CLIENT_REQUEST is not a WDFMEMORY
nt.WdfMemoryCopyFromBuffer(req, 0, buf, 16);
// @ts-expect-error nor can it be deleted as a WDF object
nt.WdfObjectDelete(req);
// @ts-expect-error CopyToClientBuffer takes the client address third (argument-order trap)
nt.LsaFunctions.CopyToClientBuffer(req, 16, buf, 0x10000);
// @ts-expect-error the returned address is a bigint | null, not a number
const n: number = nt.LsaFunctions.AllocateClientBuffer(req, 1).ClientBaseAddress;
// @ts-expect-error lsaSim stays internal
nt.lsaSim;
export { s1, s2, a, s3, b, n };
`;

test('PLSA_CLIENT_REQUEST and WDF handles are distinct types; LSA signatures (type test)', () => {
  const options: ts.CompilerOptions = {
    strict: true, noEmit: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS,
    lib: ['lib.es2022.d.ts'], types: ['node'], esModuleInterop: true, skipLibCheck: true,
    typeRoots: [path.join(root, 'node_modules', '@types')],
  };
  const host = ts.createCompilerHost(options);
  const readFile = host.readFile.bind(host);
  const getSourceFile = host.getSourceFile.bind(host);
  host.readFile = (f) => (path.resolve(f) === snippetFile ? snippet : readFile(f));
  host.fileExists = ((fe) => (f: string) => path.resolve(f) === snippetFile || fe(f))(host.fileExists.bind(host));
  host.getSourceFile = (f, lang, ...rest) => (path.resolve(f) === snippetFile
    ? ts.createSourceFile(f, snippet, lang) : getSourceFile(f, lang, ...rest));
  const program = ts.createProgram([snippetFile], options, host);
  const diags = ts.getPreEmitDiagnostics(program).map((d) => ts.flattenDiagnosticMessageText(d.messageText, '\n'));
  expect(diags).toEqual([]);
});
