import { createAsync, revalidate } from "@solidjs/router"
import { Match, Switch } from "solid-js"
import { currentUser } from "../../lib/session/state.js"
import { usePageTitle } from "../../lib/title.js"
import { LoadFailed, StatePanel } from "../assess/components/StatePanel.js"
import { ProgressView } from "./components/ProgressView.js"
import { getProgress } from "./Page.data.js"
import { RecordFrame } from "./components/RecordFrame.js"
import "../assess/assess.css"

/** Progress: what the learner has covered, the average score per pillar, and recent activity. */
export default function ProgressPage() {
  usePageTitle("Progress")
  const userId = () => currentUser()?.id ?? ""
  const progress = createAsync(() => getProgress(userId()))
  const retry = () => void revalidate(getProgress.keyFor(userId()))

  return (
    <RecordFrame class="progress-page" eyebrow="Progress" title="How far you've come">
      <Switch>
        <Match when={progress()?._tag === "failed" && progress()} keyed>
          {(failed) => (failed._tag === "failed" ? <LoadFailed error={failed.error} retry={retry} /> : null)}
        </Match>
        <Match when={progress()?._tag === "ok" && progress()} keyed>
          {(loaded) =>
            loaded._tag !== "ok" ? null : loaded.value.completed === 0 && loaded.value.inProgress === 0 ? (
              <StatePanel
                icon="graph"
                title="Nothing to show yet"
                text="Complete an assessment and your scores, the pillars you've covered and your averages appear here."
                link={{ href: "/assess", label: "Take your first assessment" }}
              />
            ) : (
              <ProgressView progress={loaded.value} />
            )}
        </Match>
      </Switch>
    </RecordFrame>
  )
}
