/* Full-text search across the witnesses of an HTML report. Inlined after the page's own script; the page's
 * Content-Security-Policy allows it by its hash. Witness text reaches the DOM only through textContent.
 *
 * What is searched:
 *   - the apparatus page (window.collation, set by apparatus.js): every witness's whole text, token by token,
 *     from the collation data. A hit is a place in the collation: the same words read by several witnesses
 *     at one place are one hit, with all their sigla. It is shown where the current view shows that
 *     witness's words: the reading text (the base's words), the apparatus entry (another witness's reading
 *     inside a variant), the alignment table (the cells of a variant), else the synopsis, where the
 *     witness's column is opened. Hidden witnesses are not searched.
 *   - any other page (the translation report): the text inside elements with data-search-w (the witness)
 *     and data-search-place (how the page cites that place), one stream of text per witness.
 *
 * Matching ignores case and diacritics unless asked not to: both sides are folded (NFKD, combining marks
 * dropped, æ œ ß ø … spelt out, lower case, final sigma as σ, curly quotes as straight ones, runs of spaces
 * as one), so "λογος" finds "Λόγος", "cafe" finds "Café" and "daemon" "Dæmon". The index (each witness's folded text and where each of its
 * pieces begins in it) is built once for each choice of those options, at the first search; a search is
 * then a scan with indexOf. Only the current hit is drawn, with the CSS Custom Highlight API, so the page's
 * DOM is never changed by a search.
 *
 * Keys: "/" focuses the search box; in it, Enter is the next hit, Shift+Enter the previous one, Escape
 * closes the list of hits (and, a second time, clears the search).
 */
