// A list that may hold thousands of rows (the home screen's households, issue 18). Short lists,
// the common case, are drawn whole as ever. From LONG_LIST rows on, only the rows near the
// viewport are in the DOM (@tanstack/virtual-core computes which, from the page's scroll and
// each drawn row's measured height): the browser's style and layout of 2,000 rows was what
// was left of opening the list on a slow phone, and of the keystroke that clears a search.
// The list stays a list: every drawn row says its place and the list's length
// (aria-posinset/aria-setsize), the list's own data-count says how many it holds, a focused
// row is never taken out, and what a search looks in is the data, not the DOM.
import {
  Virtualizer, defaultRangeExtractor, observeWindowOffset, observeWindowRect, windowScroll,
} from "@tanstack/virtual-core";

export const LONG_LIST = 200;
const OVERSCAN = 8;  // rows drawn beyond each edge of the viewport: Tab and a fast flick land on drawn rows

// The rows measured by the last long list drawn, for the next one: a quiet refresh builds a
// new list, and with the heights the old one had measured (tanstack's snapshot, made for
// exactly this) the page is as tall as before and the restored scroll position shows the same
// rows, where they were. Only for the same width (rows wrap differently on another).
let previous = null;
let previousWidth = 0;
const ESTIMATE = 53;  // a one-line row (44px link, padding, border) until it is measured
let gap = 4;  // the list's row gap (.25rem) as last read from the page

function snapshot() {
  return previous && previousWidth === innerWidth ? previous.takeSnapshot() : [];
}

export function longList(list, { key, draw }) {
  let items = [];
  let windowed = false;
  let started = false;
  let virtualizer = null;
  let focused = null;  // the item whose row holds the focus

  let sizes = new Map();  // before the list is on the page: the previous list's measured rows
  const sizeOf = (item) => sizes.get(key(item)) ?? ESTIMATE;
  const place = (li, index, top) => {
    li.dataset.index = index;
    li.setAttribute("aria-posinset", index + 1);
    li.setAttribute("aria-setsize", items.length);
    li.style.transform = `translateY(${top}px)`;
    return li;
  };
  // Puts exactly `wanted` (in order) in the list; the rows that stay are not moved, so a
  // focused one keeps its focus.
  const showRows = (wanted) => {
    const keep = new Set(wanted);
    for (const child of [...list.children]) if (!keep.has(child)) child.remove();
    let at = list.firstElementChild;
    for (const li of wanted) {
      if (li === at) at = at.nextElementSibling;
      else list.insertBefore(li, at);
    }
  };

  // Before the list is on the page its place in it is unknown: the first screenful, and the
  // whole list's height so that a scroll position can be restored into it.
  const drawTop = () => {
    sizes = new Map(snapshot().map((row) => [row.key, row.size]));
    let top = 0;
    const wanted = [];
    for (let i = 0; i < items.length && top < innerHeight; i++) {
      wanted.push(place(draw(items[i]), i, top));
      top += sizeOf(items[i]) + gap;
    }
    list.style.height = `${items.reduce((sum, item) => sum + sizeOf(item), 0) + gap * (items.length - 1)}px`;
    showRows(wanted);
  };

  const paint = () => {
    const margin = virtualizer.options.scrollMargin;
    const rows = virtualizer.getVirtualItems();
    list.style.height = `${virtualizer.getTotalSize()}px`;
    const wanted = rows.map((row) => place(draw(items[row.index]), row.index, row.start - margin));
    showRows(wanted);
    for (const li of wanted) virtualizer.measureElement(li);
  };

  const marginOf = () => list.getBoundingClientRect().top + window.scrollY;

  const stop = () => {
    virtualizer?.cleanup();
    virtualizer = null;
  };

  const begin = () => {
    const measured = snapshot();
    // The list it measured has left the page (this one replaces it): it stops listening.
    if (previous && previous !== virtualizer) previous.cleanup();
    gap = parseFloat(getComputedStyle(list).rowGap) || 0;
    virtualizer = new Virtualizer({
      count: items.length,
      getItemKey: (index) => key(items[index]),
      estimateSize: () => ESTIMATE,
      initialMeasurementsCache: measured,
      gap,
      overscan: OVERSCAN,
      scrollMargin: marginOf(),
      initialOffset: () => window.scrollY,
      initialRect: { width: innerWidth, height: innerHeight },
      getScrollElement: () => window,
      observeElementRect: observeWindowRect,
      observeElementOffset: observeWindowOffset,
      scrollToFn: windowScroll,
      // The focused row stays drawn wherever the page is scrolled (keyboard, screen reader).
      rangeExtractor: (range) => {
        const indexes = defaultRangeExtractor(range);
        const at = focused === null ? -1 : items.indexOf(focused);
        if (at < 0 || indexes.includes(at)) return indexes;
        return [...indexes, at].sort((a, b) => a - b);
      },
      onChange: () => {
        if (!list.isConnected) {
          stop();
          return;
        }
        // What is above the list (a warning, the sync summary) may have changed its height.
        const margin = marginOf();
        if (Math.abs(margin - virtualizer.options.scrollMargin) > 1) {
          virtualizer.setOptions({ ...virtualizer.options, scrollMargin: margin });
        }
        paint();
        // Where the list was last drawn at rest (rows measured, the scroll no longer moving):
        // a state tests can wait for.
        if (virtualizer.isScrolling) delete list.dataset.rest;
        else list.dataset.rest = Math.round(window.scrollY);
      },
    });
    previous = virtualizer;
    previousWidth = innerWidth;
    virtualizer._didMount();
    virtualizer._willUpdate();
    paint();
  };

  list.addEventListener("focusin", (event) => {
    const li = event.target.closest("li[data-index]");
    focused = li ? items[Number(li.dataset.index)] ?? null : null;
  });
  list.addEventListener("focusout", (event) => {
    if (!list.contains(event.relatedTarget)) focused = null;
  });

  return {
    // Shows these items (a search chose them), in this order.
    show(next) {
      list.dataset.count = next.length;
      if (next.length < LONG_LIST) {
        const wasWindowed = windowed;
        items = next;
        windowed = false;
        stop();
        list.classList.remove("windowed");
        list.style.height = "";
        const shown = next.map(draw);
        if (wasWindowed) {
          for (const li of shown) {
            li.style.transform = "";
            li.removeAttribute("aria-posinset");
            li.removeAttribute("aria-setsize");
            delete li.dataset.index;
          }
        }
        // A letter that narrows nothing ("f", "fa" in a list of "Familia …") leaves the list
        // alone: taking the rows out and putting them back costs a layout for the same screen.
        const same = shown.length === list.children.length && shown.every((li, i) => list.children[i] === li);
        if (!same) list.replaceChildren(...shown);
        return;
      }
      items = next;
      windowed = true;
      list.classList.add("windowed");
      if (!started) drawTop();
      else if (!virtualizer) begin();
      else {
        virtualizer.setOptions({ ...virtualizer.options, count: items.length });
        virtualizer._willUpdate();
        paint();
      }
    },
    // Once the list is on the page (after mount(), which may have restored a scroll position).
    start() {
      started = true;
      if (windowed && list.isConnected) begin();
    },
  };
}
