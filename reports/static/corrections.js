/* The editor's corrections in the HTML apparatus: controls on each entry, kept in the browser, exported as
 * a corrections.toml that `collate align --corrections` and `collate run` read. Inlined after apparatus.js.
 *
 * Data (written by reports/html.py, #correction-data):
 *   doc                 an id of this collation (witnesses' texts and the corrections applied): the page keeps
 *                       the editor's corrections in localStorage under it
 *   base, words         the base witness's siglum; how many words of context a key carries on each side
 *   keys[n]             entry n's key in the base witness: [words before, its words, words after, first token,
 *                       token after its last, lemma chosen, [notes], inside a passage the base reads in a text
 *                       of its own (no lemma can be chosen there)]
 *   given               the corrections this page was made with, in the file's keys (exported again)
 *   refused[number]     why a given correction no longer applies
 * and the collation itself (#collation-data: tok, off, locs, sigla), for a witness's words in an entry.
 *
 * Keys name places by words, never by entry or column numbers (see collate/engine/corrections.py): entry
 * numbers are kept beside a correction (_n) only to mark the entries in this page. Witness text reaches the
 * DOM through textContent only.
 */
(function () {
  "use strict";

  var dataBlock = document.getElementById("correction-data");
  var apparatus = document.getElementById("apparatus");
  if (!dataBlock || !apparatus) return;
  var C = JSON.parse(dataBlock.textContent);
  var D = JSON.parse(document.getElementById("collation-data").textContent);
  var BASE = C.base, B = D.sigla.indexOf(C.base);
  var byNumber = new Map();
  D.locs.forEach(function (L, k) { byNumber.set(L.n, k); });
  var STORE = "collate-corrections:" + C.doc;
  var PUNCT = /^[\p{P}\p{S}]+$/u;

  // ---------------------------------------------------------------------------------- the corrections

  /* Each item: {f: the [[correction]] table's keys, n: [entry numbers in this page] or [], g: index in
     C.given for a correction that came with the page, or -1}. */
  var items = restore();

  /* The corrections the page was made with; a lemma or note is tied to the entry its key names now, so
     that the panel shows it and a new choice or note replaces it rather than adding a second. */
  function fromGiven() {
    var squeeze = function (t) { return String(t || "").replace(/\s+/g, ""); };
    var at = new Map();
    Object.keys(C.keys).forEach(function (n) {
      var k = C.keys[n];
      at.set([squeeze(k[0]), squeeze(k[1]), squeeze(k[2])].join("\u0001"), Number(n));
    });
    return C.given.map(function (f, g) {
      var n = (f.kind === "lemma" || f.kind === "note") && (f.witness || BASE) === BASE && !C.refused[String(g + 1)]
        ? at.get([squeeze(f.before), squeeze(f.words), squeeze(f.after)].join("\u0001")) : undefined;
      return { f: f, n: n === undefined ? [] : [n], g: g };
    });
  }
  function restore() {
    try {
      var kept = window.localStorage.getItem(STORE);
      if (kept) return JSON.parse(kept);
    } catch (e) { /* storage refused (private mode, file:// rules): the page still works, unsaved */ }
    return fromGiven();
  }
  function save() {
    try { window.localStorage.setItem(STORE, JSON.stringify(items)); } catch (e) { /* see restore */ }
    decorate();
    drawBar();
  }

  // --------------------------------------------------------------------------------------- words

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null && text !== "") e.textContent = text;
    return e;
  }
  function words(w, i0, i1) {
    return D.tok[w].slice(i0, i1).join("").trim();
  }
  /* Up to C.words words (and the punctuation among them) of witness w from token i on, going step. */
  function context(w, i, step) {
    var toks = D.tok[w], picked = [], count = 0;
    while (i >= 0 && i < toks.length && count < C.words) {
      picked.push(i);
      if (!PUNCT.test(toks[i].trim())) count += 1;
      i += step;
    }
    picked.sort(function (a, b) { return a - b; });
    return picked.length ? words(w, picked[0], picked[picked.length - 1] + 1) : "";
  }
  /* Witness w's key over entries n0..n1 (their parts in this page). */
  function keyOf(w, n0, n1) {
    var first = D.locs[byNumber.get(n0)], last = D.locs[byNumber.get(n1)];
    var i0 = D.off[first.p][w], i1 = D.off[last.q][w];
    return { before: context(w, i0 - 1, -1), words: words(w, i0, i1), after: context(w, i1, 1) };
  }
  /* The base's key for one entry (as Python wrote it) or for a run of entries. */
  function baseKey(ns) {
    if (ns.length === 1) {
      var k = C.keys[ns[0]];
      return { before: k[0], words: k[1], after: k[2] };
    }
    var a = C.keys[ns[0]], b = C.keys[ns[ns.length - 1]];
    return { before: a[0], words: words(B, a[3], b[4]), after: b[2] };
  }
  function table(kind, key, witness) {
    return { kind: kind, witness: witness, before: key.before, words: key.words, after: key.after };
  }

  /* The readings over entries ns: per witness its words, grouped by text (the entry's own for one entry). */
  function readingsOf(ns) {
    var L = D.locs[byNumber.get(ns[0])];
    if (ns.length === 1) return L.r.map(function (r) { return { text: r[0], wits: r[1] }; });
    var last = D.locs[byNumber.get(ns[ns.length - 1])];
    var groups = new Map();
    D.sigla.forEach(function (s, w) {
      var t = words(w, D.off[L.p][w], D.off[last.q][w]);
      if (!groups.has(t)) groups.set(t, []);
      groups.get(t).push(w);
    });
    return Array.from(groups, function (g) { return { text: g[0], wits: g[1] }; });
  }

  function mergeOf(n) {
    return items.filter(function (it) { return it.f.kind === "merge" && it.n.indexOf(n) >= 0; })[0] || null;
  }
  function splitOf(n) {
    return items.filter(function (it) { return it.f.kind === "split" && it.n.indexOf(n) >= 0; })[0] || null;
  }
  /* The entries a lemma or a note on entry n is keyed to: its merge group when it has one. */
  function targetOf(n) {
    var m = mergeOf(n);
    return m ? m.n.slice() : [n];
  }
  function sameTarget(it, kind, ns) {
    return it.f.kind === kind && it.n.length === ns.length && it.n.every(function (x, i) { return x === ns[i]; });
  }
  function nextEntry(n) {
    for (var k = byNumber.get(n) + 1; k < D.locs.length; k++) {
      if (!D.locs[k].sp) return D.locs[k].n;
    }
    return null;
  }

  // ------------------------------------------------------------------------------------- actions

  function mergeNext(n) {
    var group = mergeOf(n);
    var ns = group ? group.n.slice() : [n];
    var next = nextEntry(ns[ns.length - 1]);
    if (next === null) return "this is the last entry";
    var other = mergeOf(next);
    var add = other ? other.n : [next];
    var all = ns.concat(add);
    if (all.some(function (x) { return D.locs[byNumber.get(x)].tr !== null; })) return "a transposition's half stays an entry of its own";
    if (all.some(splitOf)) return "remove the split first";
    items = items.filter(function (it) { return it !== group && it !== other; });
    var key = baseKey(all);
    var f = table("merge", key, BASE);
    f.entries = all.map(function (x) { return C.keys[x][1]; });
    items.push({ f: f, n: all, g: -1 });
    // A lemma or note on one of the entries now belongs to the merged entry.
    items.forEach(function (it) {
      if ((it.f.kind === "lemma" || it.f.kind === "note") && it.n.length && it.n.every(function (x) { return all.indexOf(x) >= 0; })) {
        it.n = all.slice();
        Object.assign(it.f, { before: key.before, words: key.words, after: key.after });
      }
    });
    save();
    return "";
  }

  function split(n, at) {
    if (mergeOf(n)) return "remove the merge first";
    items = items.filter(function (it) { return !(it.f.kind === "split" && it.n.indexOf(n) >= 0); });
    var f = table("split", baseKey([n]), BASE);
    if (at) f.at = [at];
    items.push({ f: f, n: [n], g: -1 });
    save();
    return "";
  }

  function chooseLemma(n, reading) {
    var ns = targetOf(n);
    items = items.filter(function (it) { return !sameTarget(it, "lemma", ns); });
    var f = table("lemma", baseKey(ns), BASE);
    f.lemma = reading.text;
    f["lemma-witness"] = D.sigla[reading.wits[0]];
    items.push({ f: f, n: ns, g: -1 });
    save();
  }

  function setNote(n, text) {
    var ns = targetOf(n);
    items = items.filter(function (it) { return !sameTarget(it, "note", ns); });
    if (text.trim()) {
      var f = table("note", baseKey(ns), BASE);
      f.note = text.trim();
      items.push({ f: f, n: ns, g: -1 });
    }
    save();
  }

  function move(n, w, to) {
    var key = keyOf(w, n, n);
    if (!key.words) return D.sigla[w] + " reads nothing here";
    var found = items.filter(function (it) {
      return it.f.kind === "move" && it.n[0] === n && it.f.witness === D.sigla[w];
    })[0];
    if (found) {
      var by = (found.f.by || 1) + (found.f.to === to ? 1 : -1);
      items = items.filter(function (it) { return it !== found; });
      if (by > 0) {
        if (by === 1) delete found.f.by; else found.f.by = by;
        items.push(found);
      }
      save();
      return "";
    }
    var f = table("move", key, D.sigla[w]);
    f.to = to;
    items.push({ f: f, n: [n], g: -1 });
    save();
    return "";
  }

  function remove(it) {
    items = items.filter(function (x) { return x !== it; });
    save();
  }

  // -------------------------------------------------------------------------------------- export

  function quote(s) {
    return '"' + String(s).replace(/[\\"]/g, function (c) { return "\\" + c; })
      .replace(/[\u0000-\u001f\u007f]/g, function (c) { return "\\u" + ("000" + c.charCodeAt(0).toString(16)).slice(-4); }) + '"';
  }
  function value(v) {
    if (Array.isArray(v)) return "[" + v.map(quote).join(", ") + "]";
    if (typeof v === "number") return String(v);
    return quote(v);
  }
  var ORDER = ["kind", "witness", "before", "words", "after", "entries", "at", "to", "by", "lemma", "lemma-witness", "note"];
  function toml() {
    var out = [
      "# corrections.toml: the editor's corrections to the apparatus, read by",
      "#   collate align ... --corrections corrections.toml",
      "#   collate run (with corrections = \"corrections.toml\" under [collation] in collate.toml)",
      "# Each correction names its place by a witness's words (before, words, after), not by numbers, so it",
      "# survives changes to the witnesses elsewhere; one whose words changed is reported, never dropped.",
      "# Kinds: merge (entries), split (at), move (to, by), lemma (lemma, lemma-witness), note (note).",
      "# Exported from the HTML apparatus (base " + D.sigla[B].replace(/[\r\n]/g, " ") + ") on " + new Date().toISOString().slice(0, 10) + "."
    ];
    items.forEach(function (it) {
      out.push("");
      var why = it.g >= 0 ? C.refused[String(it.g + 1)] : null;
      if (it.n.length) out.push("# entry " + it.n.join(", ") + " in the page it was made in");
      if (why) out.push("# no longer applies: " + why.replace(/[\r\n]/g, " "));
      out.push("[[correction]]");
      ORDER.forEach(function (k) {
        if (it.f[k] === undefined || it.f[k] === null) return;
        out.push(k + " = " + value(it.f[k]));
      });
    });
    return out.join("\n") + "\n";
  }
  function exportFile() {
    var blob = new Blob([toml()], { type: "application/toml" });
    var a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = "corrections.toml";
    document.body.appendChild(a);
    a.click();
    setTimeout(function () { URL.revokeObjectURL(a.href); a.remove(); }, 1000);
  }

  // ------------------------------------------------------------------------------------ the page

  function label(it) {
    var f = it.f, w = (f.words || "").trim();
    if (w.length > 40) w = w.slice(0, 37) + "…";
    var what = { merge: "merge", split: "split", move: "move " + f.witness + " " + (f.to === "left" ? "◀" : "▶") + (f.by > 1 ? "×" + f.by : ""),
                 lemma: "lemma", note: "note" }[f.kind] || f.kind;
    return [what, w ? "“" + w + "”" : "(nothing in " + f.witness + ")",
            f.kind === "lemma" ? "→ " + (f.lemma ? "“" + f.lemma + "”" : "om.") : f.kind === "note" ? "“" + f.note + "”" : f.kind === "split" && f.at ? "before “" + f.at[0] + "”" : ""];
  }

  var noted = Object.keys(C.keys).filter(function (n) { return C.keys[n][6].length; });

  /* Marks the entries with corrections not yet applied (a badge naming their kinds), and draws the notes
     applied already where the script redrew an entry (another base): only those entries are touched. */
  function decorate() {
    var marks = new Map();
    items.forEach(function (it) {
      if (it.g >= 0) return;  // applied already: the entries show it
      it.n.forEach(function (n) {
        if (!marks.has(n)) marks.set(n, []);
        marks.get(n).push(it.f.kind);
      });
    });
    apparatus.querySelectorAll(".entry.corr-pending").forEach(function (e) {
      e.classList.remove("corr-pending");
      var badge = e.querySelector(":scope > .corr-badge");
      if (badge) badge.remove();
    });
    marks.forEach(function (kinds, n) {
      var e = document.getElementById("a" + n);
      if (!e) return;
      e.classList.add("corr-pending");
      e.appendChild(el("span", "corr-badge", kinds.filter(function (k, i) { return kinds.indexOf(k) === i; }).join(" · ")));
    });
    noted.forEach(function (n) {
      var e = document.getElementById("a" + n);
      if (!e || e.querySelector(":scope > .enote")) return;
      C.keys[n][6].forEach(function (text) {
        var note = el("span", "enote");
        note.appendChild(el("i", "kw", "Note:"));
        note.appendChild(document.createTextNode(" " + text));
        e.appendChild(document.createTextNode(" "));
        e.appendChild(note);
      });
    });
  }

  /* One edit button, put beside the entry under the pointer, the entry focused or the entry selected:
     the apparatus itself stays as it is (its text, its size), however many entries it has. */
  var edit = el("button", "corr-edit");  // its glyph is the stylesheet's
  edit.type = "button";
  edit.hidden = true;
  edit.title = "Correct this entry (e): merge, split, move a reading, choose the lemma, write a note";
  edit.setAttribute("aria-expanded", "false");
  document.body.appendChild(edit);
  function place(e) {
    var n = Number(e.dataset.n);
    if (!C.keys[n]) return;  // a span: the entries inside it are corrected instead
    var rects = e.getClientRects();
    if (!rects.length) return;
    var r = rects[rects.length - 1];
    var box = apparatus.getBoundingClientRect();
    edit.hidden = false;
    edit.dataset.n = n;
    edit.setAttribute("aria-label", "Correct entry " + n);
    edit.setAttribute("aria-expanded", panel && current === n ? "true" : "false");
    edit.style.top = (window.scrollY + r.top + (r.height - edit.offsetHeight) / 2) + "px";
    edit.style.left = (window.scrollX + Math.min(r.right + 2, box.right - edit.offsetWidth - 4)) + "px";
  }

  var panel = null;
  function closePanel() {
    if (!panel) return;
    edit.setAttribute("aria-expanded", "false");
    panel.remove();
    panel = null;
  }

  function row(name, body) {
    var r = el("div", "corr-row");
    r.appendChild(el("span", "corr-label", name));
    var b = el("div", "corr-body");
    body.forEach(function (x) { b.appendChild(x); });
    r.appendChild(b);
    return r;
  }
  function act(text, title, run) {
    var b = el("button", "corr-act", text);
    b.type = "button";
    if (title) b.title = title;
    b.addEventListener("click", function () {
      var problem = run();
      if (problem) { hint.textContent = problem; } else { openPanel(current); }
    });
    return b;
  }
  var hint = null, current = null;

  function openPanel(n) {
    closePanel();
    current = n;
    var e = document.getElementById("a" + n);
    if (!e) return;
    var L = D.locs[byNumber.get(n)];
    var ns = targetOf(n);
    var splitting = splitOf(n);
    panel = el("div", "corr-panel");
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", "Correct entry " + n);
    var head = el("h3", null, "Entry " + n + (ns.length > 1 ? " (merged with " + ns.filter(function (x) { return x !== n; }).join(", ") + ")" : ""));
    head.appendChild(el("span", "corr-lemma", C.keys[n][1] ? C.keys[n][1] : "⁁ after “" + C.keys[n][0] + "”"));
    var close = el("button", "corr-close", "×");
    close.type = "button";
    close.setAttribute("aria-label", "Close");
    close.addEventListener("click", closePanel);
    head.appendChild(close);
    panel.appendChild(head);
    hint = el("div", "corr-hint");

    // merge and split
    var next = nextEntry(ns[ns.length - 1]);
    var mergeBody = [act("Merge with next" + (next !== null ? " (" + next + ")" : ""), "One entry with the next: the readings run on over both", function () { return mergeNext(n); })];
    if (mergeOf(n)) mergeBody.push(act("Undo merge", "", function () { remove(mergeOf(n)); }));
    panel.appendChild(row("Merge", mergeBody));
    var baseWords = [];
    var k = C.keys[n];
    for (var i = k[3] + 1; i < k[4]; i++) {
      var t = D.tok[B][i].trim();
      if (!PUNCT.test(t)) baseWords.push(t);
    }
    var splitBody = [];
    if (L.cols.length > 1) splitBody.push(act("Per column", "One entry per column of the alignment", function () { return split(n, null); }));
    if (baseWords.length) {
      var pick = el("select");
      pick.setAttribute("aria-label", "Split before the word");
      baseWords.forEach(function (w) { var o = el("option", null, w); o.value = w; pick.appendChild(o); });
      splitBody.push(el("span", null, "before"), pick, act("Split", "Two entries, cut before this word of " + BASE, function () { return split(n, pick.value); }));
    }
    if (splitting) splitBody.push(act("Undo split", "", function () { remove(splitting); }));
    if (!splitBody.length) splitBody.push(el("span", "corr-hint", "one column: nothing to split"));
    panel.appendChild(row("Split", splitBody));

    // move a reading
    var movers = D.sigla.map(function (s, w) { return w; }).filter(function (w) { return D.off[L.q][w] > D.off[L.p][w]; });
    var who = el("select");
    who.setAttribute("aria-label", "Witness whose reading moves");
    movers.forEach(function (w) {
      var o = el("option", null, D.sigla[w] + ": " + words(w, D.off[L.p][w], D.off[L.q][w]).slice(0, 40));
      o.value = String(w);
      who.appendChild(o);
    });
    panel.appendChild(row("Move", movers.length ? [who,
      act("◀ left", "Its words one column to the left", function () { return move(n, Number(who.value), "left"); }),
      act("right ▶", "Its words one column to the right", function () { return move(n, Number(who.value), "right"); })]
      : [el("span", "corr-hint", "no witness reads words here")]));

    // lemma
    var lemmaBody = [];
    var chosenNow = items.filter(function (it) { return sameTarget(it, "lemma", ns); })[0];
    readingsOf(ns).forEach(function (r, j) {
      var lab = el("label", "corr-choice");
      var radio = el("input");
      radio.type = "radio";
      radio.name = "corr-lemma";
      radio.checked = chosenNow ? chosenNow.f.lemma === r.text : r.wits.indexOf(B) >= 0;
      radio.addEventListener("change", function () { chooseLemma(n, r); openPanel(n); });
      lab.appendChild(radio);
      lab.appendChild(el("span", "t", r.text || "om."));
      lab.appendChild(el("span", "w", r.wits.map(function (w) { return D.sigla[w]; }).join(" ")));
      lemmaBody.push(lab);
    });
    if (chosenNow) lemmaBody.push(act("Back to " + BASE + "'s reading", "", function () { remove(chosenNow); }));
    var lemmaRow = splitting ? [el("span", "corr-hint", "split pending: run the collation again to choose a lemma")]
      : C.keys[n][7] ? [el("span", "corr-hint", "inside a passage " + BASE + " reads in a text of its own: the edition prints "
                             + BASE + "'s text of it whole, and these readings compare the other witnesses only")]
      : lemmaBody;
    panel.appendChild(row("Lemma", lemmaRow));

    // note
    var noteNow = items.filter(function (it) { return sameTarget(it, "note", ns); })[0];
    var area = el("textarea");
    area.setAttribute("aria-label", "Note on entry " + n);
    area.placeholder = "A note on this entry, printed with it";
    area.value = noteNow ? noteNow.f.note : "";
    panel.appendChild(row("Note", splitting ? [el("span", "corr-hint", "split pending: run the collation again to write a note")]
      : [area, act("Save note", "", function () { setNote(n, area.value); })]));
    panel.appendChild(hint);

    document.body.appendChild(panel);
    var rect = e.getBoundingClientRect();
    var width = panel.offsetWidth;
    panel.style.top = (window.scrollY + rect.bottom + 6) + "px";
    panel.style.left = Math.max(8, Math.min(window.scrollX + rect.left, window.scrollX + window.innerWidth - width - 8)) + "px";
    place(e);
    edit.setAttribute("aria-expanded", "true");
  }

  var bar = null, listOpen = false;
  function drawBar() {
    if (!bar) {
      bar = el("div", "corr-bar");
      bar.setAttribute("role", "region");
      bar.setAttribute("aria-label", "Corrections");
      document.body.appendChild(bar);
    }
    bar.textContent = "";
    // Nothing to list or export yet: the bar stays out of the way (of the search list on a phone, too).
    bar.hidden = !items.length;
    var head = el("div", "corr-bar-head");
    var refused = items.filter(function (it) { return it.g >= 0 && C.refused[String(it.g + 1)]; }).length;
    head.appendChild(el("span", "corr-count", items.length + " correction" + (items.length === 1 ? "" : "s") + (refused ? " (" + refused + " stale)" : "")));
    var toggle = el("button", null, listOpen ? "Hide list" : "List");
    toggle.type = "button";
    toggle.addEventListener("click", function () { listOpen = !listOpen; drawBar(); });
    var exp = el("button", "corr-export", "Export corrections.toml");
    exp.type = "button";
    exp.title = "Download the corrections, to give to collate run / collate align --corrections";
    exp.addEventListener("click", exportFile);
    head.appendChild(toggle);
    head.appendChild(exp);
    bar.appendChild(head);
    if (!listOpen) return;
    var ol = el("ol");
    items.forEach(function (it) {
      var li = el("li");
      var parts = label(it);
      li.appendChild(el("span", "k", parts[0]));
      li.appendChild(document.createTextNode(" " + parts[1] + (parts[2] ? " " + parts[2] : "") + (it.g >= 0 ? " (applied)" : "")));
      var why = it.g >= 0 ? C.refused[String(it.g + 1)] : null;
      if (why) li.appendChild(el("span", "why", "no longer applies: " + why));
      var x = el("button", "corr-remove", "×");
      x.type = "button";
      x.title = "Remove this correction";
      x.addEventListener("click", function () { remove(it); });
      li.appendChild(x);
      ol.appendChild(li);
    });
    if (!items.length) ol.appendChild(el("li", null, "none yet: use ✎ beside an entry"));
    bar.appendChild(ol);
  }

  edit.addEventListener("click", function () {
    var n = Number(edit.dataset.n);
    if (panel && current === n) closePanel(); else openPanel(n);
  });
  function entryAt(ev) { return ev.target.closest && ev.target.closest(".entry[data-n]"); }
  apparatus.addEventListener("mouseover", function (ev) { var e = entryAt(ev); if (e) place(e); });
  apparatus.addEventListener("focusin", function (ev) { var e = entryAt(ev); if (e) place(e); });
  apparatus.addEventListener("click", function (ev) { var e = entryAt(ev); if (e) place(e); });
  apparatus.addEventListener("scroll", function () { if (!panel) edit.hidden = true; }, { passive: true });
  // It covers the start of the next entry: it goes when the pointer leaves the apparatus (not to the button).
  apparatus.addEventListener("mouseleave", function (ev) { if (!panel && ev.relatedTarget !== edit) edit.hidden = true; });
  edit.addEventListener("mouseleave", function (ev) {
    if (!panel && !(ev.relatedTarget && apparatus.contains(ev.relatedTarget))) edit.hidden = true;
  });
  document.addEventListener("keydown", function (ev) {
    if (ev.key === "Escape") { closePanel(); return; }
    var t = ev.target, tag = t.tagName;
    if (ev.key !== "e" || ev.ctrlKey || ev.metaKey || ev.altKey || tag === "SELECT" || tag === "TEXTAREA" ||
        (tag === "INPUT" && !/^(checkbox|radio|button)$/.test(t.type))) return;
    var sel = apparatus.querySelector(".entry.sel[data-n]");
    if (sel && C.keys[sel.dataset.n]) { ev.preventDefault(); openPanel(Number(sel.dataset.n)); }
  });
  document.addEventListener("mousedown", function (ev) {
    if (panel && !panel.contains(ev.target) && ev.target !== edit) closePanel();
  });
  // The apparatus is drawn again when the base or the visible witnesses change: the marks go back on.
  new MutationObserver(function () { edit.hidden = !panel; decorate(); }).observe(apparatus, { childList: true });
  decorate();
  drawBar();
})();
