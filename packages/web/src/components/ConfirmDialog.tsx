import { createEffect, createUniqueId, type JSX, Show } from "solid-js"

/**
 * A question to confirm before something that cannot be undone, as a modal `<dialog>` (never
 * `window.confirm`): a title, what will happen, Cancel and the action. It opens with the focus on
 * Cancel, the safe choice; Escape, Cancel or a click on the backdrop say no. While the confirmed
 * work runs (`busy`) it stays open and cannot be dismissed. Once closed, the focus goes back to
 * what had it before, when that is still on the page; `onClosed` runs after that (a page whose
 * opener is gone moves the focus there).
 */
export function ConfirmDialog(props: {
  open: boolean
  title: string
  children: JSX.Element
  confirmLabel: string
  busyLabel: string
  busy: boolean
  onConfirm: () => void
  onCancel: () => void
  onClosed?: () => void
}) {
  const titleId = createUniqueId()
  const textId = createUniqueId()
  let dialog: HTMLDialogElement | undefined
  let cancel: HTMLButtonElement | undefined
  let opener: HTMLElement | undefined

  createEffect(() => {
    if (!dialog) return
    if (props.open && !dialog.open) {
      opener = document.activeElement instanceof HTMLElement ? document.activeElement : undefined
      dialog.showModal()
      cancel?.focus()
    }
    if (!props.open && dialog.open) dialog.close()
  })

  const dismiss = () => {
    if (!props.busy) props.onCancel()
  }

  const closed = () => {
    // The close event is queued: by the time it arrives the dialog may be open again, and this one is stale.
    if (dialog?.open) return
    if (opener?.isConnected) opener.focus()
    opener = undefined
    // Closed by the browser itself (it may force Escape through): the page must know.
    if (props.open) props.onCancel()
    props.onClosed?.()
  }

  return (
    <dialog
      ref={dialog}
      class="modal-dialog confirm-dialog"
      role="alertdialog"
      aria-labelledby={titleId}
      aria-describedby={textId}
      aria-busy={props.busy}
      onCancel={(event) => {
        // Escape: the page decides (and refuses while busy).
        event.preventDefault()
        dismiss()
      }}
      onClose={closed}
      onClick={(event) => {
        if (event.target === dialog) dismiss()
      }}
    >
      <div class="modal-dialog__box">
        <h2 id={titleId} class="confirm-dialog__title">
          {props.title}
        </h2>
        <div id={textId} class="confirm-dialog__text">
          {props.children}
        </div>
        <div class="button-row confirm-dialog__actions">
          <button
            ref={cancel}
            type="button"
            class="button button--ghost"
            aria-disabled={props.busy}
            onClick={dismiss}
          >
            Cancel
          </button>
          {/* aria-disabled, not disabled: a disabled button drops the focus to the page. */}
          <button
            type="button"
            class="button button--danger"
            aria-disabled={props.busy}
            onClick={() => {
              if (!props.busy) props.onConfirm()
            }}
          >
            <Show when={props.busy}>
              <span class="spinner spinner--small" aria-hidden="true" />
            </Show>
            {props.busy ? props.busyLabel : props.confirmLabel}
          </button>
        </div>
      </div>
    </dialog>
  )
}
