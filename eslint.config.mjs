// Lint: typescript-eslint's type-checked rules on every TypeScript file, and the house's size limits on the code
// (not on tests and scripts): no file over 400 lines, no function over 80.
import tseslint from "typescript-eslint";

export default tseslint.config(
  { ignores: ["node_modules/", ".tools/", "reports/", "failure-bundles/", "standins/*/build/", "dist/", "**/*.d.mts"] },
  ...tseslint.configs.recommendedTypeChecked,
  {
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      "@typescript-eslint/no-unused-vars": [
        "error",
        { argsIgnorePattern: "^_", varsIgnorePattern: "^_", destructuredArrayIgnorePattern: "^_" },
      ],
      "@typescript-eslint/consistent-type-imports": ["error", { fixStyle: "inline-type-imports" }],
      eqeqeq: ["error", "always"],
      // kafkajs handlers and interface methods must return promises even when their body needs no await.
      "@typescript-eslint/require-await": "off",
    },
  },
  {
    // expect.any / expect.stringMatching / expect.objectContaining are typed `any` by vitest.
    files: ["**/*.test.ts"],
    rules: {
      "@typescript-eslint/no-unsafe-assignment": "off",
      "@typescript-eslint/no-unsafe-argument": "off",
      "@typescript-eslint/no-unsafe-return": "off",
    },
  },
  {
    files: ["**/*.ts"],
    ignores: ["**/*.test.ts", "scripts/**"],
    rules: {
      "max-lines": ["error", { max: 400 }],
      "max-lines-per-function": ["error", { max: 80 }],
    },
  },
  { files: ["**/*.mjs"], ...tseslint.configs.disableTypeChecked },
);
