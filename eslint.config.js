import js from "@eslint/js"
import tseslint from "typescript-eslint"

export default tseslint.config(
  // Local experiments (.gitignore) are never linted.
  { ignores: ["**/node_modules/**", "**/dist/**", "**/dist-types/**", "**/.data/**", "**/coverage/**", "**/*.scratch.*", "**/*.scratch/**", "**/scratch-*/**"] },
  js.configs.recommended,
  ...tseslint.configs.recommended,
  {
    rules: {
      "@typescript-eslint/no-explicit-any": "error",
      "@typescript-eslint/no-unused-vars": ["error", { argsIgnorePattern: "^_", varsIgnorePattern: "^_" }],
      "@typescript-eslint/no-empty-object-type": "off",
      "@typescript-eslint/no-namespace": "off",
      "no-restricted-syntax": [
        "error",
        { selector: "CallExpression[callee.property.name='only']", message: "No focused tests." }
      ]
    }
  },
  {
    files: ["**/*.js", "**/*.mjs"],
    languageOptions: { globals: { process: "readonly", console: "readonly" } }
  }
)
