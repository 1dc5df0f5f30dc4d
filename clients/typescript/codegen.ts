// GraphQL Code Generator: the types of the README's example operations (operations/, written from
// README.md by scripts/readme-operations.mjs) against the committed SDL, into src/generated/.
import type { CodegenConfig } from "@graphql-codegen/cli";

const config: CodegenConfig = {
  schema: "../../schema.graphql",
  documents: ["operations/*.graphql"],
  generates: {
    "src/generated/": {
      preset: "client",
      presetConfig: { fragmentMasking: false },
      config: {
        // A scalar the map does not name fails the generation instead of typing as `any`.
        strictScalars: true,
        scalars: {
          USCC: "../scalars.js#USCC",
          // Inputs take any string (the server checks it); answers are the branded ISO day.
          Date: { input: "string", output: "../scalars.js#IsoDate" },
          DateTime: "string",
          JSON: "unknown",
        },
        // Plain strings on the wire: no graphql runtime in the browser bundle, and fetch sends them as they are.
        documentMode: "string",
        enumsAsTypes: true,
        useTypeImports: true,
        // ESM as Node runs it: relative imports with their `.js`.
        emitLegacyCommonJSImports: false,
      },
    },
  },
};

export default config;
