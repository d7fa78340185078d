// ESLint for the hand-written TypeScript (the layer in src/, the example, the type-level tests).
// The generated files are NSwag's and generate-operations.mjs's output, checked by regeneration
// instead; the node tests are plain JavaScript run by node --test.
import js from "@eslint/js";
import { defineConfig } from "eslint/config";
import tseslint from "typescript-eslint";

export default defineConfig(
    { ignores: ["dist/", "node_modules/", "examples/*/dist/", "examples/*/node_modules/", "src/convor-client.ts", "src/convor-operations.ts", "**/*.mjs"] },
    js.configs.recommended,
    tseslint.configs.strict,
    {
        rules: {
            // `{}` is the honest type in `{} extends Params` (are all parameters optional?).
            "@typescript-eslint/no-empty-object-type": ["error", { allowObjectTypes: "always" }],
        },
    },
);
