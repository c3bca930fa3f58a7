import type { PillarId } from "@compilar/domain"
import { useAction, useSubmission } from "@solidjs/router"
import { ConfirmDialog } from "../../../components/ConfirmDialog.js"
import { currentUser } from "../../../lib/session/state.js"
import { toaster } from "../../../lib/toast.js"
import { deleteAssessment } from "../assessment.data.js"
import { pillarOf } from "../labels.js"

/** The assessment a learner asked to delete. */
export interface DeleteTarget {
  readonly id: string
  readonly pillar: PillarId
  /** Which one of the pillar's assessments, in words: "completed 3 Mar 2026". */
  readonly when: string
}

/**
 * "Delete this assessment?", open while `target` is set. Confirmed, it deletes the assessment
 * (the dialog says so while the request runs), toasts the outcome and tells the page
 * (`onDeleted`), which removes it from view; a failure is toasted and the dialog closes, the
 * assessment still there.
 */
export function DeleteAssessmentDialog(props: {
  target: DeleteTarget | undefined
  onCancel: () => void
  onDeleted: (id: string) => void
  onClosed?: () => void
}) {
  const remove = useAction(deleteAssessment)
  const submission = useSubmission(deleteAssessment)
  const busy = () => submission.pending === true
  const title = () => (props.target === undefined ? "" : pillarOf(props.target.pillar).title)

  const confirm = async () => {
    const target = props.target
    if (target === undefined || busy()) return
    const outcome = await remove(currentUser()?.id ?? "", target.id)
    if (outcome._tag === "failed") return props.onCancel()
    if (outcome._tag === "gone") {
      toaster.info("Already deleted", `Your ${pillarOf(target.pillar).title} assessment had been deleted elsewhere.`)
    } else {
      toaster.success("Assessment deleted", `Your ${pillarOf(target.pillar).title} assessment is gone, with its answers.`)
    }
    props.onDeleted(target.id)
  }

  return (
    <ConfirmDialog
      open={props.target !== undefined}
      title={`Delete your ${title()} assessment?`}
      confirmLabel="Delete"
      busyLabel="Deleting…"
      busy={busy()}
      onConfirm={() => void confirm()}
      onCancel={() => props.onCancel()}
      onClosed={() => props.onClosed?.()}
    >
      <p>
        The assessment {props.target?.when} goes with its answers, scores and coaching, and your progress stops counting
        it. This cannot be undone.
      </p>
    </ConfirmDialog>
  )
}
