/* The HTML apparatus report's script. Inlined into the page; the page's CSP allows it by its hash.
 *
 * It reads the collation from the JSON block #collation-data and never interprets witness text as markup:
 * every piece of witness text reaches the DOM through textContent or createTextNode.
 *
 * Data (written by reports/html.py):
 *   sigla[w], meta[w]          witnesses and their metadata
 *   tok[w][i]                  token i of witness w as printed, with the space that precedes it
 *   mk[w]                      [first token, marks] at every change of transcription markup ("add",
 *                              "del unclear", "" for none), shown as <span class="mk m-add"> …
 *   refs[w]                    [first token, page, line, paragraph] at every change (paragraph only for a
 *                              witness without page/line)
 *   off[p][w]                  first token of witness w in part p (parts: agreements and variant locations)
 *   locs[k]                    {n: number, p: part, q: the part after its last, r: [[text, [witnesses], cited
 *                              form, runs (null when none), regularisations (when any)]], ty: [base][reading]
 *                              type code (null for the base's own reading), tr: transposition, cols, sp: a
 *                              span (an outer entry: a long absence, or a moved passage in which the others
 *                              vary, whose parts hold entries of their own; half brackets stand for it in
 *                              the text), lk: [[label, [witnesses]]] witnesses that lack the text there
 *                              (lac., n.c.), own (spans): {witness: [text, cited form]} the passage as a
 *                              witness of a reading has it where that is not the reading's text}
 *                              A witness a span accounts for is in no reading of the entries inside it.
 *   types[code]                type names, most significant first
 *
 * The reading text and apparatus built here mirror the server-rendered ones element for element.
 */