(function () {
  "use strict";

  var input = document.getElementById("search-input");
  if (!input) return;
  document.documentElement.classList.add("js");  // shows the controls that need a script (class needs-js)
  function $(id) { return document.getElementById(id); }
  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) e.className = cls;
    if (text) e.textContent = text;
    return e;
  }

  var MAX_HITS = 10000;      // occurrences collected at most; the count then says "10000+"
  var MAX_LISTED = 500;      // hits listed in the panel at most (next/previous reach them all)
  var CONTEXT = 6;           // pieces of context on each side in the list

  var options = { exact: false, accents: false };
  var panel = $("search-panel"), list = $("search-hits"), count = $("search-count"), summary = $("search-summary");
  var caseBox = $("search-case"), accentsBox = $("search-accents");

  // ------------------------------------------------------------------------------------------- folding

  var MARK = /\p{M}/gu;
  // Letters that no decomposition takes apart, read as their plain spelling when accents do not count.
  var LETTERS = { "æ": "ae", "Æ": "AE", "œ": "oe", "Œ": "OE", "ß": "ss", "ẞ": "SS", "ø": "o", "Ø": "O", "đ": "d",
                  "Đ": "D", "ł": "l", "Ł": "L", "ı": "i", "þ": "th", "Þ": "TH", "ð": "d", "Ð": "D" };
  var LETTER = /[æÆœŒßẞøØđĐłŁıþÞðÐ]/g;
  var QUOTES = { "\u2018": "'", "\u2019": "'", "\u02bc": "'", "\u2032": "'", "\u201c": "\"", "\u201d": "\"", "\u201e": "\"", "\u2033": "\"" };
  var NON_ASCII = /[^\x00-\x7f]/, SPACES = /\s\s|[^\S ]/;
  function fold(s, opts) {
    if (NON_ASCII.test(s)) {  // most words of most texts are plain ASCII: no Unicode work for them
      s = opts.accents ? s.normalize("NFC") : s.normalize("NFKD").replace(MARK, "").replace(LETTER, function (c) { return LETTERS[c]; });
      s = s.replace(/[\u2018\u2019\u02bc\u2032\u201c\u201d\u201e\u2033]/g, function (c) { return QUOTES[c]; });
      if (!opts.exact) s = s.toLowerCase().replace(/\u03c2/g, "\u03c3");
    } else if (!opts.exact) {
      s = s.toLowerCase();
    }
    return SPACES.test(s) ? s.replace(/\s+/g, " ") : s;
  }
  /* The index in `text` of the character whose folded form begins at folded offset `at` (folding one code
     point at a time: a mark folds to nothing, a ligature to two letters). */
  function original(text, at, opts) {
    var folded = 0, i = 0;
    while (i < text.length && folded < at) {
      var c = text.codePointAt(i), ch = String.fromCodePoint(c);
      folded += fold(ch, opts).length;
      i += ch.length;
    }
    // Combining marks after the last letter matched belong to it.
    while (i < text.length && /\p{M}/u.test(text.charAt(i))) i += 1;
    return i;
  }

  // ------------------------------------------------------------------------------------------ the index

  /* A source gives streams of text, each a list of pieces (a witness's tokens, a page's text nodes):
       streams()          [{label, pieces: [string]}]   (built once)
       active(s)          whether stream s is searched now (a hidden witness is not)
       places(hits)       the hits gathered into places, in reading order
       describe(place)    {where: "¶ 3", sigla: "1859 1860", context: [before, match, after]}
       show(place)        the Range(s) to highlight, after bringing the place into view */
  var source = null, streams = null, indexes = {};

  function keyOf(opts) { return (opts.exact ? "c" : "") + (opts.accents ? "a" : ""); }

  /* The index for `opts`, built now for the witnesses not yet indexed. */
  function indexFor(opts) {
    var key = keyOf(opts);
    if (!streams) streams = source.streams();
    var index = indexes[key] || (indexes[key] = { memo: new Map(), streams: [] });
    while (index.streams.length < streams.length) index.streams.push(indexStream(streams[index.streams.length], index.memo, opts));
    return index.streams;
  }
  function indexStream(stream, memo, opts) {
    var pieces = stream.pieces, starts = new Int32Array(pieces.length + 1), parts = new Array(pieces.length), at = 0;
    for (var i = 0; i < pieces.length; i++) {
      var f = memo.get(pieces[i]);
      if (f === undefined) { f = fold(pieces[i], opts); memo.set(pieces[i], f); }
      starts[i] = at;
      parts[i] = f;
      at += f.length;
    }
    starts[pieces.length] = at;
    return { text: parts.join(""), starts: starts };
  }
  /* Built ahead, one witness at a time between other work, once the reader comes to the search box: a long
     report never stops the page for its whole index, and the first search finds it ready. */
  function indexAhead() {
    ensureSource();
    if (!streams) streams = source.streams();
    var key = keyOf(options), index = indexes[key] || (indexes[key] = { memo: new Map(), streams: [] });
    if (index.streams.length >= streams.length) return;
    index.streams.push(indexStream(streams[index.streams.length], index.memo, options));
    setTimeout(indexAhead, 0);
  }

  function pieceAt(starts, at) {  // the last piece that begins at or before `at`
    var lo = 0, hi = starts.length - 2;
    while (lo < hi) {
      var mid = (lo + hi + 1) >> 1;
      if (starts[mid] <= at) lo = mid; else hi = mid - 1;
    }
    return lo;
  }

  /* Every occurrence of the query: {s, i, io, j, jo} (stream, first piece and the folded offset in it,
     last piece and the folded offset just after the match in it). */
  function find(query) {
    var q = fold(query, options).trim();
    var found = [], more = false;
    if (!q) return { q: q, hits: found, more: false };
    var index = indexFor(options);
    for (var s = 0; s < index.length && !more; s++) {
      if (!source.active(s)) continue;
      var text = index[s].text, starts = index[s].starts, at = text.indexOf(q);
      while (at >= 0) {
        if (found.length >= MAX_HITS) { more = true; break; }
        var i = pieceAt(starts, at), end = at + q.length, j = pieceAt(starts, end - 1);
        found.push({ s: s, i: i, io: at - starts[i], j: j, jo: end - starts[j] });
        at = text.indexOf(q, at + 1);
      }
    }
    return { q: q, hits: found, more: more };
  }

  /* Original-text offsets of a hit inside its first and last pieces. */
  function offsets(hit) {
    var pieces = streams[hit.s].pieces;
    return [original(pieces[hit.i], hit.io, options), original(pieces[hit.j], hit.jo, options)];
  }

  // ------------------------------------------------------------------------------ ranges in the page

  function nonSpace(s) { return s.replace(/\s+/g, "").length; }

  /* A position in `box`, counted in non-space characters from its start, as [text node, offset]. The
     texts in `box` (the elements matching `sel`) hold the same characters as the pieces they show, with
     spacing that may differ (a line's first space is dropped): only non-space characters are counted. */
  var lineCache = new WeakMap();
  function locator(box, sel) {
    var units = Array.from(box.querySelectorAll(sel));
    var first = units[0] || box;
    var cached = lineCache.get(first);
    if (cached && cached.n === units.length) return cached;
    var counts = new Int32Array(units.length + 1);
    units.forEach(function (u, k) { counts[k + 1] = counts[k] + nonSpace(u.textContent); });
    cached = { n: units.length, units: units, counts: counts };
    lineCache.set(first, cached);
    return cached;
  }
  function pointAt(loc, c, atEnd) {
    var lo = 0, hi = loc.units.length - 1;
    while (lo < hi) {  // the unit holding non-space character c (or ending at it, for an end point)
      var mid = (lo + hi + 1) >> 1;
      if (loc.counts[mid] < c || (!atEnd && loc.counts[mid] === c)) lo = mid; else hi = mid - 1;
    }
    var left = c - loc.counts[lo];
    var walker = document.createTreeWalker(loc.units[lo], NodeFilter.SHOW_TEXT), last = null;
    while (walker.nextNode()) {
      var node = walker.currentNode, data = node.data;
      for (var k = 0; k < data.length; k++) {
        if (/\s/.test(data.charAt(k))) continue;
        if (left === 0 && !atEnd) return [node, k];
        left -= 1;
        if (left === 0 && atEnd) return [node, k + 1];
      }
      last = node;
    }
    return last ? [last, last.data.length] : null;
  }

  /* Non-space characters in pieces before each piece, counted once for each list of pieces. */
  var cumulative = new WeakMap();
  function nonSpaceBefore(pieces) {
    var cum = cumulative.get(pieces);
    if (!cum) {
      cum = new Int32Array(pieces.length + 1);
      for (var i = 0; i < pieces.length; i++) cum[i + 1] = cum[i] + nonSpace(pieces[i]);
      cumulative.set(pieces, cum);
    }
    return cum;
  }

  /* The Range of the hit (pieces i to j, cut at offs) in box, whose texts (elements `sel`) show the pieces
     from piece `from` on; null when they do not hold it. */
  function textRange(box, sel, pieces, from, hit, offs) {
    var cum = nonSpaceBefore(pieces);
    var start = cum[hit.i] - cum[from] + nonSpace(pieces[hit.i].slice(0, offs[0]));
    var end = cum[hit.j] - cum[from] + nonSpace(pieces[hit.j].slice(0, offs[1]));
    var loc = locator(box, sel);
    if (!loc.units.length) return null;
    var a = pointAt(loc, start, false), b = pointAt(loc, end, true);
    if (!a || !b) return null;
    var range = document.createRange();
    range.setStart(a[0], a[1]);
    range.setEnd(b[0], b[1]);
    return range;
  }

  /* Scroll every scrolling box around the range so that the range is in view, a third down. */
  function reveal(range) {
    var node = range.startContainer;
    var start = node.nodeType === 1 ? node : node.parentElement;
    start.scrollIntoView({ block: "nearest", inline: "nearest" });  // lays out what content-visibility skipped
    for (var a = start.parentElement; a; a = a.parentElement) {
      var style = getComputedStyle(a);
      // The window's visible part ends where the list of hits begins when that list floats over the page.
      var box = a === document.documentElement
        ? { top: 0, bottom: panel.hidden ? innerHeight : Math.min(innerHeight, panel.getBoundingClientRect().top), left: 0, right: innerWidth }
        : a.getBoundingClientRect();
      var r = range.getBoundingClientRect();
      if (a.scrollHeight > a.clientHeight + 1 && (a === document.documentElement || /auto|scroll/.test(style.overflowY))) {
        var height = Math.min(a.clientHeight, box.bottom - box.top);
        if (r.top < box.top + 4 || r.bottom > box.top + height - 4) a.scrollTop += r.top - box.top - height / 3;
      }
      r = range.getBoundingClientRect();
      if (a.scrollWidth > a.clientWidth + 1 && (a === document.documentElement || /auto|scroll/.test(style.overflowX))) {
        if (r.left < box.left + 4 || r.right > box.right - 4) a.scrollLeft += r.left - box.left - 24;
      }
    }
  }

  var highlight = window.Highlight && window.CSS && CSS.highlights ? new Highlight() : null;
  if (highlight) CSS.highlights.set("search-hit", highlight);
  var fallback = null;
  function draw(ranges) {
    if (highlight) {
      highlight.clear();
      ranges.forEach(function (r) { highlight.add(r); });
    } else {
      if (fallback) fallback.classList.remove("search-at");
      fallback = null;
      if (ranges.length) {
        var n = ranges[0].startContainer;
        fallback = n.nodeType === 1 ? n : n.parentElement;
        fallback.classList.add("search-at");
      }
    }
  }

  // -------------------------------------------------------------------------------- the apparatus page

  function apparatusSource(C) {
    var D = C.data, W = D.sigla.length, P = D.off.length - 1, LOCS = D.locs;
    function partOf(w, i) {
      var lo = 0, hi = P - 1;
      while (lo < hi) {
        var mid = (lo + hi + 1) >> 1;
        if (D.off[mid][w] <= i) lo = mid; else hi = mid - 1;
      }
      return lo;
    }
      function refOf(w, i) {
      var ref = C.refAt(w, i);
      return C.pageRef(ref[0], ref[1], ref[2]);
    }
    return {
      key: function () { return C.state.base + "|" + Array.from(C.state.hidden).sort().join(","); },
      streams: function () {
        var out = [];
        for (var w = 0; w < W; w++) out.push({ label: D.sigla[w], pieces: D.tok[w] });
        return out;
      },
      active: function (s) { return !C.state.hidden.has(s); },
      /* One place for the n-th occurrence in a part of the collation (a run of agreement, or a variant
         location) in every witness: "λόγῳ" in one witness and "λόγω" in another at one place are one hit. */
      places: function (hits) {
        var base = C.state.base, byKey = new Map(), places = [], lastS = -1, lastP = -1, nth = 0;
        hits.forEach(function (h) {
          var p = partOf(h.s, h.i);
          nth = h.s === lastS && p === lastP ? nth + 1 : 0;
          lastS = h.s;
          lastP = p;
          var key = p + ":" + nth, place = byKey.get(key);
          if (!place) {
            place = { p: p, k: C.partLoc[p], nth: nth, hits: [] };
            byKey.set(key, place);
            places.push(place);
          }
          place.hits.push(h);
        });
        places.forEach(function (pl) {
          pl.hits.sort(function (x, y) { return (x.s === base ? -1 : x.s) - (y.s === base ? -1 : y.s); });
        });
        places.sort(function (x, y) { return x.p - y.p || x.nth - y.nth; });
        return places;
      },
      describe: function (pl) {
        /* The place as the first witness with pages, lines or paragraphs there cites it (named when it is
           not the first listed), else by word. */
        function where(pl) {
          for (var x = 0; x < pl.hits.length; x++) {
            var ref = refOf(pl.hits[x].s, pl.hits[x].i);
            if (ref) return x ? D.sigla[pl.hits[x].s] + " " + ref : ref;
          }
          return D.sigla[pl.hits[0].s] + " word " + (pl.hits[0].i + 1);
        }
        var h = pl.hits[0], tok = D.tok[h.s], offs = offsets(h);
        var first = tok[h.i], last = tok[h.j];
        var before = tok.slice(Math.max(0, h.i - CONTEXT), h.i).join("") + first.slice(0, offs[0]);
        var match = h.i === h.j ? first.slice(offs[0], offs[1]) : first.slice(offs[0]) + tok.slice(h.i + 1, h.j).join("") + last.slice(0, offs[1]);
        var after = last.slice(offs[1]) + tok.slice(h.j + 1, h.j + 1 + CONTEXT).join("");
        return {
          where: where(pl),
          sigla: pl.hits.map(function (x) { return D.sigla[x.s]; }).join(" "),
          context: [before.replace(/^\s+/, ""), match, after]
        };
      },
      show: function (pl) {
        var base = C.state.base, view = C.state.view;
        var withBase = pl.hits.filter(function (h) { return h.s === base; })[0];
        var h = withBase || pl.hits[0], offs = offsets(h);
        var inOne = pl.k >= 0 && partOf(h.s, h.j) === pl.p;
        var n = pl.k >= 0 ? LOCS[pl.k].n : 0;
        var entry = n ? $("a" + n) : null;
        var shown = entry !== null && !entry.classList.contains("off");
        // A hit inside a variant selects it (its readings in every witness, below); any other hit
        // leaves no variant selected.
        if (shown) C.select(pl.k, { scroll: false }); else if (C.state.sel >= 0) C.select(-1);
        if (view === "heat" || view === "witnesses") { C.showView("text"); view = "text"; }
        var range;
        if (view === "table") {
          var tbody = n ? $("t" + n) : null;
          if (tbody && inOne && shown) {
            var ranges = tableRanges(tbody, pl.k, h, offs);
            if (ranges.length) { reveal(ranges[0]); return ranges; }
          }
          var seg = withBase && pl.k < 0 ? segmentBox(pl.p) : null;
          if (seg) {
            seg.querySelector(".clamp").classList.add("open");
            range = textRange(seg, ".clamp", D.tok[base], D.off[pl.p][base], h, offs);
            if (range) { reveal(range); return [range]; }
          }
        }
        if (view === "text" || view === "table") {
          if (view === "table") C.showView("text");
          if (withBase) {
            range = textRange($("text"), ".lt", D.tok[base], 0, h, offs);
            if (range) { reveal(range); return [range]; }
          }
          if (shown && inOne && !LOCS[pl.k].sp) {
            range = readingRange(entry, pl, h);
            var v = $("v" + n);
            if (range) { if (v) v.scrollIntoView({ block: "center" }); reveal(range); return [range]; }
          }
        }
        // Anywhere else: the witness's own column in the synopsis.
        var inColumns = pl.hits.filter(function (x) { return document.querySelector('.syn-text[data-w="' + x.s + '"]'); });
        var target = C.state.view === "synopsis" && inColumns.length ? inColumns[0] : h;
        C.showInSynopsis(target.s);
        var box = document.querySelector('.syn-text[data-w="' + target.s + '"]');
        range = box ? textRange(box, ".lt", D.tok[target.s], 0, target, offsets(target)) : null;
        if (range) reveal(range);
        return range ? [range] : [];
      }
    };

    function segmentBox(p) {
      // The folded agreement rows of the table are not numbered: the p-th tbody of the table is part p.
      var bodies = document.querySelectorAll("#table-pane table.align:not(.align-head) > tbody");
      var body = bodies[p];
      return body && body.classList.contains("seg") && body.querySelector(".clamp") ? body : null;
    }

    /* The table cells that hold the hit's tokens, each a Range (the first and last cut at the match). */
    function tableRanges(tbody, k, h, offs) {
      var cols = LOCS[k].cols, column = -1, out = [];
      var visible = [];
      for (var w = 0; w < W; w++) if (!C.state.hidden.has(w)) visible.push(w);
      column = visible.indexOf(h.s) + 1;
      if (column <= 0) return out;
      var rows = tbody.rows;
      cols.forEach(function (col, ci) {
        var i = col[h.s];
        if (i === null || i < h.i || i > h.j || !rows[ci]) return;
        var cell = rows[ci].cells[column], node = cell && cell.firstChild;
        if (!node) return;
        var text = D.tok[h.s][i], lead = text.length - text.replace(/^\s+/, "").length;
        var from = i === h.i ? Math.max(0, offs[0] - lead) : 0;
        var to = i === h.j ? Math.max(0, offs[1] - lead) : node.data.length;
        var r = document.createRange();
        r.setStart(node, Math.min(from, node.data.length));
        r.setEnd(node, Math.min(to, node.data.length));
        out.push(r);
      });
      return out;
    }

    /* The hit inside the apparatus reading of its witness: the same occurrence of the query in the
       reading's words (not in "add." or the sigla). */
    function readingRange(entry, pl, h) {
      var sig = entry.querySelector('.sig[data-w="' + h.s + '"]');
      var rdg = sig && sig.closest(".rdg");
      var rt = rdg && rdg.querySelector(".rt");
      if (!rt || rdg.classList.contains("off")) return null;
      if (rt.classList.contains("long")) rt.classList.add("open");
      var index = indexFor(options)[h.s];
      var readingStart = index.starts[D.off[pl.p][h.s]];
      var readingText = index.text.slice(readingStart, index.starts[D.off[pl.p + 1][h.s]]);
      var q = fold(input.value, options).trim();
      var nth = 0, at = readingText.indexOf(q), target = index.starts[h.i] + h.io - readingStart;
      while (at >= 0 && at < target) { nth += 1; at = readingText.indexOf(q, at + 1); }
      // The reading's text nodes, folded one by one, searched as one string.
      var nodes = [], walker = document.createTreeWalker(rt, NodeFilter.SHOW_TEXT), folded = "", starts = [];
      while (walker.nextNode()) {
        var node = walker.currentNode;
        if (node.parentElement.closest(".kw")) continue;
        nodes.push(node);
        starts.push(folded.length);
        folded += fold(node.data, options);
      }
      var found = folded.indexOf(q);
      for (var x = 0; x < nth && found >= 0; x++) found = folded.indexOf(q, found + 1);
      if (found < 0) return null;
      function point(at, atEnd) {
        var k = nodes.length - 1;
        while (k > 0 && (starts[k] > at || (atEnd && starts[k] === at))) k -= 1;
        return [nodes[k], original(nodes[k].data, at - starts[k], options)];
      }
      var a = point(found, false), b = point(found + q.length, true);
      var range = document.createRange();
      range.setStart(a[0], a[1]);
      range.setEnd(b[0], b[1]);
      return range;
    }
  }

  // ------------------------------------------------------------------- any other page: marked elements

  function domSource() {
    var units = Array.from(document.querySelectorAll("[data-search-w]"));
    var labels = [], byLabel = new Map(), nodes = [];
    return {
      key: function () { return ""; },
      streams: function () {
        units.forEach(function (u, order) {
          var w = u.dataset.searchW;
          if (!byLabel.has(w)) { byLabel.set(w, labels.length); labels.push(w); nodes.push([]); }
          var list = nodes[byLabel.get(w)];
          var walker = document.createTreeWalker(u, NodeFilter.SHOW_TEXT);
          var first = true;
          while (walker.nextNode()) {
            var node = walker.currentNode;
            if (node.parentElement.closest("[data-search-skip]")) continue;
            // Units of one witness are read as one text: a space between them, none inside.
            list.push({ node: node, unit: u, order: order, text: (first && list.length ? " " : "") + node.data, lead: first && list.length ? 1 : 0 });
            first = false;
          }
        });
        return labels.map(function (label, s) {
          return { label: label, pieces: nodes[s].map(function (x) { return x.text; }) };
        });
      },
      active: function () { return true; },
      places: function (hits) {  // in the page's order (row by row), not witness by witness
        return hits.map(function (h) { return { hits: [h], order: nodes[h.s][h.i].order }; })
          .sort(function (x, y) { return x.order - y.order || x.hits[0].s - y.hits[0].s; });
      },
      describe: function (pl) {
        var h = pl.hits[0], list = nodes[h.s], offs = offsets(h);
        var text = function (a, b) { return list.slice(a, b).map(function (x) { return x.text; }).join(""); };
        var first = list[h.i].text, last = list[h.j].text;
        return {
          where: list[h.i].unit.dataset.searchPlace || "",
          sigla: labels[h.s],
          context: [
            // About sixty characters on each side, cut between words.
            (text(Math.max(0, h.i - CONTEXT), h.i) + first.slice(0, offs[0])).replace(/^[\s\S]*?(\S*\s)(?=[\s\S]{0,60}$)/, "").replace(/^\s+/, ""),
            h.i === h.j ? first.slice(offs[0], offs[1]) : first.slice(offs[0]) + text(h.i + 1, h.j) + last.slice(0, offs[1]),
            (last.slice(offs[1]) + text(h.j + 1, h.j + 1 + CONTEXT)).replace(/^([\s\S]{0,60}\S*)[\s\S]*$/, "$1")
          ]
        };
      },
      show: function (pl) {
        var h = pl.hits[0], list = nodes[h.s], offs = offsets(h);
        var a = list[h.i], b = list[h.j];
        var range = document.createRange();
        range.setStart(a.node, Math.max(0, offs[0] - a.lead));
        range.setEnd(b.node, Math.max(0, offs[1] - b.lead));
        reveal(range);
        return [range];
      }
    };
  }

  // ------------------------------------------------------------------------------------ the controls

  var result = null;       // {query, key, places, more}
  var current = -1;        // index into result.places of the hit shown

  function ensureSource() {
    if (!source) source = window.collation ? apparatusSource(window.collation) : domSource();
  }

  function run() {
    ensureSource();
    var query = input.value;
    var found = find(query);
    result = { query: query, key: source.key(), opts: options.exact + "" + options.accents,
               places: source.places(found.hits), more: found.more, q: found.q, occurrences: found.hits.length };
    current = -1;
    draw([]);
    renderList();
    status();
  }

  function fresh() {
    ensureSource();
    return result && result.query === input.value && result.key === source.key()
      && result.opts === options.exact + "" + options.accents;
  }

  function go(dir) {
    if (!fresh()) run();
    var n = result.places.length;
    if (!n) { status(); return; }
    current = current < 0 ? (dir > 0 ? 0 : n - 1) : (current + dir + n) % n;
    jump();
  }

  function jump() {
    var place = result.places[current];
    draw(source.show(place));
    list.querySelectorAll("[aria-current]").forEach(function (b) { b.removeAttribute("aria-current"); });
    var item = list.querySelector('[data-hit="' + current + '"]');
    if (item) {
      item.setAttribute("aria-current", "true");
      var box = list.getBoundingClientRect(), r = item.getBoundingClientRect();
      if (r.top < box.top || r.bottom > box.bottom) list.scrollTop += r.top - box.top - list.clientHeight / 3;
    }
    status();
  }

  function plural(n, one, many) { return n + " " + (n === 1 ? one : many); }

  function status() {
    if (!result || !result.q) { count.textContent = ""; return; }
    var n = result.places.length, total = n + (result.more ? "+" : "");
    if (!n) {
      count.textContent = "No match";
      summary.textContent = "No witness reads \u201c" + input.value.trim() + "\u201d" +
        (options.exact || options.accents ? " (matching " + [options.exact ? "case" : "", options.accents ? "accents" : ""].filter(Boolean).join(" and ") + ")" : "") + ".";
      return;
    }
    count.textContent = (current >= 0 ? (current + 1) + " of " + total : total + (n === 1 ? " hit" : " hits"));
  }

  function renderList() {
    list.textContent = "";
    var n = result.places.length;
    if (!result.q) { panel.hidden = true; document.body.classList.remove("searching"); return; }
    var wits = new Set();
    result.places.forEach(function (pl) { pl.hits.forEach(function (h) { wits.add(h.s); }); });
    summary.textContent = n ? plural(n, "place", "places") + (result.more ? " or more" : "") + " in " + plural(wits.size, "witness", "witnesses") +
      " (" + plural(result.occurrences, "occurrence", "occurrences") + ") for \u201c" + input.value.trim() + "\u201d" : "";
    var frag = document.createDocumentFragment();
    result.places.slice(0, MAX_LISTED).forEach(function (pl, k) {
      var d = source.describe(pl);
      var li = el("li"), b = el("button", "hit");
      b.type = "button";
      b.dataset.hit = k;
      b.appendChild(el("span", "hit-where", d.where));
      var sigla = el("span", "hit-sigla", d.sigla);
      sigla.title = d.sigla;  // the whole list, when it is cut short
      b.appendChild(sigla);
      var kwic = el("span", "hit-text");
      kwic.appendChild(document.createTextNode(d.context[0]));
      kwic.appendChild(el("mark", null, d.context[1]));
      kwic.appendChild(document.createTextNode(d.context[2]));
      b.appendChild(kwic);
      li.appendChild(b);
      frag.appendChild(li);
    });
    if (n > MAX_LISTED) {
      frag.appendChild(el("li", "hit-more", "… " + (n - MAX_LISTED) + (result.more ? "+" : "") + " more: Enter goes on through them all, or make the search narrower."));
    }
    list.appendChild(frag);
    panel.hidden = false;
    document.body.classList.add("searching");
  }

  function clear() {
    input.value = "";
    result = null;
    current = -1;
    draw([]);
    list.textContent = "";
    panel.hidden = true;
    document.body.classList.remove("searching");
    status();
  }

  var timer = 0;
  input.addEventListener("input", function () {
    clearTimeout(timer);
    // Typing searches after a pause; Enter searches at once.
    timer = setTimeout(function () { if (!fresh()) run(); }, input.value.trim().length < 3 ? 400 : 150);
  });
  input.addEventListener("keydown", function (ev) {
    if (ev.key === "Enter") {
      ev.preventDefault();
      clearTimeout(timer);
      go(ev.shiftKey ? -1 : 1);
    } else if (ev.key === "Escape") {
      ev.preventDefault();
      ev.stopPropagation();
      if (!panel.hidden) { panel.hidden = true; document.body.classList.remove("searching"); }
      else clear();
    } else if (ev.key === "ArrowDown" && !panel.hidden) {
      var firstHit = list.querySelector("button");
      if (firstHit) { ev.preventDefault(); firstHit.focus(); }
    }
  });
  input.addEventListener("focus", function () {
    setTimeout(indexAhead, 0);
    if (result && result.q && panel.hidden) { panel.hidden = false; document.body.classList.add("searching"); }
  });
  $("search-next").addEventListener("click", function () { go(1); });
  $("search-prev").addEventListener("click", function () { go(-1); });
  $("search-close").addEventListener("click", function () {
    panel.hidden = true;
    document.body.classList.remove("searching");
    input.focus();
  });
  list.addEventListener("click", function (ev) {
    var b = ev.target.closest("button[data-hit]");
    if (!b) return;
    if (!fresh()) { run(); return; }
    current = Number(b.dataset.hit);
    jump();
  });
  list.addEventListener("keydown", function (ev) {
    var b = ev.target.closest("button[data-hit]");
    if (!b) return;
    var li = b.parentElement, to = null;
    if (ev.key === "ArrowDown") to = li.nextElementSibling;
    else if (ev.key === "ArrowUp") to = li.previousElementSibling;
    else if (ev.key === "Escape") { ev.preventDefault(); ev.stopPropagation(); input.focus(); return; }
    if (to && to.querySelector("button")) { ev.preventDefault(); to.querySelector("button").focus(); }
    else if (ev.key === "ArrowUp") { ev.preventDefault(); input.focus(); }
  });
  [[caseBox, "exact"], [accentsBox, "accents"]].forEach(function (pair) {
    if (!pair[0]) return;
    pair[0].addEventListener("change", function () {
      options[pair[1]] = pair[0].checked;
      if (input.value.trim()) run();
    });
  });
  // A change of base or of the witnesses shown changes the places: the list is made again.
  ["base", "wit-toggles"].forEach(function (id) {
    var x = $(id);
    if (x) x.addEventListener("change", function () { if (result && result.q) run(); });
  });
  var toggle = $("search-button");
  if (toggle) {
    toggle.addEventListener("click", function () {
      var open = !document.body.classList.contains("search-open");
      document.body.classList.toggle("search-open", open);
      toggle.setAttribute("aria-expanded", String(open));
      if (open) { input.focus(); return; }
      panel.hidden = true;  // closing the search row closes its list too (the query stays for next time)
      document.body.classList.remove("searching");
    });
  }
  document.addEventListener("keydown", function (ev) {
    if (ev.key !== "/" || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    var t = ev.target, tag = t.tagName;
    if (tag === "SELECT" || tag === "TEXTAREA" || t.isContentEditable || (tag === "INPUT" && !/^(checkbox|radio|button)$/.test(t.type))) return;
    ev.preventDefault();
    document.body.classList.add("search-open");
    if (toggle) toggle.setAttribute("aria-expanded", "true");
    input.focus();
    input.select();
  });
})();
