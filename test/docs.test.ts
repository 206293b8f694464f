// Every export of the package carries a TSDoc comment (issue: documentation), and so does every
// member of the Sim and LsaFunctions objects, which users call like functions, and every public
// member of an exported class (the MDL / NET_BUFFER / NET_BUFFER_LIST fields, the client request's
// host controls, the error classes' fields).
import * as path from 'path';
import * as ts from 'typescript';

const index = path.join(__dirname, '..', 'lib', 'index.ts');
const lib = path.dirname(index);

function undocumented(): string[] {
  const program = ts.createProgram([index], { strict: true, target: ts.ScriptTarget.ES2022, module: ts.ModuleKind.CommonJS, types: ['node'] });
  const checker = program.getTypeChecker();
  const mod = checker.getSymbolAtLocation(program.getSourceFile(index)!)!;
  const missing: string[] = [];
  const doc = (s: ts.Symbol) => ts.displayPartsToString(s.getDocumentationComment(checker)).trim();
  for (const exp of checker.getExportsOfModule(mod)) {
    const sym = exp.flags & ts.SymbolFlags.Alias ? checker.getAliasedSymbol(exp) : exp;
    if (!doc(sym)) missing.push(exp.name);
    if (exp.name === 'Sim' || exp.name === 'LsaFunctions') {
      const type = checker.getTypeOfSymbolAtLocation(sym, sym.valueDeclaration!);
      for (const member of type.getProperties()) if (!doc(member)) missing.push(`${exp.name}.${member.name}`);
    }
    if (sym.flags & ts.SymbolFlags.Class) {
      // Public members declared in lib/ (not those inherited from Error; not private brands or symbol keys).
      for (const member of checker.getDeclaredTypeOfSymbol(sym).getProperties()) {
        const decls = member.getDeclarations() ?? [];
        const ours = decls.some((d) => path.dirname(d.getSourceFile().fileName) === lib);
        const hidden = decls.some((d) => ts.getCombinedModifierFlags(d) & (ts.ModifierFlags.Private | ts.ModifierFlags.Protected));
        if (!ours || hidden || member.name.startsWith('__@') || member.name.startsWith('#')) continue; // #private: not public
        if (!doc(member)) missing.push(`${exp.name}.${member.name}`);
      }
    }
  }
  return missing;
}

test('every export (and every Sim / LsaFunctions member, every public class member) has a TSDoc comment', () => {
  expect(undocumented()).toEqual([]);
});
