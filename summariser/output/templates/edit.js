// The review page's edit mode: turn the briefing into gold.
//
// Every item of the briefing (headline, date, location, bullets, people, organisations, places, countries,
// quotes, themes, implications) can be marked correct (c) or wrong (x), edited (e) or reset (u);
// an item grounding dropped can be restored (r); a missing one is added by selecting its text in a
// source pane (its evidence: exact character offsets into sources[].text, in code points as the
// briefing counts them). Decisions are kept in localStorage under the briefing's key as they are
// made, so a reload loses nothing, and the page warns before closing with unsaved changes.
// "Save as gold" downloads NAME.json: the briefing with the wrong items left out (and listed in
// meta.notes), the edits applied, the additions appended, a grounding report of the gold's own
// evidence and no unreviewed mark. Every element is built with textContent: no field is HTML.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("edit-data").textContent);
  var B = DATA.briefing;
  var NOTES = DATA.notes;
  var LIMITS = DATA.limits;
  var STORE = "summariser-review:" + DATA.key;
  var ATTRS = {
    headline: ["text"], event_date: ["text"], location: ["text"], summary: ["text"], implications: ["text"],
    people: ["name", "role", "affiliation"], organisations: ["name"], places: ["name"], countries: ["name"],
    quotes: ["text", "speaker"], themes: ["text"]
  };
  var OPTIONAL = {role: true, affiliation: true, speaker: true};
  var SINGLE = ["headline", "event_date", "location"];
  var LISTS = ["summary", "people", "organisations", "places", "countries", "quotes", "themes", "implications"];
  var MATCHES = ["exact", "normalised", "fuzzy", "none"];
  var grounding = B.grounding || {counts: {}, dropped: [], ungrounded: [], event_date: [], location: [], countries: {}};
  var state = load();
  var pending = null;  // the current selection in a source pane: {doc, start, end, text}

  // ------------------------------------------------------------------ storage
  function fresh() { return {v: 1, items: {}, added: [], seq: 0, dirty: false, saved: null}; }
  function load() {
    try {
      var raw = window.localStorage.getItem(STORE);
      var value = raw ? JSON.parse(raw) : null;
      if (value && value.v === 1) { return value; }
    } catch (err) { /* unreadable: start afresh */ }
    return fresh();
  }
  function persist(changed) {
    if (changed) { state.dirty = true; }
    try { window.localStorage.setItem(STORE, JSON.stringify(state)); } catch (err) {
      say("This browser does not keep the edits (local storage refused them): save before closing.");
    }
    counts();
  }

  // ------------------------------------------------------------------ text and values
  var codepoints = {};
  function sourceText(doc) {
    for (var i = 0; i < B.sources.length; i++) { if (B.sources[i].doc_id === doc) { return B.sources[i].text; } }
    return null;
  }
  function cps(doc) {
    if (!codepoints[doc]) { codepoints[doc] = Array.from(sourceText(doc) || ""); }
    return codepoints[doc];
  }
  function slice(doc, start, end) { return cps(doc).slice(start, end).join(""); }
  function fits(ev) {
    if (sourceText(ev.doc_id) === null) { return true; }  // no text to check against: kept as it is
    return ev.start >= 0 && ev.start < ev.end && ev.end <= cps(ev.doc_id).length && slice(ev.doc_id, ev.start, ev.end) === ev.quote;
  }
  function words(text) { return (text || "").split(/\s+/).filter(Boolean).length; }
  function copy(value) { return JSON.parse(JSON.stringify(value)); }
  function original(field, index) {
    if (field === "headline") { return {text: B.headline}; }
    if (field === "event_date" || field === "location") { return {text: B[field]}; }
    var item = B[field][index];
    if (field === "countries") { return {name: item}; }
    if (field === "themes") { return {text: item}; }
    var out = {};
    ATTRS[field].forEach(function (a) { out[a] = item[a] === undefined ? null : item[a]; });
    return out;
  }
  function same(a, b) { return JSON.stringify(a) === JSON.stringify(b); }
  function primary(values) { return values.name !== undefined ? values.name : values.text; }
  function describe(field, v) {
    if (field === "headline") { return ["Headline: " + v.text, ""]; }
    if (field === "event_date") { return ["Date: " + (v.text || "none"), ""]; }
    if (field === "location") { return ["Location: " + (v.text || "none"), ""]; }
    if (field === "people") { return [v.name, [v.role, v.affiliation].filter(Boolean).join(", ")]; }
    if (field === "quotes") { return ["\u201c" + v.text + "\u201d", v.speaker || "unattributed"]; }
    return [primary(v), ""];
  }

  // ------------------------------------------------------------------ items on the page
  function items() { return Array.prototype.slice.call(document.querySelectorAll("#briefing ul[data-section] li.item")); }
  function addedEntry(id) { return state.added.filter(function (a) { return a.id === id; })[0] || null; }
  function values(li) {
    var entry = addedEntry(li.id);
    if (entry) { return entry.values; }
    var st = state.items[li.id];
    return st && st.values ? st.values : original(li.dataset.field, Number(li.dataset.index));
  }
  function button(text, title, act) {
    var b = document.createElement("button");
    b.type = "button"; b.tabIndex = -1; b.textContent = text; b.title = title; b.dataset.act = act;
    return b;
  }
  function decorate(li) {
    var tag = document.createElement("span");
    tag.className = "tag";
    var controls = document.createElement("span");
    controls.className = "controls";
    if (li.classList.contains("dropped")) {
      if (restorable(li)) { controls.appendChild(button("restore", "restore this item into the gold (r)", "restore")); }
    } else if (!li.classList.contains("ungrounded")) {
      controls.appendChild(button("\u2713", "correct (c)", "confirm"));
      controls.appendChild(button("\u2717", "wrong: leave it out of the gold (x)", "reject"));
      controls.appendChild(button("edit", "edit (e)", "edit"));
    }
    li.dataset.ev0 = li.dataset.ev || "";
    li.insertBefore(tag, li.firstChild);
    li.appendChild(controls);
  }
  function refresh(li) {
    if (li.classList.contains("ungrounded")) { return; }
    if (li.classList.contains("dropped")) {
      var restored = restoredBy(li.id);
      li.classList.toggle("st-restored", restored);
      li.querySelector(".tag").textContent = restored ? "restored" : "";
      return;
    }
    var entry = addedEntry(li.id);
    var st = state.items[li.id];
    var status = entry ? (entry.from ? "restored" : "added") : (st ? st.status : "");
    ["confirmed", "edited", "rejected", "added", "restored"].forEach(function (s) { li.classList.toggle("st-" + s, s === status); });
    li.querySelector(".tag").textContent = status;
    var shown = describe(li.dataset.field, values(li));
    li.querySelector(".label").textContent = shown[0];
    li.querySelector(".detail").textContent = shown[1];
    var ev = entry ? entry.evidence : (st && st.evidence ? st.evidence : null);
    li.dataset.spans = ev ? JSON.stringify(ev.map(function (e) { return [e.doc_id, e.start, e.end]; })) : "";
    li.dataset.ev = ev ? "" : li.dataset.ev0;
    if (li.dataset.field === "headline") { document.querySelector("header h1").textContent = values(li).text; }
  }
  function addedLi(entry) {
    var li = document.createElement("li");
    li.className = "item added";
    li.id = entry.id; li.tabIndex = 0; li.dataset.field = entry.field; li.dataset.index = "-1"; li.dataset.ev = "";
    var label = document.createElement("span"); label.className = "label";
    var detail = document.createElement("div"); detail.className = "detail";
    li.appendChild(label); li.appendChild(detail);
    decorate(li);
    document.querySelector('#briefing ul[data-section="' + entry.field + '"]').appendChild(li);
    entry.evidence.forEach(function (e) { mark(e); });
    refresh(li);
    return li;
  }

  // ------------------------------------------------------------------ source segments
  function segmentsOf(doc) {
    var text = Array.prototype.filter.call(document.querySelectorAll("#sources .text"), function (t) { return t.dataset.doc === doc; })[0];
    return text ? Array.prototype.slice.call(text.querySelectorAll("span[data-o]")) : [];
  }
  function split(doc, at) {  // cut the segment holding offset `at` there, so a span can start or end at it
    var segs = segmentsOf(doc);
    for (var i = 0; i < segs.length; i++) {
      var o = Number(segs[i].dataset.o);
      var next = i + 1 < segs.length ? Number(segs[i + 1].dataset.o) : Infinity;
      if (o === at || at < o || at >= next) { continue; }
      var head = Array.from(segs[i].textContent).slice(0, at - o).join("");
      var tail = segs[i].cloneNode(false);
      tail.dataset.o = String(at);
      tail.textContent = segs[i].textContent.slice(head.length);
      segs[i].textContent = head;
      segs[i].parentNode.insertBefore(tail, segs[i].nextSibling);
      return;
    }
  }
  function mark(ev) {
    if (sourceText(ev.doc_id) === null) { return; }
    split(ev.doc_id, ev.start); split(ev.doc_id, ev.end);
    segmentsOf(ev.doc_id).forEach(function (seg) {
      var o = Number(seg.dataset.o);
      if (o >= ev.start && o < ev.end) { seg.classList.add("added-ev"); }
    });
    window.summariserReview.reindex();
  }

  // ------------------------------------------------------------------ decisions
  function say(text) { document.getElementById("messages").textContent = text; }
  function next(li) {
    var all = items();
    var after = all[all.indexOf(li) + 1];
    if (after) { after.focus(); }
  }
  function confirm(li) {
    if (addedEntry(li.id)) { return; }
    var st = state.items[li.id];
    var v = values(li);
    var edited = !same(v, original(li.dataset.field, Number(li.dataset.index))) || (st && st.evidence);
    state.items[li.id] = {status: edited ? "edited" : "confirmed", values: v, evidence: st ? st.evidence : undefined, from: st ? st.from : undefined};
    done(li);
  }
  function reject(li) {
    if (li.dataset.field === "headline") { say("The headline is required: edit it (e) instead."); return; }
    if (addedEntry(li.id)) { remove(li); return; }
    var st = state.items[li.id];
    state.items[li.id] = {status: "rejected", values: st ? st.values : undefined, evidence: st ? st.evidence : undefined, from: st ? st.from : undefined};
    done(li);
  }
  function remove(li) {
    var entry = addedEntry(li.id);
    state.added = state.added.filter(function (a) { return a !== entry; });
    var focus = li.nextElementSibling || li.previousElementSibling;
    li.remove();
    if (entry.from) { refresh(document.getElementById(entry.from)); }
    persist(true); renderRejected();
    if (focus) { focus.focus(); }
  }
  function undo(li) {
    if (li.classList.contains("dropped")) {
      state.added.filter(function (a) { return a.from === li.id; }).forEach(function (a) { remove(document.getElementById(a.id)); });
      Object.keys(state.items).forEach(function (id) {
        if (state.items[id].from === li.id) { delete state.items[id]; refresh(document.getElementById(id)); }
      });
      refresh(li); persist(true);
      return;
    }
    if (addedEntry(li.id)) { remove(li); return; }
    delete state.items[li.id];
    done(li, true);
  }
  function done(li, stay) {
    refresh(li); persist(true); renderRejected();
    if (!stay) { next(li); }
  }
  function restoredBy(id) {
    return state.added.some(function (a) { return a.from === id; }) ||
      Object.keys(state.items).some(function (k) { return state.items[k].from === id; });
  }
  function restorable(li) {
    var d = grounding.dropped[Number(li.dataset.index)];
    return LISTS.indexOf(d.field) >= 0 || ["people.role", "people.affiliation", "quotes.speaker"].indexOf(d.field) >= 0;
  }
  function restore(li) {
    if (!restorable(li) || restoredBy(li.id)) { return; }
    var d = grounding.dropped[Number(li.dataset.index)];
    if (LISTS.indexOf(d.field) >= 0) {
      var v = {};
      ATTRS[d.field].forEach(function (a) { v[a] = OPTIONAL[a] ? null : d.item; });
      var evidence = d.closest && fits(d.closest) ? [copy(d.closest)] : [];
      var entry = {id: "added-" + (++state.seq), field: d.field, values: v, evidence: evidence, from: li.id};
      state.added.push(entry);
      addedLi(entry);
    } else {  // a dropped attribute goes back onto its person or quote, as an edit of that item
      var attr = d.field.split(".")[1];
      var field = d.field.split(".")[0];
      var cut = attr === "speaker" ? d.item.lastIndexOf(" \u2014 ") : d.item.indexOf(": ");
      var key = d.item.slice(0, cut);
      var value = d.item.slice(cut + (attr === "speaker" ? 3 : 2));
      var target = items().filter(function (el) {
        if (el.dataset.field !== field || el.classList.contains("st-rejected")) { return false; }
        var p = primary(values(el));
        return attr === "speaker" ? p.indexOf(key) === 0 : p === key;
      })[0];
      if (!target) { say("Restore the " + (field === "people" ? "person" : "quote") + " first: it is not in the briefing."); return; }
      var changed = copy(values(target));
      changed[attr] = value;
      var added = addedEntry(target.id);
      if (added) { added.values = changed; } else {
        state.items[target.id] = {status: "edited", values: changed, from: li.id};
      }
      refresh(target);
    }
    refresh(li); persist(true);
  }
  function edit(li) {
    if (li.querySelector("form") || li.classList.contains("dropped") || li.classList.contains("ungrounded")) { return; }
    var field = li.dataset.field;
    var v = values(li);
    var form = document.createElement("form");
    form.className = "edit";
    ATTRS[field].forEach(function (a, i) {
      var label = document.createElement("label");
      var name = field === "event_date" ? "date (YYYY-MM-DD; empty: none)" : (field === "location" ? "location (empty: none)" : a);
      label.textContent = name + " ";
      var input = document.createElement(a === "text" && (field === "summary" || field === "implications" || field === "quotes") ? "textarea" : "input");
      input.name = a;
      input.value = v[a] === null || v[a] === undefined ? "" : v[a];
      label.appendChild(input);
      form.appendChild(label);
      if (i === 0) { setTimeout(function () { input.focus(); input.select(); }, 0); }
    });
    var ok = document.createElement("button"); ok.type = "submit"; ok.textContent = "apply (Enter)";
    var cancel = document.createElement("button"); cancel.type = "button"; cancel.textContent = "cancel (Esc)";
    form.appendChild(ok); form.appendChild(cancel);
    function close() { form.remove(); li.focus(); }
    cancel.addEventListener("click", close);
    form.addEventListener("keydown", function (e) {
      if (e.key === "Escape") { e.preventDefault(); close(); }
      if (e.key === "Enter" && e.target.tagName === "TEXTAREA" && !e.shiftKey) { e.preventDefault(); form.requestSubmit(); }
      e.stopPropagation();
    });
    form.addEventListener("submit", function (e) {
      e.preventDefault();
      var out = {};
      var problem = null;
      ATTRS[field].forEach(function (a) {
        var text = form.elements[a].value.trim();
        out[a] = text === "" ? null : text;
        if (out[a] === null && !OPTIONAL[a] && field !== "event_date" && field !== "location") { problem = a + " cannot be empty"; }
      });
      if (field === "event_date" && out.text !== null && !isDate(out.text)) { problem = "the date must be YYYY-MM-DD"; }
      if (problem) { say(problem); return; }
      var entry = addedEntry(li.id);
      if (entry) { entry.values = out; } else {
        var st = state.items[li.id] || {};
        var changed = !same(out, original(field, Number(li.dataset.index))) || st.evidence;
        state.items[li.id] = {status: changed ? "edited" : "confirmed", values: out, evidence: st.evidence, from: st.from};
      }
      say("");
      form.remove();
      done(li, true);
      li.focus();
    });
    li.appendChild(form);
  }
  function isDate(text) {
    if (!/^\d{4}-\d{2}-\d{2}$/.test(text)) { return false; }
    var d = new Date(text + "T00:00:00Z");
    return !isNaN(d.getTime()) && d.toISOString().slice(0, 10) === text;
  }

  // ------------------------------------------------------------------ adding from a selection
  function point(node, offset) {
    var el = node.nodeType === Node.TEXT_NODE ? node.parentElement : node;
    var text = el && el.closest ? el.closest("#sources .text") : null;
    if (!text) { return null; }
    var doc = text.dataset.doc;
    if (node.nodeType === Node.TEXT_NODE) {
      var seg = el.closest("span[data-o]");
      return seg ? {doc: doc, at: Number(seg.dataset.o) + Array.from(node.data.slice(0, offset)).length} : null;
    }
    if (el.matches("span[data-o]")) { return {doc: doc, at: Number(el.dataset.o) + (offset > 0 ? Array.from(el.textContent).length : 0)}; }
    if (el === text) {
      var kids = text.querySelectorAll("span[data-o]");
      return {doc: doc, at: offset < kids.length ? Number(kids[offset].dataset.o) : cps(doc).length};
    }
    return null;
  }
  function readSelection() {
    var sel = window.getSelection();
    if (!sel || sel.rangeCount === 0 || sel.isCollapsed) { return null; }
    var range = sel.getRangeAt(0);
    var a = point(range.startContainer, range.startOffset);
    var z = point(range.endContainer, range.endOffset);
    if (!a || !z || a.doc !== z.doc || sourceText(a.doc) === null) { return null; }
    var chars = cps(a.doc);
    var start = a.at, end = Math.min(z.at, chars.length);
    while (start < end && /\s/.test(chars[start])) { start++; }
    while (end > start && /\s/.test(chars[end - 1])) { end--; }
    if (start >= end) { return null; }
    var quote = slice(a.doc, start, end);
    if (quote.replace(/\s+/g, " ") !== range.toString().replace(/\s+/g, " ").trim()) { return {error: true}; }
    return {doc: a.doc, start: start, end: end, text: quote};
  }
  function showSelection() {
    var shown = document.getElementById("selection-text");
    document.getElementById("add-bar").classList.toggle("ready", !!(pending && !pending.error));
    if (!pending) { shown.textContent = "Select text in a source pane to add a missing item."; return; }
    if (pending.error) { shown.textContent = "That selection cannot be located in the source text; select it again."; return; }
    shown.textContent = "Selected \u201c" + pending.text + "\u201d (" + pending.doc + " [" + pending.start + ":" + pending.end + "]): add it as";
  }
  function addSelection(field) {
    if (!pending || pending.error) { say("Select the missing item's text in a source pane first."); return; }
    var start = pending.start, end = pending.end, doc = pending.doc;
    if (field === "quotes") {  // a quote is its words, not the marks around them
      var chars = cps(doc);
      while (start < end && /["\u201c\u201d\u2018\u2019'\s]/.test(chars[start])) { start++; }
      while (end > start && /["\u201c\u201d\u2018\u2019'\s]/.test(chars[end - 1])) { end--; }
      if (start >= end) { say("The selection holds no words."); return; }
    }
    var ev = {doc_id: doc, start: start, end: end, quote: slice(doc, start, end), match: "exact"};
    var li;
    if (field === "location") {
      li = document.getElementById("location");
      state.items.location = {status: "edited", values: {text: ev.quote}, evidence: [ev]};
      mark(ev); refresh(li);
    } else {
      var v = {};
      ATTRS[field].forEach(function (a) { v[a] = OPTIONAL[a] ? null : ev.quote; });
      var entry = {id: "added-" + (++state.seq), field: field, values: v, evidence: [ev]};
      state.added.push(entry);
      li = addedLi(entry);
    }
    window.getSelection().removeAllRanges();
    pending = null; showSelection(); say("");
    persist(true);
    window.summariserReview.select(li);
    li.focus();
  }
  function addTheme() {
    var entry = {id: "added-" + (++state.seq), field: "themes", values: {text: "new theme"}, evidence: []};
    state.added.push(entry);
    var li = addedLi(entry);
    persist(true);
    edit(li);
  }

  // ------------------------------------------------------------------ the gold file
  function best(evidence) {
    for (var i = 0; i < MATCHES.length; i++) {
      if (evidence.some(function (e) { return e.match === MATCHES[i]; })) { return MATCHES[i]; }
    }
    return "none";
  }
  function tally() {
    var c = {confirmed: 0, edited: 0, rejected: 0, added: state.added.length, total: 0};
    items().forEach(function (li) {
      if (addedEntry(li.id)) { return; }
      c.total++;
      var st = state.items[li.id];
      if (st) { c[st.status]++; }
    });
    c.reviewed = c.confirmed + c.edited + c.rejected;
    return c;
  }
  function build() {
    var gold = copy(B);
    var notes = [], problems = [], unfit = 0;
    var counts = {}, countries = {};
    function count(field, ev) {
      counts[field] = counts[field] || {exact: 0, normalised: 0, fuzzy: 0, none: 0};
      counts[field][best(ev)]++;
    }
    function kept(evidence) {
      var ok = (evidence || []).filter(fits);
      unfit += (evidence || []).length - ok.length;
      return ok.map(function (e) { return {doc_id: e.doc_id, start: e.start, end: e.end, quote: e.quote, match: e.match}; });
    }
    function make(field, v, evidence) {
      if (field === "countries") { countries[v.name] = (countries[v.name] || []).concat(evidence); count(field, evidence); return v.name; }
      if (field === "themes") { return v.text; }
      var out = {};
      ATTRS[field].forEach(function (a) { out[a] = v[a]; });
      out.evidence = evidence;
      count(field, evidence);
      return out;
    }
    gold.headline = values(document.getElementById("headline")).text;
    var single = {};
    ["event_date", "location"].forEach(function (f) {
      var st = state.items[f];
      var value = values(document.getElementById(f)).text;
      if (st && st.status === "rejected") {
        if (B[f] !== null) { notes.push(NOTES.prefix + "rejected " + f + ": " + B[f]); }
        value = null;
      }
      gold[f] = value;
      single[f] = value === null ? [] : kept(st && st.evidence ? st.evidence : grounding[f]);
      if (value !== null) { count(f, single[f]); }
    });
    LISTS.forEach(function (field) {
      var out = [];
      B[field].forEach(function (item, i) {
        var li = document.getElementById(field + "-" + i);
        var st = state.items[li.id];
        if (st && st.status === "rejected") { notes.push(NOTES.prefix + "rejected " + field + ": " + primary(original(field, i))); return; }
        var evidence = field === "countries" ? (grounding.countries[item] || []) : (item.evidence || []);
        out.push(make(field, values(li), kept(evidence)));
      });
      state.added.forEach(function (a) { if (a.field === field) { out.push(make(field, a.values, kept(a.evidence))); } });
      gold[field] = out;
    });
    gold.grounding = {counts: counts, dropped: [], ungrounded: [], event_date: single.event_date, location: single.location, countries: countries};
    var meta = B.meta ? copy(B.meta) : {model: NOTES.hand_written, prompts: {}, usage: {requests: 0, cache_hits: 0, prompt_tokens: 0, completion_tokens: 0}, notes: []};
    var c = tally();
    meta.notes = meta.notes.filter(function (n) { return n !== NOTES.unreviewed; }).concat(
      [NOTES.prefix + "reviewed in the review page: " + c.confirmed + " confirmed, " + c.edited + " edited, " + c.added +
        " added, " + c.rejected + " rejected, " + (c.total - c.reviewed) + " of " + c.total + " not reviewed (kept as they were)"],
      notes);
    gold.meta = meta;
    if (!gold.headline || words(gold.headline) > LIMITS.headline_words) { problems.push("the headline needs 1 to " + LIMITS.headline_words + " words"); }
    if (gold.summary.length < LIMITS.summary_min || gold.summary.length > LIMITS.summary_max) {
      problems.push("the summary needs " + LIMITS.summary_min + " to " + LIMITS.summary_max + " bullets, not " + gold.summary.length);
    }
    gold.summary.forEach(function (p) { if (words(p.text) > LIMITS.bullet_words) { problems.push("a bullet has over " + LIMITS.bullet_words + " words: " + p.text.slice(0, 60)); } });
    if (gold.themes.length < LIMITS.themes_min || gold.themes.length > LIMITS.themes_max) {
      problems.push("the themes need " + LIMITS.themes_min + " to " + LIMITS.themes_max + " labels, not " + gold.themes.length);
    }
    return {gold: gold, problems: problems, unfit: unfit};
  }
  function save() {
    var made = build();
    if (made.problems.length) { say("Not saved: " + made.problems.join("; ") + "."); return; }
    var text = JSON.stringify(made.gold, null, 2) + "\n";
    var link = document.createElement("a");
    var url = URL.createObjectURL(new Blob([text], {type: "application/json"}));
    link.download = DATA.name + ".json";
    link.href = url;
    document.body.appendChild(link);
    link.click();
    link.remove();
    setTimeout(function () { URL.revokeObjectURL(url); }, 5000);
    state.dirty = false;
    state.saved = new Date().toISOString();
    persist(false);
    say(made.unfit ? made.unfit + " evidence spans that do not fit their source text were left out." : "");
    showSaved();
  }
  function showSaved() {
    document.getElementById("save-panel").hidden = !state.saved;
    document.getElementById("gold-file").textContent = DATA.name + ".json";
    document.getElementById("sources-line").textContent = DATA.sources_line;
  }

  // ------------------------------------------------------------------ counts, rejections, wiring
  function counts() {
    var c = tally();
    document.getElementById("counts").textContent = c.confirmed + " confirmed \u00b7 " + c.edited + " edited \u00b7 " +
      c.added + " added \u00b7 " + c.rejected + " rejected";
    document.getElementById("progress").max = Math.max(c.total, 1);
    document.getElementById("progress").value = c.reviewed;
    document.getElementById("progress-text").textContent = "reviewed " + c.reviewed + " of " + c.total + " items";
    document.getElementById("save-state").textContent = state.dirty ? "unsaved changes" : (state.saved ? "saved" : "");
  }
  function renderRejected() {
    var list = document.getElementById("rejected");
    list.textContent = "";
    items().forEach(function (li) {
      var st = state.items[li.id];
      if (!st || st.status !== "rejected") { return; }
      var entry = document.createElement("li");
      entry.textContent = li.dataset.field + ": " + primary(original(li.dataset.field, Number(li.dataset.index)));
      list.appendChild(entry);
    });
    document.getElementById("rejected-panel").hidden = !list.children.length;
  }
  var ACTS = {confirm: confirm, reject: reject, edit: edit, restore: restore, undo: undo};
  var KEYS = {c: "confirm", x: "reject", e: "edit", r: "restore", u: "undo"};
  var ADD_KEYS = {};
  document.querySelectorAll("#add-buttons button").forEach(function (b) {
    ADD_KEYS[b.dataset.key] = b.dataset.add;
    b.addEventListener("mousedown", function (e) { e.preventDefault(); });  // keep the selection
    b.addEventListener("click", function () { addSelection(b.dataset.add); });
  });
  document.getElementById("briefing").addEventListener("click", function (e) {
    var b = e.target.closest("button[data-act]");
    if (b) { ACTS[b.dataset.act](b.closest("li.item")); }
  });
  document.addEventListener("keydown", function (e) {
    if (e.ctrlKey || e.metaKey || e.altKey || e.target.closest("input, textarea, form")) { return; }
    var key = e.key.toLowerCase();
    if (ADD_KEYS[key] && pending && !pending.error) { e.preventDefault(); addSelection(ADD_KEYS[key]); return; }
    var li = e.target.closest ? e.target.closest("li.item") : null;
    if (!li || !KEYS[key] || !li.closest("#briefing")) { return; }
    var issue = li.classList.contains("dropped") || li.classList.contains("ungrounded");
    if (issue && !(li.classList.contains("dropped") && (key === "r" || key === "u"))) { return; }
    if (!issue && key === "r") { return; }
    e.preventDefault();
    ACTS[KEYS[key]](li);
  });
  document.addEventListener("selectionchange", function () { pending = readSelection(); showSelection(); });
  document.getElementById("save-gold").addEventListener("click", save);
  document.getElementById("add-theme").addEventListener("click", addTheme);
  document.getElementById("discard").addEventListener("click", function (e) {
    if (e.target.dataset.armed !== "1") { e.target.dataset.armed = "1"; e.target.textContent = "Click again to discard every edit"; return; }
    window.localStorage.removeItem(STORE);
    state = fresh();
    window.location.reload();
  });
  window.addEventListener("beforeunload", function (e) {
    if (state.dirty) { e.preventDefault(); e.returnValue = "unsaved changes"; }
  });
  document.querySelectorAll("#briefing li.item").forEach(decorate);
  state.added.forEach(addedLi);
  Object.keys(state.items).forEach(function (id) {
    (state.items[id].evidence || []).forEach(mark);
  });
  document.querySelectorAll("#briefing li.item").forEach(refresh);
  renderRejected();
  counts();
  showSaved();
  window.summariserGold = {build: build, state: function () { return state; }};
})();
