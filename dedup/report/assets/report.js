"use strict";
(function () {
  const t0 = performance.now();
  const D = JSON.parse(document.getElementById("dedup-data").textContent);
  const tParsed = performance.now();
  const docs = D.docs, pairs = D.pairs;
  const PAIRS_PER_PAGE = 20, DOCS_PER_PAGE = 10, CLUSTERS_PER_PAGE = 10, FLAGGED_SHOWN = 8;
  const app = document.getElementById("app");
  const NAMES = { exact: "exact", near_duplicate: "near-duplicate", partial: "partial", spun: "spun",
    passage: "shared passage" };

  function el(tag, attrs, ...kids) {
    const e = document.createElement(tag);
    if (attrs) for (const k of Object.keys(attrs)) {
      const v = attrs[k];
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") e.className = v;
      else if (k.startsWith("on")) e.addEventListener(k.slice(2), v);
      else e.setAttribute(k, v);
    }
    for (const kid of kids) if (kid !== null && kid !== undefined && kid !== false) e.append(kid);
    return e;
  }
  const fmt = (x) => (x === undefined || x === null) ? "-" : Number(x).toFixed(3);
  const plural = (n, one, many) => n.toLocaleString("en") + " " + (n === 1 ? one : (many || one + "s"));
  function badge(rel) {
    return el("span", { class: "badge " + (rel || "none") }, rel ? NAMES[rel] || rel : "no relation");
  }

  // Paint ranges {s, e, cls, tag, title, data, after} onto text. Overlapping ranges split into segments that
  // carry every class active there; a range with s == e is a point (a deletion) drawn as a caret.
  function markup(text, ranges) {
    const frag = document.createDocumentFragment();
    const n = text.length;
    const clamp = (x) => Math.max(0, Math.min(n, x));
    ranges = ranges.map((r) => Object.assign({}, r, { s: clamp(r.s), e: clamp(r.e) }));
    const points = ranges.filter((r) => r.e <= r.s);
    const spans = ranges.filter((r) => r.e > r.s).sort((x, y) => x.s - y.s || y.e - x.e);
    const cuts = new Set([0, n]);
    for (const r of ranges) { cuts.add(r.s); cuts.add(r.e); }
    const at = [...cuts].sort((x, y) => x - y);
    let active = [], next = 0;
    for (let i = 0; i < at.length; i++) {
      const p = at[i];
      for (const r of points) {
        if (r.s === p) frag.append(el("span", { class: "gap " + r.cls, title: r.title }, "\u2038"));
      }
      if (i + 1 === at.length) break;
      const q = at[i + 1];
      active = active.filter((r) => r.e > p);
      while (next < spans.length && spans[next].s <= p) { if (spans[next].e > p) active.push(spans[next]); next++; }
      const piece = text.slice(p, q);
      if (!active.length) { frag.append(piece); continue; }
      const attrs = { class: active.map((r) => r.cls).join(" ") };
      const titles = active.map((r) => r.title).filter(Boolean);
      if (titles.length) attrs.title = titles.join("\n");
      for (const r of active) if (r.data) Object.assign(attrs, r.data);
      const node = el(active.some((r) => r.tag === "mark") ? "mark" : "span", attrs);
      for (const r of active) if (r.s === p && r.before) node.append(r.before());
      node.append(piece);
      frag.append(node);
      for (const r of active) if (r.e === q && r.after) frag.append(r.after());
    }
    return frag;
  }

  // Hovering a marked span lights up its partners: the two sides of a substitution, every occurrence of
  // a repeated passage.
  function linkHover(root) {
    const over = (on) => (ev) => {
      const t = ev.target.closest && ev.target.closest("[data-k],[data-g]");
      if (!t || !root.contains(t)) return;
      const sel = t.dataset.k !== undefined ? '[data-k="' + t.dataset.k + '"]' : '[data-g="' + t.dataset.g + '"]';
      for (const x of root.querySelectorAll(sel)) x.classList.toggle("hl", on);
    };
    root.addEventListener("mouseover", over(true));
    root.addEventListener("mouseout", over(false));
  }

  // A text comes whole ("text"), or as pieces: literal strings and [doc, start, end] slices of another text.
  function textOf(k) {
    const d = docs[k];
    if (d.text === undefined) {
      d.text = d.tx ? d.tx.map((p) => typeof p === "string" ? p : textOf(p[0]).slice(p[1], p[2])).join("") : null;
    }
    return d.text;
  }

  function textBox(k, ranges) {
    const text = textOf(k);
    if (text === null) {
      return el("div", { class: "text muted" }, "(text not included in this page)");
    }
    return el("div", { class: "text" }, markup(text, ranges));
  }

  function idButton(k) {
    return el("button", { class: "id", type: "button", title: "show this document's findings, or else its pairs",
      onclick: () => focusDoc(docs[k].id) }, docs[k].id);
  }

  // ---- pairs -------------------------------------------------------------------------------------------
  function pairCard(p, single) {
    const a = docs[p.a], b = docs[p.b];
    const aRanges = [], bRanges = [];
    for (const [s, e, t, u] of p.sh || []) {
      aRanges.push({ s, e, cls: "sh", title: "shared passage" });
      bRanges.push({ s: t, e: u, cls: "sh", title: "shared passage" });
    }
    const subs = (p.su || []).map(([s, e, t, u, orig, repl]) => [s, e, t, u,
      orig !== undefined ? orig : textOf(p.a).slice(s, e), repl !== undefined ? repl : textOf(p.b).slice(t, u)]);
    subs.forEach(([s, e, t, u, orig, repl], k) => {
      aRanges.push({ s, e, cls: "sa", title: "replaced by: " + repl, data: { "data-k": k } });
      bRanges.push({ s: t, e: u, cls: "sb", title: "original: " + orig, data: { "data-k": k },
        after: () => el("span", { class: "orig" }, orig || "(nothing)") });
    });
    const figs = el("span", { class: "figs" });
    if (!p.nofig) {
      figs.append("score ", el("b", null, fmt(p.score)), "   Jaccard ", el("b", null, fmt(p.jac)),
        "   containment ", el("b", null, fmt(p.con)));
      for (const [k, v] of Object.entries(p.det || {})) {
        if (k === "coverage" || k === "changed") figs.append("   " + k + " ", el("b", null, fmt(v)));
      }
    }
    const head = el("div", { class: "head" }, badge(p.rel),
      single ? el("b", null, a.id + "  \u2194  " + b.id) : el("span", null, idButton(p.a), " \u2194 ", idButton(p.b)),
      figs);
    if (subs.length) head.append(el("span", { class: "figs" }, plural(subs.length, "substitution")));
    const card = el("div", { class: "card pair", "data-rel": p.rel || "none", "data-a": a.id, "data-b": b.id }, head,
      el("div", { class: "cols" },
        el("div", null, el("div", { class: "coltitle" }, a.id + " (" + a.chars.toLocaleString("en") + " chars)"),
          textBox(p.a, aRanges)),
        el("div", null, el("div", { class: "coltitle" }, b.id + " (" + b.chars.toLocaleString("en") + " chars)"),
          textBox(p.b, bRanges))));
    if (p.cut) card.append(el("div", { class: "note" },
      "Shared passages were looked for in the first " + p.cut.toLocaleString("en") + " words of each text only."));
    if (subs.length) {
      const rows = subs.map(([, , , , orig, repl], k) => el("tr", { "data-k": k },
        el("td", { class: "num" }, String(k + 1)), el("td", null, orig), el("td", null, repl)));
      card.append(el("details", null, el("summary", null, "the " + plural(subs.length, "substitution") +
        " (original \u2192 replacement)"), el("table", null,
        el("tr", null, el("th", { class: "num" }, "#"), el("th", null, a.id + " (original)"), el("th", null, b.id)),
        ...rows)));
    }
    linkHover(card);
    return card;
  }

  // ---- documents with findings -------------------------------------------------------------------------
  function docCard(k) {
    const d = docs[k];
    const ranges = [];
    const ev = (d.spin && d.spin.ev) || [];
    for (const [s, e, , orig, reason] of ev) {
      ranges.push({ s, e, cls: "ev", tag: "mark",
        title: (orig ? "likely original: " + orig : "suspicious phrase") + (reason ? "\n" + reason : ""),
        after: orig ? () => el("span", { class: "orig" }, orig) : null });
    }
    for (const [s, e, count, g] of d.rep || []) {
      ranges.push({ s, e, cls: "rep", title: "repeated passage #" + (g + 1) + ": occurs " + count + " times here",
        data: { "data-g": g }, before: () => el("span", { class: "rlabel" }, "R" + (g + 1)) });
    }
    const head = el("div", { class: "head" }, el("b", null, d.id),
      el("span", { class: "figs" }, d.chars.toLocaleString("en") + " chars"));
    if (d.spin) {
      const verdict = d.spin.spun ? "reads as spun" : "not flagged";
      head.append(el("span", { class: "badge " + (d.spin.spun ? "flag" : "ok") }, verdict),
        el("span", { class: "figs" }, "spin score ", el("b", null, fmt(d.spin.score))),
        el("span", { class: "figs" }, plural(ev.length, "evidence span")));
    }
    if (d.rep && d.rep.length) {
      const groups = new Set(d.rep.map((r) => r[3]));
      head.append(el("span", { class: "figs" }, plural(groups.size, "repeated passage") + " (" +
        plural(d.rep.length, "occurrence") + ")"));
    }
    const inPairs = pairsOf.get(k) || 0;
    if (inPairs) head.append(el("button", { class: "linkish", type: "button", onclick: () => showPairsOf(d.id) },
      plural(inPairs, "pair") + " \u2192"));
    if (d.cl !== undefined) head.append(el("span", { class: "figs" }, "cluster " + d.cl));
    const card = el("div", { class: "card doc", "data-id": d.id }, head, textBox(k, ranges));
    if (ev.length) {
      card.append(el("details", null, el("summary", null, "the " + plural(ev.length, "evidence span")),
        el("table", null,
          el("tr", null, el("th", null, "phrase"), el("th", null, "likely original"), el("th", null, "why")),
          ...ev.map(([, , text, orig, reason]) => el("tr", null, el("td", null, text), el("td", null, orig || "-"),
            el("td", null, reason || ""))))));
    }
    linkHover(card);
    return card;
  }

  // ---- lists with paging, filter and search -----------------------------------------------------------
  const lowered = new Map();
  function textHas(k, q) {
    const d = docs[k];
    if (d.id.toLowerCase().includes(q)) return true;
    if (!textOf(k)) return false;
    if (!lowered.has(k)) lowered.set(k, textOf(k).toLowerCase());
    return lowered.get(k).includes(q);
  }

  function pagedList(opts) {
    // opts: {items(): array, render(item), perPage, empty, countEl}
    // A table's rows go in a tbody; any other list is a column of cards.
    const list = opts.table ? el("tbody", { class: "rows" }) : el("div", { class: "rows" });
    const box = el("div");
    const top = el("div", { class: "pager" }), bottom = el("div", { class: "pager" });
    box.append(top, opts.table ? el("table", null, list) : list, bottom);
    let page = 0, items = [];
    function bar(target) {
      target.replaceChildren();
      const pages = Math.max(1, Math.ceil(items.length / opts.perPage));
      if (items.length <= opts.perPage) return;
      const go = (to) => () => { page = to; draw(); if (target === bottom) box.scrollIntoView(); };
      target.append(
        el("button", { type: "button", disabled: page === 0, onclick: go(0) }, "\u00ab first"),
        el("button", { type: "button", disabled: page === 0, onclick: go(page - 1) }, "\u2039 previous"),
        el("span", null, "page " + (page + 1) + " of " + pages + "  (" +
          (page * opts.perPage + 1).toLocaleString("en") + "\u2013" +
          Math.min(items.length, (page + 1) * opts.perPage).toLocaleString("en") + " of " +
          items.length.toLocaleString("en") + ")"),
        el("button", { type: "button", disabled: page + 1 >= pages, onclick: go(page + 1) }, "next \u203a"),
        el("button", { type: "button", disabled: page + 1 >= pages, onclick: go(pages - 1) }, "last \u00bb"));
    }
    function draw() {
      list.replaceChildren(...items.slice(page * opts.perPage, (page + 1) * opts.perPage).map(opts.render));
      if (!items.length) list.append(el("div", { class: "empty" }, opts.empty()));
      bar(top); bar(bottom);
      if (opts.countEl) opts.countEl.textContent = opts.count(items.length);
    }
    function refresh() { items = opts.items(); page = 0; draw(); if (opts.onRefresh) opts.onRefresh(); }
    return { box, refresh };
  }

  function debounce(fn, ms) { let h; return () => { clearTimeout(h); h = setTimeout(fn, ms); }; }

  const pairsOf = new Map();
  for (const p of pairs) for (const k of [p.a, p.b]) pairsOf.set(k, (pairsOf.get(k) || 0) + 1);

  let pairSearch, pairRel, docSearch, pairsSection, docsSection, pairList, docList;
  let remember = () => {};
  function showPairsOf(id) {
    pairSearch.value = id; pairRel.value = ""; pairList.refresh(); pairsSection.scrollIntoView();
  }
  function focusDoc(id) {
    const k = docs.findIndex((d) => d.id === id);
    if (findings(k)) { docSearch.value = id; docList.refresh(); docsSection.scrollIntoView(); }
    else showPairsOf(id);
  }
  const findings = (k) => k >= 0 && ((docs[k].spin && (docs[k].spin.spun || docs[k].spin.ev.length)) ||
    (docs[k].rep && docs[k].rep.length));

  // ---- the page ------------------------------------------------------------------------------------------
  document.title = D.mode === "pair" ? "dedup compare: " + D.title : D.title;
  document.getElementById("title").textContent = D.mode === "pair" ? "dedup compare" : D.title;
  const inline = el("label", null, el("input", { type: "checkbox", checked: "checked", onchange: (e) =>
    document.body.classList.toggle("no-inline", !e.target.checked) }), " show likely originals inline");
  const legend = el("div", { class: "legend" },
    el("span", null, el("span", { class: "sw sh" }), "shared passage"),
    el("span", null, el("span", { class: "sw sa" }), "original wording (replaced in the copy)"),
    el("span", null, el("span", { class: "sw sb" }), "replacement in the copy"));
  if (D.mode !== "pair") {
    legend.append(el("span", null, el("span", { class: "sw ev" }), "spin evidence"),
      el("span", null, el("span", { class: "sw rep" }), "repeated passage (R1, R2...; hover to see its twins)"));
  }
  legend.append(inline);

  if (D.mode === "pair") {
    const p = pairs[0];
    document.getElementById("subtitle").textContent = docs[p.a].id + " and " + docs[p.b].id;
    app.append(el("div", { class: "verdict" }, p.rel ? "relation: " + (NAMES[p.rel] || p.rel) : "no relation found"),
      legend, pairCard(p, true));
    app.classList.add("single");
  } else {
    const S = D.summary, T = D.texts;
    document.getElementById("subtitle").textContent = plural(S.documents, "document") + " scanned";
    // Overview: what was scanned and kept, then the pairs by relation (a click filters the pair list).
    const tile = (value, label, attrs) => el(attrs ? "button" : "div", Object.assign({ class: "tile" }, attrs || {}),
      el("b", null, value.toLocaleString("en")), el("span", null, label));
    const showRelation = (rel) => () => {
      pairRel.value = rel; pairSearch.value = ""; pairList.refresh(); pairsSection.scrollIntoView();
    };
    const tiles = el("div", { class: "tiles" }, tile(S.documents, "documents"), tile(S.clusters, "clusters"),
      tile(S.kept.toLocaleString("en") + " / " + S.removed.toLocaleString("en"), "kept / removed"),
      tile(S.spun_documents, "read as spun"), tile(S.documents_with_repeats, "with repeated passages"));
    const relTiles = el("div", { class: "tiles" },
      tile(S.pairs, "pairs", { type: "button", title: "show every pair", onclick: showRelation("") }));
    for (const rel of D.relations) {
      relTiles.append(tile(S.relations[rel] || 0, NAMES[rel],
        { type: "button", title: "show the " + NAMES[rel] + " pairs", onclick: showRelation(rel) }));
    }
    const overview = el("section", { id: "overview" }, el("h2", null, "Overview"), tiles, relTiles);
    for (const [kind, n] of Object.entries(S.notices || {})) {
      overview.append(el("div", { class: "note" }, "input notice: " + kind + " \u00d7 " + n));
    }
    for (const m of D.notices || []) overview.append(el("div", { class: "note" }, m));
    const left = T.listed - T.included;
    if (T.listed < T.documents) overview.append(el("p", { class: "muted" }, plural(T.documents - T.listed, "document") +
      " with no pair and no finding " + (T.documents - T.listed === 1 ? "is" : "are") + " not listed."));
    if (left > 0) {
      const why = [];
      if (T.over_budget) {
        why.push(plural(T.over_budget, "text") + " past the budget of " + T.budget.toLocaleString("en") +
          " characters of text per page");
      }
      if (T.no_source) why.push(plural(T.no_source, "text") + " not available to the report");
      if (T.unreadable) why.push(plural(T.unreadable, "text") + " that could not be read back");
      overview.append(el("div", { class: "note texts-left-out" }, "Texts left out: this page holds the texts of " +
        T.included.toLocaleString("en") + " of the " + T.listed.toLocaleString("en") + " documents listed (" +
        why.join("; ") + "). Their findings and figures are still shown."));
    }
    app.append(overview);

    // Clusters, largest first
    if (D.clusters.length) {
      const order = D.clusters.slice().sort((x, y) => y.m.length - x.m.length || x.id - y.id);
      const clusterHead = el("span", { class: "count" });
      const list = pagedList({ perPage: CLUSTERS_PER_PAGE, table: true, items: () => order, countEl: clusterHead,
        count: (n) => plural(n, "cluster") + ", largest first", empty: () => "no cluster",
        render: (c) => {
          const others = c.m.filter((m) => m !== c.r);
          const shown = others.slice(0, 6);
          const cell = el("td");
          shown.forEach((m, i) => { if (i) cell.append(", "); cell.append(idButton(m)); });
          if (others.length > shown.length) cell.append(" (+" + (others.length - shown.length) + " more)");
          return el("tr", null, el("td", { class: "num" }, "#" + c.id), el("td", { class: "num" }, String(c.m.length)),
            el("td", null, idButton(c.r)), cell);
        } });
      app.append(el("section", { id: "clusters" }, el("h2", null, "Clusters", clusterHead), list.box));
      list.box.querySelector(".rows").before(el("thead", null, el("tr", null,
        el("th", { class: "num", style: "width:7em" }, "cluster"),
        el("th", { class: "num", style: "width:5em" }, "size"),
        el("th", { style: "width:30%" }, "kept"), el("th", null, "the others"))));
      list.refresh();
    }

    // Flagged documents (a short list; the full view is in the documents section)
    const flagged = docs.map((d, k) => k).filter((k) => docs[k].spin && docs[k].spin.spun);
    if (flagged.length) {
      const table = el("table", { class: "narrow" }, el("tr", null, el("th", null, "document"),
        el("th", { class: "num" }, "spin score"), el("th", { class: "num" }, "evidence spans")));
      for (const k of flagged.slice(0, FLAGGED_SHOWN)) {
        table.append(el("tr", null, el("td", null, idButton(k)), el("td", { class: "num" }, fmt(docs[k].spin.score)),
          el("td", { class: "num" }, String(docs[k].spin.ev.length))));
      }
      const sec = el("section", { id: "flagged" }, el("h2", null, "Documents that read as spun",
        el("span", { class: "count" }, String(flagged.length))), table);
      if (flagged.length > FLAGGED_SHOWN) {
        sec.append(el("p", { class: "muted" }, "... and " + (flagged.length - FLAGGED_SHOWN) +
          " more: filter the documents below by \u201cread as spun\u201d."));
      }
      app.append(sec);
    }

    // Documents with findings
    const withFindings = docs.map((d, k) => k).filter(findings);
    docSearch = el("input", { type: "search", placeholder: "search document ids and texts" });
    const docKind = el("select", null, el("option", { value: "" }, "all findings"),
      el("option", { value: "spun" }, "read as spun"), el("option", { value: "ev" }, "with spin evidence"),
      el("option", { value: "rep" }, "with repeated passages"));
    const docHead = el("span", { class: "count" });
    docList = pagedList({ perPage: DOCS_PER_PAGE, render: docCard, countEl: docHead, onRefresh: () => remember(),
      count: (n) => n === withFindings.length ? n.toLocaleString("en") :
        n.toLocaleString("en") + " of " + withFindings.length.toLocaleString("en"),
      empty: () => withFindings.length ? "No document matches." : "No document has spin evidence or repeated passages.",
      items: () => {
        const q = docSearch.value.trim().toLowerCase(), kind = docKind.value;
        return withFindings.filter((k) => {
          const d = docs[k];
          if (kind === "spun" && !(d.spin && d.spin.spun)) return false;
          if (kind === "ev" && !(d.spin && d.spin.ev.length)) return false;
          if (kind === "rep" && !(d.rep && d.rep.length)) return false;
          return !q || textHas(k, q);
        });
      } });
    docSearch.addEventListener("input", debounce(docList.refresh, 200));
    docKind.addEventListener("change", docList.refresh);
    docsSection = el("section", { id: "documents" }, el("h2", null, "Documents with findings", docHead),
      el("div", { class: "controls" }, docSearch, docKind), docList.box);

    // Pairs
    pairSearch = el("input", { type: "search", placeholder: "search document ids and texts" });
    pairRel = el("select", null, el("option", { value: "" }, "every relation"),
      ...D.relations.map((r) => el("option", { value: r },
        NAMES[r] + " (" + (S.relations[r] || 0).toLocaleString("en") + ")")));
    const minScore = el("input", { type: "number", min: "0", max: "1", step: "0.05", value: "0", style: "width:5em" });
    const sortBy = el("select", null, el("option", { value: "score" }, "strongest first"),
      el("option", { value: "weakest" }, "weakest first"), el("option", { value: "jac" }, "by Jaccard"),
      el("option", { value: "con" }, "by containment"), el("option", { value: "input" }, "input order"));
    const pairHead = el("span", { class: "count" });
    const byScore = pairs.map((p, i) => i);
    pairList = pagedList({ perPage: PAIRS_PER_PAGE, render: (i) => pairCard(pairs[i], false), countEl: pairHead,
      onRefresh: () => remember(),
      count: (n) => n === pairs.length ? n.toLocaleString("en") :
        n.toLocaleString("en") + " of " + pairs.length.toLocaleString("en"),
      empty: () => pairs.length ? "No pair matches." : "No pairs: every document stands alone.",
      items: () => {
        const q = pairSearch.value.trim().toLowerCase(), rel = pairRel.value, min = Number(minScore.value) || 0;
        const out = byScore.filter((i) => {
          const p = pairs[i];
          return (!rel || p.rel === rel) && p.score >= min && (!q || textHas(p.a, q) || textHas(p.b, q));
        });
        const key = sortBy.value;
        if (key === "score") out.sort((x, y) => pairs[y].score - pairs[x].score || x - y);
        else if (key === "weakest") out.sort((x, y) => pairs[x].score - pairs[y].score || x - y);
        else if (key !== "input") out.sort((x, y) => pairs[y][key] - pairs[x][key] || x - y);
        return out;
      } });
    pairSearch.addEventListener("input", debounce(pairList.refresh, 200));
    for (const c of [pairRel, minScore, sortBy]) c.addEventListener("change", pairList.refresh);
    pairsSection = el("section", { id: "pairs" }, el("h2", null, "Pairs", pairHead),
      el("div", { class: "controls" }, pairSearch, pairRel, el("label", null, "min score ", minScore), sortBy),
      pairList.box);

    // The filters live in the address (#rel=spun&q=...&doc=...), so a filtered view can be bookmarked or sent.
    const state = new URLSearchParams(location.hash.slice(1));
    pairRel.value = D.relations.includes(state.get("rel")) ? state.get("rel") : "";
    pairSearch.value = state.get("q") || "";
    docSearch.value = state.get("doc") || "";
    remember = () => {
      const h = new URLSearchParams();
      if (pairRel.value) h.set("rel", pairRel.value);
      if (pairSearch.value.trim()) h.set("q", pairSearch.value.trim());
      if (docSearch.value.trim()) h.set("doc", docSearch.value.trim());
      history.replaceState(null, "", h.toString() ? "#" + h.toString() : location.pathname + location.search);
    };

    app.append(el("section", null, legend));
    // Pairs come first when there are any; a scan without pairs opens on its documents' findings.
    if (withFindings.length && !pairs.length) app.append(docsSection, pairsSection);
    else app.append(pairsSection, docsSection);
    docList.refresh();
    pairList.refresh();
    const nav = document.getElementById("nav");
    const jump = (label, target) => nav.append(el("button", { type: "button", onclick: () => target.scrollIntoView() },
      label));
    jump("Overview", overview);
    if (D.clusters.length) jump("Clusters (" + D.clusters.length.toLocaleString("en") + ")",
      document.getElementById("clusters"));
    jump("Pairs (" + pairs.length.toLocaleString("en") + ")", pairsSection);
    jump("Documents with findings (" + withFindings.length.toLocaleString("en") + ")", docsSection);
  }
  const t1 = performance.now();
  // Timings for the benchmark: page start to script start (loading and parsing the HTML), JSON.parse, and
  // the whole script.
  document.documentElement.dataset.loadMs = t0.toFixed(1);
  document.documentElement.dataset.parseMs = (tParsed - t0).toFixed(1);
  document.documentElement.dataset.renderMs = (t1 - t0).toFixed(1);
  document.documentElement.dataset.ready = "1";
})();
