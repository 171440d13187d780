# One-off codemod kept for route files added later: `python3 scripts/add-operation-ids.py packages/api/src`
# Adds `operationId: '<name>'` to every `export const <name>Route = createRoute({` that lacks one.
import re, sys, pathlib
root = pathlib.Path(sys.argv[1])
for p in root.rglob('*.ts'):
    s = p.read_text()
    out = re.sub(r"(export const ([a-zA-Z0-9]+)Route = createRoute\(\{\n)(?!  operationId)", lambda m: f"{m.group(1)}  operationId: '{m.group(2)}',\n", s)
    if out != s:
        p.write_text(out)
        print(p)
