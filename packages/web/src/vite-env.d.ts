/// <reference types="vite/client" />

interface ImportMetaEnv {
  /** Base URL of the Compilar API; "" or unset means same origin. */
  readonly VITE_API_BASE_URL?: string
  /** Version of the web bundle, set by vite.config.ts from package.json. */
  readonly VITE_APP_VERSION?: string
}

interface ImportMeta {
  readonly env: ImportMetaEnv
}
