// Writes the README's example operations (every ```graphql block of ../../README.md) to operations/, one
// file an operation: the README stays their only source, and codegen types exactly what it shows.
// Codegen types named operations only, so an anonymous one is named after its first root field
// (`{ search(…) … }` → `query Search { search(…) … }`, types SearchQuery and SearchDocument); the rest of
// its text is the README's, character for character.
import { mkdirSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { Kind, parse } from "graphql";

const here = dirname(dirname(fileURLToPath(import.meta.url)));
const readmePath = join(here, "..", "..", "README.md");
const outDir = join(here, "operations");

function blocks(markdown) {
  const found = [];
  const fence = /^```graphql\n([\s\S]*?)^```$/gm;
  for (const match of markdown.matchAll(fence)) {
    const line = markdown.slice(0, match.index).split("\n").length + 1;
    found.push({ text: match[1], line });
  }
  return found;
}

function pascal(name) {
  return name.charAt(0).toUpperCase() + name.slice(1);
}

function operations(markdown) {
  const out = new Map();
  for (const { text, line } of blocks(markdown)) {
    let document;
    try {
      document = parse(text);
    } catch (error) {
      throw new Error(`README.md, the graphql block at line ${line}: ${error.message}`);
    }
    for (const definition of document.definitions) {
      if (definition.kind !== Kind.OPERATION_DEFINITION) {
        throw new Error(`README.md, line ${line}: only operations are expected in a graphql block`);
      }
      const source = text.slice(definition.loc.start, definition.loc.end);
      const root = definition.selectionSet.selections.find((s) => s.kind === Kind.FIELD);
      const base = definition.name?.value ?? pascal(root.name.value);
      let name = base;
      for (let n = 2; out.has(name); n += 1) name = `${base}${n}`;
      const named = definition.name
        ? source
        : source.startsWith("{")
          ? `query ${name} ${source}`
          : source.replace(/^(query|mutation|subscription)\s*/, `$1 ${name} `);
      out.set(name, `# From README.md (line ${line}); written by scripts/readme-operations.mjs.\n${named}\n`);
    }
  }
  return out;
}

const wanted = operations(readFileSync(readmePath, "utf8"));
mkdirSync(outDir, { recursive: true });
for (const file of readdirSync(outDir)) if (file.endsWith(".graphql")) rmSync(join(outDir, file));
for (const [name, text] of wanted) writeFileSync(join(outDir, `${name}.graphql`), text);
console.log(`${wanted.size} operations from README.md in operations/`);
