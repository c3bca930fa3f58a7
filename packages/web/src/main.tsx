import { Router } from "@solidjs/router"
import { render } from "solid-js/web"
import { App } from "./App.js"
import { routes } from "./routes.js"
import "./styles/tokens.css"
import "./styles/base.css"
import "./styles/layout.css"
import "./styles/components.css"
import "./styles/forms.css"

const root = document.getElementById("root")
if (!root) throw new Error("index.html must contain <div id=\"root\">")

render(() => <Router root={App}>{[...routes]}</Router>, root)
