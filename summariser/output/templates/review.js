// The review page's viewer: clicking an item (or Enter on it) highlights its evidence in the sources.
// An item names its spans by evidence id (data-ev, cut into segments by the server) or, for an item
// added in edit mode, by offsets (data-spans: JSON [[doc_id, start, end], ...], the segments having
// been split at those offsets by edit.js). Opening the page at #anchor selects that item.
(function () {
  "use strict";
  var byId = new Map();  // evidence id -> its segments, built once (and again after edit mode splits them)
  function reindex() {
    byId = new Map();
    document.querySelectorAll("#sources span.ev").forEach(function (el) {
      el.dataset.ev.split(" ").forEach(function (id) {
        if (!byId.has(id)) { byId.set(id, []); }
        byId.get(id).push(el);
      });
    });
  }
  function inRange(ref) {  // the segments of doc ref[0] that lie in [ref[1], ref[2])
    var out = [];
    document.querySelectorAll("#sources .text").forEach(function (text) {
      if (text.dataset.doc !== ref[0]) { return; }
      text.querySelectorAll("span[data-o]").forEach(function (seg) {
        var at = Number(seg.dataset.o);
        if (at >= ref[1] && at < ref[2]) { out.push(seg); }
      });
    });
    return out;
  }
  function spansOf(item) {
    var out = [];
    (item.dataset.ev || "").split(" ").filter(Boolean).forEach(function (id) {
      (byId.get(id) || []).forEach(function (el) { out.push(el); });
    });
    if (item.dataset.spans) {
      JSON.parse(item.dataset.spans).forEach(function (ref) { out = out.concat(inRange(ref)); });
    }
    return out;
  }
  function select(item) {
    document.querySelectorAll("li.item.selected").forEach(function (el) { el.classList.remove("selected"); });
    document.querySelectorAll("#sources .active").forEach(function (el) { el.classList.remove("active"); });
    item.classList.add("selected");
    var first = null;
    spansOf(item).forEach(function (el) {
      el.classList.add("active");
      if (first === null || (el.compareDocumentPosition(first) & Node.DOCUMENT_POSITION_FOLLOWING)) { first = el; }
    });
    if (first !== null) { first.scrollIntoView({block: "center"}); }
  }
  function fromHash() {
    var id = decodeURIComponent(window.location.hash.slice(1));
    var item = id ? document.getElementById(id) : null;
    if (item && item.classList.contains("item")) { select(item); item.focus({preventScroll: true}); }
  }
  var pane = document.getElementById("briefing");
  pane.addEventListener("click", function (e) {
    var item = e.target.closest("li.item");
    if (item && !e.target.closest("button, input, select, textarea, form")) { select(item); }
  });
  pane.addEventListener("keydown", function (e) {
    if (e.key === "Enter" && e.target.matches("li.item")) { select(e.target); }
  });
  reindex();
  window.summariserReview = {select: select, reindex: reindex};
  window.addEventListener("hashchange", fromHash);
  fromHash();
})();
