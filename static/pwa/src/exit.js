// Quick exit, for a worker in danger (as field documentation tools for people at risk have it):
// from every screen, a long press on the fixed "Exit" control, then one confirmation that says
// how many records have not been sent. The app then tries for a few seconds to push the outbox,
// wipes the database, every cache, localStorage and the service worker, and leaves a neutral
// page. A long press and a confirmation, so a pocket or a child does not trigger it by chance.
import { _, ngettext, onLocaleChange } from "./i18n/index.js";
import { closeForGood, openStore, wipe } from "./store/db.js";
import { h } from "./ui/dom.js";

const HOLD_MS = 800;
export const PUSH_FOR_MS = 3000;  // then wipe anyway: the whole exit stays within 5 s

let push = null;  // set while unlocked: sends the outbox (app.js)

export function setExitPush(fn) {
  push = fn;
}

async function unsent() {
  try {
    return (await (await openStore()).getAllKeys("outbox")).length;
  } catch {
    return 0;
  }
}

function neutralPage() {
  // Nothing that says what was here: no title, icon, manifest or app colours, the address back
  // to the root. The head goes first: a favicon fetched after the wipe would refill a cache.
  for (const element of document.querySelectorAll("link, meta[name=theme-color], style")) element.remove();
  document.title = "";
  history.replaceState(null, "", "/");
  document.documentElement.removeAttribute("dir");
  document.body.replaceChildren(h("main", { id: "neutral" }));
}

export async function quickExit() {
  if (push) {
    const timeout = new Promise((resolve) => { setTimeout(resolve, PUSH_FOR_MS); });
    await Promise.race([Promise.resolve().then(push).catch(() => {}), timeout]);
  }
  closeForGood();  // no timer or screen may open the database again
  neutralPage();
  await wipe({ everything: true });
}

function confirmExit(count) {
  document.getElementById("exit-dialog")?.remove();
  const close = () => dialog.remove();
  const dialog = h("div", { id: "exit-dialog", className: "card exit-dialog", role: "alertdialog",
                            "aria-labelledby": "exit-title", "aria-describedby": "exit-about" },
    h("h2", { id: "exit-title" }, _("Erase this phone and leave?")),
    h("p", { id: "exit-about", dataset: { unsent: String(count) } },
      count
        ? ngettext("{count} record has not been sent. The app tries to send it for a few seconds; after that it is lost.",
                   "{count} records have not been sent. The app tries to send them for a few seconds; after that they are lost.", count)
        : _("Everything on this phone has been sent."),
      " ", _("Everything on this phone is then erased.")),
    h("button", { id: "exit-confirm", type: "button", className: "danger", onclick: () => {
      dialog.querySelectorAll("button").forEach((b) => { b.disabled = true; });
      quickExit();
    } }, _("Erase and leave")),
    h("button", { id: "exit-cancel", type: "button", className: "secondary", onclick: close }, _("Cancel")));
  document.body.append(dialog);
  dialog.querySelector("#exit-cancel").focus();
}

// The fixed control: a press shorter than HOLD_MS does nothing but say how to use it.
export function installQuickExit() {
  if (document.getElementById("quick-exit")) return;
  let timer = null;
  const hint = h("span", { id: "exit-hint", className: "exit-hint", role: "status", hidden: true },
    _("Hold to erase and leave"));
  const start = (event) => {
    if (event.type === "keydown" && (event.repeat || !["Enter", " "].includes(event.key))) return;
    event.preventDefault();
    clearTimeout(timer);
    timer = setTimeout(async () => {
      timer = null;
      hint.hidden = true;
      confirmExit(await unsent());
    }, HOLD_MS);
  };
  const stop = () => {
    if (timer) hint.hidden = false;  // let go too early
    clearTimeout(timer);
    timer = null;
  };
  const button = h("button", { id: "quick-exit", type: "button", className: "quick-exit",
                               "aria-describedby": "exit-hint",
                               onpointerdown: start, onpointerup: stop, onpointerleave: stop,
                               onpointercancel: stop, onkeydown: start, onkeyup: stop,
                               oncontextmenu: (event) => event.preventDefault() },
    _("Exit"));
  document.querySelector("header")?.append(button, hint);
  // The header follows a change of language at once, like the screen.
  onLocaleChange(() => {
    button.textContent = _("Exit");
    hint.textContent = _("Hold to erase and leave");
  });
}
