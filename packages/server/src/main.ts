import { NodeRuntime } from "@effect/platform-node"
import { Layer } from "effect"
import { Main, reportStartupFailure } from "./App.js"

Layer.launch(Main).pipe(reportStartupFailure, NodeRuntime.runMain({ disablePrettyLogger: true, disableErrorReporting: true }))
