// Per-record receipts: what synced when, what waits, and what the server refused and why.
import { _, currentLocale } from "../i18n/index.js";
import { receipts, retryRefused } from "../sync/outbox.js";
import { h, mount } from "../ui/dom.js";
import { backLink } from "./household.js";
import { syncSummary } from "./home.js";

const LABELS = () => ({ waiting: _("waiting"), synced: _("synced"), conflict: _("synced, with a conflict"),
                        refused: _("refused"), erased: _("erased on request") });

export async function renderSyncReceipts(ctx) {
  const all = (await receipts()).sort((a, b) => b.at.localeCompare(a.at)).slice(0, 200);
  const time = new Intl.DateTimeFormat(currentLocale() === "rom" ? "ro" : currentLocale(),
                                       { dateStyle: "short", timeStyle: "short" });
  const labels = LABELS();
  const refused = all.some((r) => r.status === "refused");
  mount(ctx.root, backLink("#/"),
    h("section", { className: "card" },
      h("h1", {}, _("Sync")),
      syncSummary(),
      h("button", { type: "button", id: "sync-now", onclick: () => ctx.sync() }, _("Sync now")),
      refused ? h("button", { type: "button", className: "secondary",
                              onclick: async () => { await retryRefused(); ctx.sync(); } },
                  _("Send refused records again")) : null),
    h("section", { className: "card" },
      h("h2", {}, _("Records on this phone")),
      h("ul", { id: "receipts", className: "list" }, all.map((receipt) => h("li", { dataset: { status: receipt.status } },
        h("span", {}, `${receipt.type} · ${labels[receipt.status] ?? receipt.status} · ${time.format(new Date(receipt.at))}`),
        receipt.problem ? h("p", { className: "error" }, receipt.problem.title,
          receipt.problem.detail ? `: ${receipt.problem.detail}` : "") : null)))));
}
