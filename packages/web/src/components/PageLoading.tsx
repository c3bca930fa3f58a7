/** Suspense fallback while a page's code or data loads. */
export function PageLoading() {
  return (
    <div class="container page page-loading" role="status" aria-live="polite">
      <span class="spinner" aria-hidden="true" />
      <span>Loading…</span>
    </div>
  )
}