(function () {
  "use strict";

  var D = JSON.parse(document.getElementById("collation-data").textContent);
  var W = D.sigla.length;
  var P = D.off.length - 1;
  var TYPES = D.types;
  var LOCS = D.locs;

  var partLoc = new Int32Array(P).fill(-1);
  // The spans (outer entries) opening before each part, outer first, and closing after it, inner first.
  var spanOpen = {}, spanClose = {};
  var byNumber = new Map();
  var readingOf = LOCS.map(function (L, k) {
    if (!L.sp) partLoc[L.p] = k;
    else {
      (spanOpen[L.p] = spanOpen[L.p] || []).push(k);
      (spanClose[L.q - 1] = spanClose[L.q - 1] || []).unshift(k);
    }
    byNumber.set(L.n, k);
    var a = new Int32Array(W).fill(-1);  // -1: in no reading (it lacks the text here, L.lk, or a span has it)
    L.r.forEach(function (r, i) { r[1].forEach(function (w) { a[w] = i; }); });
    return a;
  });
  var partners = new Map();
  LOCS.forEach(function (L, k) {
    if (L.tr === null) return;
    if (!partners.has(L.tr)) partners.set(L.tr, []);
    partners.get(L.tr).push(k);
  });

  var state = {
    base: D.base,
    hidden: new Set(),
    types: new Set(TYPES),
    view: "text",
    sel: -1,              // index into LOCS of the selected variant location, -1 for none
    synopsis: null        // witnesses shown side by side
  };
  var info = [];          // per location: {lem, readings, types, silent, active}
  var activeList = [];    // indices of locations shown under the current filters, in reading order
  var built = {};         // views built for the current state
  var rendered = { base: D.base, hidden: "" };  // what the reading text and apparatus in the page show

  // ------------------------------------------------------------------------------------------- helpers

  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text !== undefined && text !== null && text !== "") e.textContent = text;
    return e;
  }
  function pageRef(page, line, paragraph) {
    if (page && line) return "p. " + page + ", l. " + line;
    if (page) return "p. " + page;
    if (line) return "l. " + line;
    if (paragraph) return "\u00b6 " + paragraph;
    return "";
  }
  function refAt(w, i) {
    var runs = D.refs[w], lo = 0, hi = runs.length - 1;
    if (!runs.length || i < runs[0][0]) return [null, null, null];
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (runs[mid][0] <= i) lo = mid; else hi = mid - 1;
    }
    return [runs[lo][1], runs[lo][2], runs[lo][3]];
  }
  function citeRef(w, p) {
    var first = D.off[p][w];
    if (D.off[p + 1][w] === first) first = Math.max(first - 1, 0);
    var r = refAt(w, first);
    return pageRef(r[0], r[1], r[2]);
  }
  function textOf(w, from, to) {
    var s = D.tok[w].slice(from, to).join("");
    return s.replace(/^ +/, "");
  }
  function lackLabel(L, w) {
    var g = (L.lk || []).filter(function (g) { return g[1].indexOf(w) >= 0; })[0];
    return g ? g[0] : "";
  }
  function markAt(w, i) {
    var runs = D.mk[w], lo = 0, hi = runs.length - 1;
    if (!runs.length || i < runs[0][0]) return "";
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (runs[mid][0] <= i) lo = mid; else hi = mid - 1;
    }
    return runs[lo][1];
  }
  /* A marked run: its marks as classes (m-add), and the hands named for it ("@pbs") as data-hand, which the
     stylesheet shows after the words. */
  function marked(text, mark) {
    var names = mark.split(" "), hands = names.filter(function (m) { return m.charAt(0) === "@"; });
    var span = el("span", "mk" + names.filter(function (m) { return m.charAt(0) !== "@"; })
      .map(function (m) { return " m-" + m; }).join(""), text);
    if (hands.length) span.setAttribute("data-hand", hands.map(function (m) { return m.slice(1); }).join(" "));
    return span;
  }
  /* Tokens from..to of witness w as runs of one markup ([[text, marks]]), the leading whitespace dropped;
     null when none is marked. The same runs as reports/html.py's _segments. */
  function segmentsOf(w, from, to) {
    var any = false;
    for (var i = from; i < to; i++) if (markAt(w, i)) { any = true; break; }
    if (!any) return null;
    var out = [];
    function put(text, mark) {
      if (!text) return;
      if (out.length && out[out.length - 1][1] === mark) out[out.length - 1][0] += text;
      else out.push([text, mark]);
    }
    for (var j = from; j < to; j++) {
      var text = D.tok[w][j], mark = markAt(w, j);
      var body = text.replace(/^\s+/, "");
      var lead = out.length ? text.slice(0, text.length - body.length) : "";
      if (lead) put(lead, out.length && out[out.length - 1][1] === mark ? mark : "");
      put(body, mark);
    }
    return out;
  }
  function appendRuns(parent, runs) {
    runs.forEach(function (r) {
      parent.appendChild(r[1] ? marked(r[0], r[1]) : document.createTextNode(r[0]));
    });
  }
  function typeName(code) { return code === null || code === undefined ? "" : TYPES[code]; }

  // -------------------------------------------------------------------------------------- the analysis

  /* Which readings each location shows for the current base and visible witnesses. A location where all
     visible witnesses read alike is silent (not in the apparatus, plain in the text). */
  function analyse() {
    var b = state.base;
    info = LOCS.map(function (L, k) {
      var lem = Math.max(0, readingOf[k][b]);  // a base that lacks the text here: the entry's own lemma
      var ty = L.ty[b];
      var readings = [];
      L.r.forEach(function (r, i) {
        if (i === lem) return;
        var wits = r[1].filter(function (w) { return !state.hidden.has(w); });
        if (wits.length) readings.push({ i: i, text: r[0], wits: wits, all: r[1], type: typeName(ty[i]), reg: r[4] || "" });
      });
      readings.sort(function (x, y) { return y.all.length - x.all.length || x.all[0] - y.all[0]; });
      var present = new Set(readings.map(function (r) { return r.type; }));
      var types = TYPES.filter(function (t) { return present.has(t); });
      var lacks = (L.lk || []).map(function (g) {
        return [g[0], g[1].filter(function (w) { return !state.hidden.has(w); })];
      }).filter(function (g) { return g[1].length; });
      return { lem: lem, readings: readings, types: types, lacks: lacks,
               silent: readings.length === 0 && lacks.length === 0, active: false };
    });
    filter();
  }

  function filter() {
    activeList = [];
    info.forEach(function (I, k) {
      I.active = !I.silent && (I.lacks.length > 0 || I.readings.some(function (r) { return state.types.has(r.type); }));
      if (I.active) activeList.push(k);
    });
  }

  // ---------------------------------------------------------------------------------- reading text

  /* Lines of witness w's text, cut where its page/line changes, as reports/html.py cuts the base text.
     piece(k, text) makes the element of variant location k (or null to print it as plain text). */
  function buildLines(w, lineClass, piece, edge) {
    var frag = document.createDocumentFragment();
    var tok = D.tok[w];
    var lineKey = null, lastPage = null, lt = null, buf = "";
    var open = null, openMark = "";  // the last marked span, while nothing else has followed it
    function flush() {
      if (buf) { lt.appendChild(document.createTextNode(buf)); buf = ""; open = null; }
    }
    function openLine(at) {
      var key = refAt(w, at);
      if (lt !== null && lineKey[0] === key[0] && lineKey[1] === key[1] && lineKey[2] === key[2]) return;
      flush();
      open = null;
      var page = key[0], line = key[1], paragraph = key[2];
      var margin = line ? pageRef(page !== lastPage ? page : null, line) : pageRef(page, null, paragraph);
      lastPage = page;
      lineKey = key;
      var div = el("div", lineClass);
      div.dataset.ref = pageRef(page, line, paragraph);
      var label = el("span", "margin");  // the label in a span of its own: see .reading .margin in the CSS
      label.appendChild(el("span", null, margin));
      div.appendChild(label);
      lt = el("span", "lt");
      hasText = false;
      div.appendChild(lt);
      frag.appendChild(div);
    }
    var hasText = false;  // a line starts with its first letter, even after an empty variant
    function addText(text) {
      if (!hasText) text = text.replace(/^\s+/, "");
      buf += text;
      if (text) hasText = true;
    }
    for (var p = 0; p < P; p++) {
      var start = D.off[p][w], end = D.off[p + 1][w], k = partLoc[p];
      var node = null;
      var lead = 0;  // the space before the part's first word, printed before the marks of spans opening here
      var edges = edge && spanOpen[p] ? spanOpen[p].map(function (x) { return edge(x, "open"); }).filter(Boolean) : [];
      if (edges.length) {
        openLine(end > start ? start : Math.max(start - 1, 0));
        if (end > start) {
          lead = tok[start].length - tok[start].replace(/^\s+/, "").length;
          addText(tok[start].slice(0, lead));
        }
        flush();
        open = null;
        edges.forEach(function (x) { lt.appendChild(x); });
      }
      if (k >= 0) {
        openLine(end > start ? start : Math.max(start - 1, 0));
        var text = tok.slice(start, end).join("").slice(lead);
        var stripped = text.replace(/^\s+/, "");
        node = piece(k, stripped, segmentsOf(w, start, end));
        if (node === null) {
          addText(text);
        } else {
          if (stripped !== text) addText(text.slice(0, text.length - stripped.length));
          flush();
          lt.appendChild(node);
          open = null;
          if (stripped) hasText = true;
        }
      } else {
        for (var i = start; i < end; i++) {
          openLine(i);
          var mark = markAt(w, i);
          var t = i === start ? tok[i].slice(lead) : tok[i];
          if (!mark) { addText(t); if (buf) open = null; continue; }
          if (open !== null && openMark === mark && !buf) {  // words marked alike share one span
            open.textContent += t;
            continue;
          }
          var body = t.replace(/^\s+/, "");  // a marked word starts a span of its own, not its space
          addText(t.slice(0, t.length - body.length));
          flush();
          open = marked(body, mark);
          openMark = mark;
          lt.appendChild(open);
          hasText = true;
        }
      }
      if (edge && spanClose[p]) {
        spanClose[p].forEach(function (x) {
          var e = edge(x, "close");
          if (e === null) return;
          flush();
          open = null;
          lt.appendChild(e);
        });
      }
    }
    if (lt !== null) flush();
    return frag;
  }

  function renderText() {
    var frag = buildLines(state.base, "line", function (k, text, runs) {
      var I = info[k];
      if (I.silent) return null;
      var a = el("a", "v" + I.types.map(function (t) { return " t-" + t; }).join("") + (text ? "" : " empty"), runs ? null : text);
      if (runs) appendRuns(a, runs);
      a.id = "v" + LOCS[k].n;
      a.href = "#a" + LOCS[k].n;
      a.dataset.n = LOCS[k].n;
      return a;
    }, function (k, side) {  // a span's half bracket: "open" before its first part, "close" after its last
      var I = info[k];
      if (I.silent) return null;
      var n = LOCS[k].n;
      var a = el("a", "v sp " + side + I.types.map(function (t) { return " t-" + t; }).join(""));
      a.id = (side === "open" ? "v" : "ve") + n;
      a.href = "#a" + n;
      a.dataset.n = n;
      a.title = "entry " + n + (side === "open" ? " begins" : " ends");
      return a;
    });
    var box = $("text");
    box.textContent = "";
    box.appendChild(frag);
  }

  // ------------------------------------------------------------------------------------- apparatus

  function renderApparatus() {
    var b = state.base;
    var box = $("apparatus");
    var heading = box.querySelector(".print-only");
    box.textContent = "";
    box.appendChild(heading);
    var group = null, groupRef = null;
    LOCS.forEach(function (L, k) {
      var I = info[k];
      if (I.silent) return;
      var ref = citeRef(b, L.p);
      if (group === null || ref !== groupRef) {
        group = el("p", "group");
        group.dataset.ref = ref;
        group.appendChild(el("span", "gref", ref));
        box.appendChild(group);
        groupRef = ref;
      }
      group.appendChild(document.createTextNode(" "));
      group.appendChild(entry(k));
    });
  }

  function entry(k) {
    var L = LOCS[k], I = info[k], b = state.base;
    var lemma = L.r[I.lem];
    var baseRef = citeRef(b, L.p);
    var e = el("span", "entry" + I.types.map(function (t) { return " t-" + t; }).join(""));
    e.id = "a" + L.n;
    e.dataset.n = L.n;
    var num = el("a", "num", String(L.n));
    num.href = "#v" + L.n;
    e.appendChild(num);
    e.appendChild(document.createTextNode(" "));
    var lem = el("span", "lem");
    // An outer entry's lemma is the passage as the base has it (the others may vary inside it).
    var own = L.own && L.own[b] && lemma[1].indexOf(b) >= 0 ? L.own[b] : null;
    lem.title = own ? own[0] : lemma[0];
    if (lemma[0]) {
      lem.textContent = own ? own[1] : lemma[2];
    } else {
      var at = D.off[L.p][b];
      lem.appendChild(el("span", "ctx", at > 0 ? D.tok[b][at - 1].replace(/^ +/, "") : ""));
      lem.appendChild(document.createTextNode(" ⁁"));
      // The base has a gap here: the others' words are no addition, and the lemma says why it is empty.
      if (I.readings.some(function (r) { return r.type === "lacuna" && r.text; })) {
        lem.appendChild(document.createTextNode(" "));
        lem.appendChild(el("i", "kw", "lac."));
      }
    }
    e.appendChild(lem);
    e.appendChild(document.createTextNode("]"));
    I.readings.forEach(function (r, j) {
      e.appendChild(document.createTextNode(j ? "; " : " "));
      var rdg = el("span", "rdg t-" + r.type + (state.types.has(r.type) ? "" : " off"));
      rdg.dataset.type = r.type;
      var rt = el("span", "rt" + (Array.from(r.text).length > D.long ? " long" : ""));  // code points, as Python counts
      var runs = L.r[r.i][3];
      if (!r.text) {
        rt.appendChild(el("i", "kw", r.type === "lacuna" ? "lac." : "om."));
      } else if (!lemma[0] && r.type !== "lacuna") {
        rt.appendChild(el("i", "kw", "add."));
        rt.appendChild(document.createTextNode(" " + (runs ? "" : r.text)));
        if (runs) appendRuns(rt, runs);
      } else if (runs) {
        appendRuns(rt, runs);
      } else {
        rt.textContent = r.text;
      }
      rdg.appendChild(rt);
      if (r.reg) {
        rdg.appendChild(document.createTextNode(" "));
        var reg = el("span", "reg", "reg. " + r.reg);
        reg.title = "regularised: " + r.reg;
        rdg.appendChild(reg);
      }
      r.wits.forEach(function (w) {
        rdg.appendChild(document.createTextNode(" "));
        var sig = el("span", "sig", D.sigla[w]);
        sig.dataset.w = w;
        rdg.appendChild(sig);
        var ref = citeRef(w, L.p);
        if (ref && ref !== baseRef) rdg.appendChild(el("span", ref.charAt(0) === "¶" ? "cite para" : "cite", " (" + ref + ")"));
      });
      e.appendChild(rdg);
    });
    I.lacks.forEach(function (g, j) {
      e.appendChild(document.createTextNode(I.readings.length || j ? "; " : " "));
      var lk = el("span", "lk");
      lk.appendChild(el("i", "kw", g[0]));
      g[1].forEach(function (w) {
        lk.appendChild(document.createTextNode(" "));
        var sig = el("span", "sig", D.sigla[w]);
        sig.dataset.w = w;
        lk.appendChild(sig);
      });
      e.appendChild(lk);
    });
    if (L.tr !== null) {
      var others = partners.get(L.tr).filter(function (x) { return x !== k; });
      if (others.length) {
        e.appendChild(document.createTextNode(" "));
        var tr = el("span", "tr");
        tr.appendChild(el("i", "kw", "transp."));
        others.forEach(function (x) {
          tr.appendChild(document.createTextNode(" "));
          var a = el("a", null, String(LOCS[x].n));
          a.href = "#v" + LOCS[x].n;
          tr.appendChild(a);
        });
        e.appendChild(tr);
      }
    }
    return e;
  }

  /* Filters only hide and show: the entries stay where they are. */
  function applyFilters() {
    LOCS.forEach(function (L, k) {
      var I = info[k];
      if (I.silent) return;
      var v = $("v" + L.n), a = $("a" + L.n), ve = L.sp ? $("ve" + L.n) : null;
      if (v) v.classList.toggle("off", !I.active);
      if (ve) ve.classList.toggle("off", !I.active);
      if (a) {
        a.classList.toggle("off", !I.active);
        a.querySelectorAll(".rdg").forEach(function (r) { r.classList.toggle("off", !state.types.has(r.dataset.type)); });
      }
    });
    document.querySelectorAll("#apparatus .group").forEach(function (g) {
      g.hidden = !g.querySelector(".entry:not(.off)");
    });
    updateCounts();
  }

  function updateCounts() {
    var counts = {};
    TYPES.forEach(function (t) { counts[t] = 0; });
    var shown = 0;
    info.forEach(function (I) {
      if (I.silent) return;
      I.types.forEach(function (t) { counts[t] += 1; });
    });
    document.querySelectorAll("#type-filters .count").forEach(function (c) { c.textContent = counts[c.dataset.type]; });
    shown = activeList.length;
    $("loc-count").textContent = shown;
    $("base-name").textContent = D.sigla[state.base];
    // The entries stay those of the base the page was rendered with; only the readings are retyped.
    $("base-note").hidden = state.base === D.base;
    $("base-now").textContent = D.sigla[state.base];
    var diff = new Int32Array(W);
    info.forEach(function (I, k) {
      if (I.silent) return;
      for (var w = 0; w < W; w++) if (readingOf[k][w] >= 0 && readingOf[k][w] !== I.lem) diff[w] += 1;
    });
    document.querySelectorAll("table.witnesses tbody tr").forEach(function (tr) {
      var w = Number(tr.dataset.w);
      tr.querySelector(".differs").textContent = diff[w];
      tr.classList.toggle("hid", state.hidden.has(w));
      tr.classList.toggle("base", w === state.base);
    });
  }

  // -------------------------------------------------------------------------------------- selection

  function select(k, how) {
    how = how || {};
    document.querySelectorAll(".sel").forEach(function (x) { x.classList.remove("sel"); });
    state.sel = k;
    if (k < 0) {
      $("detail").hidden = true;
      $("position").textContent = activeList.length + " variants";
      setHash();
      return;
    }
    var n = LOCS[k].n;
    [$("v" + n), $("ve" + n), $("a" + n), $("t" + n)].forEach(function (x) { if (x) x.classList.add("sel"); });
    document.querySelectorAll('.sv[data-n="' + n + '"]').forEach(function (x) { x.classList.add("sel"); });
    var pos = activeList.indexOf(k);
    $("position").textContent = (pos >= 0 ? (pos + 1) + " / " + activeList.length : "–") + " · no. " + n;
    $("permalink").href = hashFor(k);
    showDetail(k);
    setHash();
    if (how.scroll !== false) reveal(k, how.from);
  }

  function reveal(k, from) {
    var n = LOCS[k].n;
    if (state.view === "text") {
      var v = $("v" + n), a = $("a" + n);
      // A variant clicked in the text stays where it is, unless the detail panel, opening, covered it.
      if (v) { if (from !== "text") v.scrollIntoView({ block: "center" }); else showInPane(v); }
      if (a && from !== "apparatus") showInPane(a);
    } else if (state.view === "synopsis") {
      alignSynopsis(k);
    } else if (state.view === "table") {
      var t = $("t" + n);
      if (t) t.scrollIntoView({ block: "center" });
    }
  }

  // An entry (or a variant in the text) out of sight is brought a third of the way down its pane, clear of
  // the detail panel below; nothing around the pane moves (on a phone that carried the text away).
  function showInPane(el) {
    var pane = el.closest(".pane"), box = pane.getBoundingClientRect(), r = el.getBoundingClientRect();
    if (r.top >= box.top && r.bottom <= box.bottom) return;
    // scrollIntoView lays out what content-visibility skipped on the way, but also scrolls every box around
    // the pane (even those whose overflow is hidden): they are put back.
    var outer = [];
    for (var a = pane.parentElement; a; a = a.parentElement) outer.push([a, a.scrollTop, a.scrollLeft]);
    el.scrollIntoView({ block: "nearest" });
    outer.forEach(function (o) { o[0].scrollTop = o[1]; o[0].scrollLeft = o[2]; });
    box = pane.getBoundingClientRect();
    r = el.getBoundingClientRect();
    pane.scrollTop += r.top - box.top - pane.clientHeight / 3;
  }

  function showDetail(k) {
    var L = LOCS[k], I = info[k], b = state.base;
    $("detail").hidden = false;
    var kinds = I.types.length ? I.types.join(", ") : "no variant among the visible witnesses";
    $("detail-title").textContent = "Variant " + L.n + " (" + citeRef(b, L.p) + ")";
    $("detail-type").textContent = kinds;
    var body = $("detail-body");
    body.textContent = "";
    var order = [b];
    for (var w = 0; w < W; w++) if (w !== b) order.push(w);
    order.forEach(function (w) {
      var tr = el("tr", state.hidden.has(w) ? "hid" : "");
      tr.appendChild(el("th", null, D.sigla[w]));
      var s = D.off[L.p][w], e = D.off[L.q][w];
      var kwic = el("td", "kwic");
      kwic.appendChild(el("span", "ctxt", textOf(w, Math.max(0, s - 8), s)));
      var before = s > 0 ? " " : "";
      kwic.appendChild(document.createTextNode(before));
      var mark = el("mark", e > s ? "" : "empty", textOf(w, s, e));
      kwic.appendChild(mark);
      kwic.appendChild(el("span", "ctxt", D.tok[w].slice(e, e + 8).join("")));
      tr.appendChild(kwic);
      var i = readingOf[k][w];
      tr.appendChild(el("td", "ty", i < 0 ? lackLabel(L, w) || "absent: see the outer entry" : w === b ? "lemma" : i === I.lem ? "= lemma" : typeName(L.ty[b][i])));
      tr.appendChild(el("td", "ref", citeRef(w, L.p)));
      body.appendChild(tr);
    });
  }

  function step(dir) {
    if (!activeList.length) return;
    var target;
    if (state.sel < 0) {
      target = dir > 0 ? activeList[0] : activeList[activeList.length - 1];
    } else {
      target = -1;
      if (dir > 0) {
        for (var i = 0; i < activeList.length; i++) if (activeList[i] > state.sel) { target = activeList[i]; break; }
        if (target < 0) target = activeList[0];
      } else {
        for (var j = activeList.length - 1; j >= 0; j--) if (activeList[j] < state.sel) { target = activeList[j]; break; }
        if (target < 0) target = activeList[activeList.length - 1];
      }
    }
    select(target, {});
  }

  // ------------------------------------------------------------------------------------ permalinks

  function hashFor(k) {
    var parts = [];
    if (k >= 0) parts.push("v" + LOCS[k].n);
    if (state.base !== D.base) parts.push("base=" + encodeURIComponent(D.sigla[state.base]));
    if (state.view !== "text") parts.push("view=" + state.view);
    return parts.length ? "#" + parts.join("&") : "#";
  }
  var settingHash = false;
  function setHash() {
    var h = hashFor(state.sel);
    if (h === "#") h = location.pathname + location.search;
    if (("#" + location.hash.slice(1)) === h) return;
    settingHash = true;
    history.replaceState(null, "", h);
    settingHash = false;
  }
  function readHash() {
    var sel = -1, base = null, view = null;
    location.hash.slice(1).split("&").forEach(function (part) {
      var m;
      part = decodeURIComponent(part);
      if ((m = /^[va](\d+)$/.exec(part))) { if (byNumber.has(Number(m[1]))) sel = byNumber.get(Number(m[1])); }
      else if ((m = /^base=(.+)$/.exec(part))) { if (D.sigla.indexOf(m[1]) >= 0) base = D.sigla.indexOf(m[1]); }
      else if ((m = /^view=(\w+)$/.exec(part))) { view = m[1]; }
    });
    if (base !== null && base !== state.base) setBase(base);
    if (view && document.querySelector('.view[data-view="' + view + '"]')) showView(view);
    if (sel >= 0) select(sel, {});
  }

  // ------------------------------------------------------------------------------------------ views

  function showView(name) {
    state.view = name;
    document.querySelectorAll(".view").forEach(function (v) { v.hidden = v.dataset.view !== name; });
    document.querySelectorAll(".tabs button").forEach(function (t) {
      t.setAttribute("aria-selected", String(t.dataset.view === name));
      // On a phone the tabs are a strip that scrolls sideways: the chosen one is brought into it.
      if (t.dataset.view === name && t.offsetParent) t.scrollIntoView({ block: "nearest", inline: "nearest" });
    });
    if (name === "synopsis" && !built.synopsis) buildSynopsis();
    if (name === "table" && !built.table) buildTable();
    if (name === "heat" && !built.heat) buildHeat();
    if (state.sel >= 0) select(state.sel, {}); else setHash();
  }

  function invalidate() {
    built = {};
    if (state.view !== "text") { var v = state.view; state.view = "text"; showView(v); }
  }

  // ------------------------------------------------------------------------------------- print lines

  // In print the reading text is set in numbered lines of at most PRINT_LINE characters (the print column
  // holds them; see @media print in apparatus.css) and the apparatus is keyed by those lines. Each line
  // begins at an empty span.pl (data-n: its number); each apparatus entry starts with span.pln, its line
  // (or lines), shown in print where it changes. The text itself is not changed: only split between words.
  var PRINT_LINE = 76;

  function printLines() {
    var n = 0;
    function marker(first) {
      n += 1;
      var m = el("span", first ? "pl first" : "pl");
      m.dataset.n = n;
      return m;
    }
    document.querySelectorAll("#text .lt").forEach(function (lt) {
      // The words of the paragraph across its text nodes; a piece that no space separates from the one
      // before (a comma after a variant, "(" before a word) goes with it: units never split.
      var units = [], prevText = "";
      var walker = document.createTreeWalker(lt, NodeFilter.SHOW_TEXT);
      while (walker.nextNode()) {
        var node = walker.currentNode, words = /\S+/g, m;
        while ((m = words.exec(node.data)) !== null) {
          var joined = units.length > 0 && (m.index > 0 ? false : !/\s$/.test(prevText));
          if (joined) units[units.length - 1].len += m[0].length;
          else units.push({ node: node, start: m.index, len: m[0].length });
        }
        if (node.data) prevText = node.data;
      }
      lt.insertBefore(marker(true), lt.firstChild);
      var used = 0, cuts = [];
      units.forEach(function (u) {
        if (used > 0 && used + 1 + u.len > PRINT_LINE) {
          cuts.push(u);
          used = u.len;
        } else {
          used += (used > 0 ? 1 : 0) + u.len;
        }
      });
      // Back to front, so that splitting a text node leaves the offsets of earlier cuts in it valid.
      for (var i = cuts.length - 1; i >= 0; i--) {
        var node = cuts[i].node;
        if (cuts[i].start > 0) {
          var after = node.splitText(cuts[i].start);
          after.parentNode.insertBefore(el("span", "pl"), after);
          continue;
        }
        // A line that begins with a variant's first word begins before the variant, not inside it.
        var target = node;
        while (target.parentNode !== lt && target.parentNode.firstChild === target) target = target.parentNode;
        target.parentNode.insertBefore(el("span", "pl"), target);
      }
    });
    // Number the markers in document order (they were inserted back to front inside each text node).
    n = 0;
    var lineOf = new Map(), current = 0, opened = new Map();
    document.querySelectorAll("#text .pl, #text a.v").forEach(function (x) {
      if (x.classList.contains("pl")) {
        n += 1;
        x.dataset.n = n;
        current = n;
      } else if (x.classList.contains("sp")) {  // a span's half brackets: the lines from the one to the other
        if (x.classList.contains("open")) opened.set(x.dataset.n, current);
        else {
          var from = opened.get(x.dataset.n) || current;
          lineOf.set(x.dataset.n, from === current ? String(current) : from + "–" + current);
        }
      } else {
        var inner = x.querySelectorAll(".pl");
        var last = inner.length ? n + inner.length : current;
        lineOf.set(x.dataset.n, last === current ? String(current) : current + "–" + last);
      }
    });
    var previous = "";
    var entries = Array.from(document.querySelectorAll("#apparatus .entry"));
    entries.forEach(function (e, i) {
      var old = e.querySelector(".pln");
      if (old) old.remove();
      var line = lineOf.get(e.dataset.n) || "";
      // A span hidden from the text (with a witness that is not shown) is keyed by the line where the first
      // entry inside it begins.
      for (var j = i + 1; !line && j < entries.length; j++) line = (lineOf.get(entries[j].dataset.n) || "").split("–")[0];
      var span = line === previous ? el("span", "pln same") : el("span", "pln", line);
      e.insertBefore(span, e.firstChild);
      previous = line;
    });
  }

  function rerender() {
    var key = String([...state.hidden].sort());
    if (rendered.base !== state.base || rendered.hidden !== key) {
      renderText();
      renderApparatus();
      printLines();
      rendered = { base: state.base, hidden: key };
    }
    applyFilters();
  }

  function setBase(w) {
    state.base = w;
    state.hidden.delete(w);
    $("base").value = String(w);
    document.querySelectorAll("#wit-toggles input").forEach(function (c) {
      var x = Number(c.dataset.w);
      c.disabled = x === w;
      c.checked = !state.hidden.has(x);
    });
    analyse();
    rerender();
    invalidate();
    if (state.sel >= 0) select(state.sel, {}); else select(-1);
  }

  // -------------------------------------------------------------------------------------- synopsis

  function synopsisWitnesses() {
    var visible = [];
    for (var w = 0; w < W; w++) if (!state.hidden.has(w)) visible.push(w);
    if (state.synopsis) {
      var chosen = state.synopsis.filter(function (w) { return !state.hidden.has(w); });
      if (chosen.length) return chosen;
    }
    var others = visible.filter(function (w) { return w !== state.base; });
    return [state.base].concat(others.slice(0, 2));
  }

  var synCols = [];
  function buildSynopsis() {
    built.synopsis = true;
    var chosen = synopsisWitnesses();
    var pick = $("syn-pick");
    pick.textContent = "";
    pick.appendChild(el("span", null, "Side by side:"));
    for (var w = 0; w < W; w++) {
      if (state.hidden.has(w)) continue;
      var label = el("label", "chip");
      var box = el("input");
      box.type = "checkbox";
      box.checked = chosen.indexOf(w) >= 0;
      box.dataset.w = w;
      box.addEventListener("change", function () {
        var now = [];
        pick.querySelectorAll("input").forEach(function (c) { if (c.checked) now.push(Number(c.dataset.w)); });
        state.synopsis = now;
        buildSynopsis();
        if (state.sel >= 0) alignSynopsis(state.sel);
      });
      label.appendChild(box);
      label.appendChild(el("span", null, D.sigla[w]));
      pick.appendChild(label);
    }
    var cols = $("syn-cols");
    cols.textContent = "";
    synCols = [];
    chosen.forEach(function (w) {
      var col = el("div", "syn-col");
      col.appendChild(el("h3", null, D.sigla[w] + (w === state.base ? " (base)" : "")));
      var text = el("div", "syn-text");
      text.dataset.w = w;
      var anchors = [];
      text.appendChild(buildLines(w, "line", function (k, t, runs) {
        var I = info[k], i = readingOf[k][w];
        var cls = "sv";
        if (I.silent || !I.active || i < 0) cls += " off";
        else if (i === I.lem) cls += " same";
        else cls += " t-" + typeName(LOCS[k].ty[state.base][i]);
        if (!t) cls += " empty";
        var s = el("span", cls, runs ? null : t);
        if (runs) appendRuns(s, runs);
        s.dataset.n = LOCS[k].n;
        anchors.push(s);
        return s;
      }));
      col.appendChild(text);
      cols.appendChild(col);
      synCols.push({ w: w, box: text, anchors: anchors, tops: null, ignore: -1 });
    });
    synCols.forEach(function (c) {
      c.box.addEventListener("scroll", function () { onSynScroll(c); }, { passive: true });
      c.box.addEventListener("click", function (ev) {
        var s = ev.target.closest(".sv");
        if (s && !s.classList.contains("off")) select(byNumber.get(Number(s.dataset.n)), {});
      });
    });
    if (state.sel >= 0) select(state.sel, { scroll: false });
  }

  function tops(c) {
    if (!c.tops) c.tops = c.anchors.map(function (a) { return a.offsetTop; });
    return c.tops;
  }
  window.addEventListener("resize", function () { synCols.forEach(function (c) { c.tops = null; }); });

  /* Scrolling in step: the variant location at the top of the scrolled column is brought to the same
     height in the others, interpolating between neighbouring locations. */
  function onSynScroll(c) {
    if (c.ignore >= 0 && Math.abs(c.box.scrollTop - c.ignore) < 2) { c.ignore = -1; return; }
    c.ignore = -1;
    var t = tops(c), y = c.box.scrollTop;
    var lo = -1, hi = t.length - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (t[mid] <= y) lo = mid; else hi = mid - 1;
    }
    var a0 = lo >= 0 ? t[lo] : 0, a1 = lo + 1 < t.length ? t[lo + 1] : c.box.scrollHeight;
    var frac = a1 > a0 ? (y - a0) / (a1 - a0) : 0;
    synCols.forEach(function (d) {
      if (d === c) return;
      var u = tops(d);
      var b0 = lo >= 0 ? u[lo] : 0, b1 = lo + 1 < u.length ? u[lo + 1] : d.box.scrollHeight;
      var target = Math.round(b0 + frac * (b1 - b0));
      if (Math.abs(d.box.scrollTop - target) >= 1) {
        d.ignore = target;
        d.box.scrollTop = target;
      }
    });
  }

  function alignSynopsis(k) {
    synCols.forEach(function (c) {
      var y = tops(c)[k] - c.box.clientHeight / 3;
      c.ignore = Math.max(0, Math.round(y));
      c.box.scrollTop = Math.max(0, y);
      c.ignore = c.box.scrollTop;
    });
  }

  // ------------------------------------------------------------------------------- alignment table

  /* The table is cut into chunks of parts, each its own fixed-layout table under one sticky header: the
     browser lays out only the chunks on screen (content-visibility), so a whole chapter opens at once. */
  var TABLE_CHUNK = 40;
  function buildTable() {
    built.table = true;
    var b = state.base;
    var wits = [];
    for (var w = 0; w < W; w++) if (!state.hidden.has(w)) wits.push(w);
    var pane = $("table-pane");
    pane.textContent = "";
    pane.style.setProperty("--wits", wits.length);  // the tables' least width (apparatus.css)
    var head = el("table", "align align-head"), hr = el("tr");
    hr.appendChild(el("th", null, "No."));
    wits.forEach(function (w) { hr.appendChild(el("th", null, D.sigla[w] + (w === b ? " (base)" : ""))); });
    head.appendChild(el("thead")).appendChild(hr);
    pane.appendChild(head);
    var frag = document.createDocumentFragment();
    var table = null;
    for (var p = 0; p < P; p++) {
      if (p % TABLE_CHUNK === 0) {
        var chunk = el("div", "chunk");
        table = el("table", "align");
        table.appendChild(el("colgroup")).appendChild(el("col", "numcol"));
        chunk.appendChild(table);
        frag.appendChild(chunk);
      }
      var k = partLoc[p];
      var body = el("tbody");
      if (k < 0 || info[k].silent) {
        body.className = "seg";
        var tr = el("tr", "seg");
        tr.appendChild(el("td", "num"));
        var td = el("td");
        td.colSpan = wits.length;
        td.appendChild(el("div", "clamp", textOf(b, D.off[p][b], D.off[p + 1][b])));
        tr.appendChild(td);
        body.appendChild(tr);
      } else {
        var L = LOCS[k], I = info[k];
        body.id = "t" + L.n;
        body.dataset.n = L.n;
        if (!I.active) body.className = "off";
        L.cols.forEach(function (col, ci) {
          var row = el("tr");
          row.appendChild(el("td", "num", ci === 0 ? String(L.n) : ""));
          wits.forEach(function (w) {
            var i = col[w];
            var r = readingOf[k][w];
            var cls = i === null ? "gap" : "";
            if (r >= 0 && r !== I.lem) cls += " t-" + typeName(L.ty[b][r]);
            row.appendChild(el("td", cls.trim(), i === null ? "–" : D.tok[w][i].replace(/^ +/, "")));
          });
          body.appendChild(row);
        });
      }
      table.appendChild(body);
    }
    pane.appendChild(frag);
    pane.onclick = function (ev) {
      var clamp = ev.target.closest(".clamp");
      if (clamp) { clamp.classList.toggle("open"); return; }
      var body = ev.target.closest("tbody[data-n]");
      if (body) select(byNumber.get(Number(body.dataset.n)), { scroll: false });
    };
  }

  // --------------------------------------------------------------------------------------- heat map

  function heatColour(x) {
    // white → amber → deep red, readable in print and for most colour-blind readers (one hue ramp)
    var h = 45 - 40 * x, l = 97 - 57 * x;
    return "hsl(" + h.toFixed(0) + ", 85%, " + l.toFixed(0) + "%)";
  }

  function buildHeat() {
    built.heat = true;
    var b = state.base;
    var n = D.tok[b].length;
    var bins = Math.max(1, Math.min(100, n));
    var size = Math.ceil(n / bins);
    bins = Math.ceil(n / size);
    var rows = [];
    for (var w = 0; w < W; w++) if (w !== b && !state.hidden.has(w)) rows.push(w);
    var heat = rows.map(function () { return new Float64Array(bins); });
    var total = new Float64Array(bins);
    var firstLoc = new Int32Array(bins).fill(-1);
    info.forEach(function (I, k) {
      if (!I.active) return;
      var L = LOCS[k];
      var pos = D.off[L.p][b];
      var bin = Math.min(bins - 1, Math.floor(pos / size));
      if (firstLoc[bin] < 0) firstLoc[bin] = k;
      var baseLen = D.off[L.q][b] - pos;
      rows.forEach(function (w, j) {
        var r = readingOf[k][w];
        if (r < 0 || r === I.lem || !state.types.has(typeName(L.ty[b][r]))) return;
        var len = Math.max(1, baseLen, D.off[L.q][w] - D.off[L.p][w]);
        heat[j][bin] += len;
      });
    });
    var max = 0;
    // Each witness's share is capped at 1 (a long addition cannot count more than the passage it is in);
    // the first row is the mean of the capped shares.
    heat.forEach(function (h) {
      h.forEach(function (x, i) {
        h[i] = Math.min(1, x / size);
        total[i] += h[i] / rows.length;
        if (h[i] > max) max = h[i];
      });
    });
    var grid = $("heat");
    grid.textContent = "";
    grid.style.gridTemplateColumns = "max-content repeat(" + bins + ", minmax(3px, 1fr))";
    function row(label, values) {
      grid.appendChild(el("span", "hl", label));
      values.forEach(function (x, i) {
        var c = el("span", "hc");
        c.style.backgroundColor = heatColour(max > 0 ? x / max : 0);
        var from = citeRef(b, partOfToken(b, i * size)), pct = Math.round(100 * x);
        c.title = label + " · from " + (from || "token " + (i * size + 1)) + " · " + pct + "% of words differ";
        c.dataset.bin = i;
        grid.appendChild(c);
      });
    }
    row("all (mean)", total);
    rows.forEach(function (w, j) { row(D.sigla[w], heat[j]); });
    grid.onclick = function (ev) {
      var c = ev.target.closest(".hc");
      if (!c) return;
      goToBin(Number(c.dataset.bin));
    };
    function goToBin(i) {
      var k = firstLoc[i];
      for (var j = i; k < 0 && j < bins; j++) k = firstLoc[j];
      if (k >= 0) { showView("text"); select(k, {}); }
    }
    var ramp = $("heat-ramp");
    ramp.style.background = "linear-gradient(to right, " + [0, 0.25, 0.5, 0.75, 1].map(heatColour).join(", ") + ")";
    $("heat-max").textContent = Math.round(100 * max) + "% of words";
    var order = Array.from(total.keys()).sort(function (x, y) { return total[y] - total[x]; }).slice(0, 8);
    var list = $("hotspots");
    list.textContent = "";
    order.forEach(function (i) {
      if (total[i] <= 0) return;
      var li = el("li");
      var from = i * size, to = Math.min(n, from + size);
      li.appendChild(el("b", null, (citeRef(b, partOfToken(b, from)) || "tokens " + (from + 1) + "–" + to) + " · " + Math.round(100 * total[i]) + "%"));
      li.appendChild(document.createTextNode(" " + textOf(b, from, Math.min(to, from + 24)) + " …"));
      li.addEventListener("click", function () { goToBin(i); });
      list.appendChild(li);
    });
  }

  function partOfToken(w, i) {
    var lo = 0, hi = P - 1;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (D.off[mid][w] <= i) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  // ---------------------------------------------------------------------------------------- wiring

  function wire() {
    document.querySelectorAll(".tabs button").forEach(function (t) {
      t.addEventListener("click", function () { showView(t.dataset.view); });
    });
    $("base").addEventListener("change", function () { setBase(Number(this.value)); });
    document.querySelectorAll("#wit-toggles input").forEach(function (c) {
      c.addEventListener("change", function () {
        var w = Number(c.dataset.w);
        if (c.checked) state.hidden.delete(w); else state.hidden.add(w);
        analyse();
        rerender();
        invalidate();
        select(state.sel >= 0 && !info[state.sel].silent ? state.sel : -1, { scroll: false });
      });
    });
    document.querySelectorAll("#type-filters input").forEach(function (c) {
      c.addEventListener("change", function () {
        if (c.checked) state.types.add(c.dataset.type); else state.types.delete(c.dataset.type);
        filter();
        applyFilters();
        invalidate();
        select(state.sel >= 0 && info[state.sel].active ? state.sel : -1, { scroll: false });
      });
    });
    $("opt-numbers").addEventListener("change", function () { document.body.classList.toggle("numbers", this.checked); });
    $("opt-cites").addEventListener("change", function () { document.body.classList.toggle("cites", this.checked); });
    $("help-button").addEventListener("click", function () { $("help").hidden = !$("help").hidden; });
    $("menu-button").addEventListener("click", function () {  // a narrow screen folds the toolbar away
      this.setAttribute("aria-expanded", String(document.body.classList.toggle("menu-open")));
    });
    $("prev").addEventListener("click", function () { step(-1); });
    $("next").addEventListener("click", function () { step(1); });
    $("detail-close").addEventListener("click", function () { select(-1); });
    document.querySelectorAll(".detail-go button").forEach(function (bt) {
      bt.addEventListener("click", function () { showView(bt.dataset.go); });
    });
    $("text").addEventListener("click", function (ev) {
      var v = ev.target.closest("a.v");
      if (!v || v.classList.contains("off")) return;
      ev.preventDefault();
      select(byNumber.get(Number(v.dataset.n)), { from: "text" });
    });
    $("apparatus").addEventListener("click", function (ev) {
      var a = ev.target.closest("a");
      var e = ev.target.closest(".entry");
      var long = ev.target.closest(".rt.long");
      if (long) long.classList.toggle("open");
      if (a && !a.classList.contains("num")) {  // a transposition's other half
        ev.preventDefault();
        var m = /^#v(\d+)$/.exec(a.getAttribute("href"));
        if (m) select(byNumber.get(Number(m[1])), {});
        return;
      }
      if (!e) return;
      ev.preventDefault();
      select(byNumber.get(Number(e.dataset.n)), { from: a ? undefined : "apparatus" });
    });
    document.addEventListener("keydown", function (ev) {
      if (ev.ctrlKey || ev.metaKey || ev.altKey) return;
      var t = ev.target, tag = t.tagName;
      // Keys stay with fields that take typing; a checkbox just ticked does not need them.
      if (tag === "SELECT" || tag === "TEXTAREA" || (tag === "INPUT" && !/^(checkbox|radio|button)$/.test(t.type))) return;
      var views = ["text", "synopsis", "table", "heat", "witnesses"];
      if (ev.key === "j" || ev.key === "n") { step(1); ev.preventDefault(); }
      else if (ev.key === "k" || ev.key === "p") { step(-1); ev.preventDefault(); }
      else if (ev.key === "Escape") { select(-1); }
      else if (ev.key === "?") { $("help").hidden = !$("help").hidden; }
      else if (ev.key >= "1" && ev.key <= "5") { showView(views[Number(ev.key) - 1]); }
    });
    window.addEventListener("hashchange", function () { if (!settingHash) readHash(); });
  }

  /* What the page's other scripts (static/search.js) may read and call. */
  window.collation = {
    data: D, state: state, partLoc: partLoc,
    refAt: refAt, pageRef: pageRef, select: select, showView: showView,
    showInSynopsis: function (w) {  // the synopsis, with witness w among its columns
      var chosen = synopsisWitnesses();
      if (chosen.indexOf(w) < 0) { state.synopsis = chosen.concat([w]); built.synopsis = false; }
      if (state.view !== "synopsis") showView("synopsis"); else if (!built.synopsis) buildSynopsis();
    }
  };

  document.documentElement.classList.add("js");
  analyse();
  applyFilters();
  wire();
  printLines();
  if (location.hash.length > 1) readHash(); else select(-1);
  document.documentElement.dataset.ready = "1";
  if (performance.mark) performance.mark("collation-ready");  // read by benchmarks/html_load.py
})();
