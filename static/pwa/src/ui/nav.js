// Navigation pieces every screen draws: the way back, and the notice above a form typed in
// from paper. In ui/ so that views import them without importing each other.
import { _ } from "../i18n/index.js";
import { h } from "./dom.js";

// Above a form entered from paper: which numbered form this is.
export function paperNotice(paper) {
  return paper ? h("p", { className: "notice", id: "paper-notice", dataset: { serial: paper.serial } },
    _("Entering paper form {serial}", { serial: paper.serial })) : null;
}

export function backLink(href, label = _("Back")) {
  // The arrow points back in the reading direction (mirrored by CSS in right-to-left).
  return h("a", { href, className: "back" }, h("span", { className: "arrow", "aria-hidden": "true" }, "←"), " ", label);
}
