// The leaderboard page's behaviour: tables from column specs, the heatmap, the failure bars and the drill-down,
// all drawn from the JSON in #data. Model answers are untrusted: text goes in with textContent, never as HTML.
(function () {
  "use strict";
  var DATA = JSON.parse(document.getElementById("data").textContent);
  var OUTCOMES = {};
  DATA.outcomes.forEach(function (o, i) { OUTCOMES[o.key] = Object.assign({ order: i }, o); });
  OUTCOMES.pass = Object.assign({}, OUTCOMES.scale_correct, { key: "pass", label: "pass", order: -1 });  // a tier
  var state = { split: "all", variant: "all", metric: DATA.metrics[0].key, cell: null, text: "" };
  var SVG = "http://www.w3.org/2000/svg";

  // ------------------------------------------------------------------------------------------------ helpers
  function $(id) { return document.getElementById(id); }
  function el(tag, props, children) {
    var node = document.createElement(tag);
    Object.keys(props || {}).forEach(function (k) {
      if (k === "text") { node.textContent = props[k]; }
      else if (k === "cls") { node.className = props[k]; }
      else if (k === "style") { node.setAttribute("style", props[k]); }
      else { node.setAttribute(k, props[k]); }
    });
    (children || []).forEach(function (c) { if (c) { node.appendChild(c); } });
    return node;
  }
  function missing(v) { return v === null || v === undefined || (typeof v === "number" && isNaN(v)); }
  function fix2(v) { return missing(v) ? "\u2013" : v.toFixed(2); }
  function thousands(v) { return Math.round(v).toLocaleString("en-US"); }
  var FORMAT = {
    text: function (v) { return String(v); },
    int: function (v) { return thousands(v); },
    num: function (v) { return Math.abs(v) >= 100 ? thousands(v) : v.toFixed(2); },
    pct: function (v) { return Math.round(v * 100) + "%"; },
    rate_ci: function (v, row, key) {
      var lo = row[key + "_ci_low"], hi = row[key + "_ci_high"];
      return fix2(v) + (missing(lo) ? "" : " [" + fix2(lo) + ", " + fix2(hi) + "]");
    },
    p: function (v) { return v < 0.001 ? "<0.001" : v.toFixed(3); },
    usd: function (v) { return "$" + (v >= 1 ? v.toFixed(2) : v.toFixed(4)); },
    score: function (v) { return v > 1 ? v.toFixed(1) : v.toFixed(2); },
    seconds: function (v) { return v.toFixed(1) + " s"; },
    rank: function (v, row) { return row.rank_label; },
    outcome: function (v) { return OUTCOMES[v] ? OUTCOMES[v].label : String(v); }
  };
  var NUMERIC = { int: 1, num: 1, pct: 1, rate_ci: 1, p: 1, usd: 1, score: 1, seconds: 1, rank: 1 };
  function cellText(col, row) {
    if (row[col.key + "_text"]) { return row[col.key + "_text"]; }
    var v = row[col.key];
    return missing(v) ? "\u2013" : FORMAT[col.kind](v, row, col.key);
  }
  function sortValue(col, row) {
    var v = row[col.key];
    if (missing(v)) { return null; }
    if (col.kind === "outcome") { return OUTCOMES[v] ? OUTCOMES[v].order : 99; }
    return v;
  }
  function chip(key) {
    return el("span", { cls: "chip", style: "background:" + (OUTCOMES[key] ? OUTCOMES[key].color : "#999") });
  }

  // ------------------------------------------------------------------------------ sortable tables from specs
  function compare(a, b, dir) {
    if (a === null && b === null) { return 0; }
    if (a === null) { return 1; }     // missing values sink in both directions
    if (b === null) { return -1; }
    if (typeof a === "number" && typeof b === "number") { return dir * (a - b); }
    return dir * String(a).localeCompare(String(b));
  }
  function cellKey(cell) {
    var raw = cell.getAttribute("data-value");
    if (raw === "") { return null; }
    if (raw === null) { return cell.textContent.trim(); }
    var num = Number(raw);
    return isNaN(num) ? raw : num;
  }
  function makeSortable(table) {
    if (!table.tHead) { return; }
    Array.prototype.forEach.call(table.tHead.rows[0].cells, function (th, index) {
      th.addEventListener("click", function () {
        var dir = th.getAttribute("aria-sort") === "descending" ? 1 : -1;   // first click: largest first
        var body = table.tBodies[0];
        var rows = Array.prototype.slice.call(body.rows);
        rows.sort(function (r1, r2) { return compare(cellKey(r1.cells[index]), cellKey(r2.cells[index]), dir); });
        rows.forEach(function (r) { body.appendChild(r); });
        Array.prototype.forEach.call(table.tHead.rows[0].cells, function (h) { h.removeAttribute("aria-sort"); });
        th.setAttribute("aria-sort", dir === 1 ? "ascending" : "descending");
      });
    });
  }
  function renderTable(table, columns, rows, onRow) {
    table.textContent = "";
    var head = el("tr", {}, columns.map(function (c) {
      return el("th", { scope: "col", title: c.help || "", cls: NUMERIC[c.kind] ? "" : "text", text: c.label });
    }));
    var body = el("tbody", {}, rows.map(function (row) {
      var tr = el("tr", {}, columns.map(function (c) {
        var value = sortValue(c, row);
        var td = el("td", { "data-value": value === null ? "" : String(value),
                            cls: (NUMERIC[c.kind] ? "" : "text") + (value === null ? " missing" : "") });
        if (c.kind === "outcome" && value !== null) { td.appendChild(chip(row[c.key])); }
        if (c.kind === "rate_ci" && value !== null && !missing(row[c.key + "_ci_low"])) {   // interval below the rate
          td.appendChild(document.createTextNode(fix2(value)));
          td.appendChild(el("span", { cls: "ci", text: "[" + fix2(row[c.key + "_ci_low"]) + ", " +
                                                         fix2(row[c.key + "_ci_high"]) + "]" }));
        } else {
          td.appendChild(document.createTextNode(cellText(c, row)));
        }
        if (c.kind === "rank" && String(row.rank_label).charAt(0) === "=") { td.className += " tie"; }
        return td;
      }));
      if (onRow) {
        tr.tabIndex = 0;
        tr.addEventListener("click", function () { onRow(row, tr); });
        tr.addEventListener("keydown", function (e) { if (e.key === "Enter") { onRow(row, tr); } });
      }
      return tr;
    }));
    table.appendChild(el("thead", {}, [head]));
    table.appendChild(body);
    makeSortable(table);
  }

  // ------------------------------------------------------------------------------------------- filtering
  function inScope(s, ignoreCell) {
    if (state.split !== "all" && s.split !== state.split) { return false; }
    if (state.variant !== "all" && s.variant !== state.variant) { return false; }
    if (!ignoreCell && state.cell && (s.model_label !== state.cell.model || s.task !== state.cell.task)) { return false; }
    return true;
  }
  function modelsInOrder() {
    var seen = {}, order = [];
    (DATA.leaderboards.all || []).forEach(function (r) { seen[r.model_label] = 1; order.push(r.model_label); });
    DATA.samples.forEach(function (s) { if (!seen[s.model_label]) { seen[s.model_label] = 1; order.push(s.model_label); } });
    return order;
  }
  function metricSpec() { return DATA.metrics.filter(function (m) { return m.key === state.metric; })[0]; }

  // ---------------------------------------------------------------------------------------------- heatmap
  function ramp(t) {       // light to dark blue, readable for colour-blind readers
    var a = [239, 243, 255], b = [8, 69, 148];
    var c = a.map(function (x, i) { return Math.round(x + (b[i] - x) * t); });
    return "rgb(" + c.join(",") + ")";
  }
  function renderHeat() {
    var metric = metricSpec(), box = $("heat");
    box.textContent = "";
    var splits = state.split === "all" ? DATA.splits : [state.split];
    var models = modelsInOrder();
    splits.forEach(function (split) {
      var tasks = DATA.tasks.filter(function (t) { return t.split === split; });
      var table = el("table", { cls: "heat sortable", id: "heat-" + split });
      var head = el("tr", {}, [el("th", { cls: "model text", scope: "col", text: "model" })].concat(tasks.map(function (t) {
        return el("th", { cls: "task", scope: "col", title: t.task }, [el("span", { text: t.task })]);
      })));
      var body = el("tbody", {}, models.map(function (model) {
        return el("tr", {}, [el("th", { cls: "model text", scope: "row", text: model, "data-value": model })]
          .concat(tasks.map(function (t) { return heatCell(model, t.task, split, metric); })));
      }));
      table.appendChild(el("thead", {}, [head]));
      table.appendChild(body);
      makeSortable(table);
      box.appendChild(el("div", { cls: "heat-block" }, [
        el("h3", { text: split + " split: " + tasks.length + " task(s), " + metric.label +
                   (state.variant === "all" ? ", all variants" : ", variant " + state.variant) }),
        el("div", { cls: "scroll" }, [table])]));
    });
    box.appendChild(el("div", { cls: "scale" }, [el("span", { text: "0" }),
      el("span", { cls: "ramp", style: "background:linear-gradient(to right," + ramp(0) + "," + ramp(1) + ")" }),
      el("span", { text: FORMAT.score(metric.top) + " " + metric.label + "; grey: not run" })]));
    $("heat-note").textContent = "Rows are models, columns are tasks; each cell is the " + metric.label +
      " over that model's answers for the task. Click a task name to sort models by it, a cell for its answers.";
  }
  function heatCell(model, task, split, metric) {
    var values = DATA.samples.filter(function (s) {
      return s.model_label === model && s.task === task && s.split === split && inScope(s, true);
    }).map(function (s) { return s[metric.key]; });
    var defined = values.filter(function (v) { return !missing(v); });
    if (!defined.length) {
      return el("td", { cls: "cell empty", "data-value": "", text: "\u00b7", title: model + " \u00b7 " + task + ": no answers" });
    }
    var mean = defined.reduce(function (a, b) { return a + b; }, 0) / defined.length;
    var t = Math.max(0, Math.min(1, mean / metric.top));
    var text = metric.top === 1 && metric.key !== "efficiency" ? Math.round(mean * 100) + "%" : FORMAT.score(mean);
    var td = el("td", { cls: "cell", "data-value": String(mean), text: text,
                        style: "background:" + ramp(t) + ";color:" + (t > 0.55 ? "#fff" : "#1d1d1f"),
                        title: model + " \u00b7 " + task + ": " + metric.label + " " + text + " over " +
                               defined.length + " answer(s)" });
    td.addEventListener("click", function () { showCell(model, task); });
    return td;
  }
  function showCell(model, task) {
    state.cell = { model: model, task: task };
    renderSamples();
    $("samples-section").scrollIntoView();
  }

  // ------------------------------------------------------------------------------------------ failure bars
  function renderBars() {
    var legend = $("legend"), bars = $("bars");
    legend.textContent = "";
    bars.textContent = "";
    var groups = {}, order = [];
    DATA.samples.filter(function (s) { return inScope(s, true); }).forEach(function (s) {
      var key = s.model_label + " \u00b7 " + s.variant;
      if (!groups[key]) { groups[key] = { n: 0, counts: {} }; order.push(key); }
      groups[key].n += 1;
      groups[key].counts[s.outcome] = (groups[key].counts[s.outcome] || 0) + 1;
    });
    var used = {};
    order.sort();
    order.forEach(function (key) {
      var g = groups[key];
      var bar = el("div", { cls: "bar" }, DATA.outcomes.filter(function (o) { return g.counts[o.key]; }).map(function (o) {
        used[o.key] = 1;
        var share = g.counts[o.key] / g.n;
        return el("span", { "data-outcome": o.key, style: "width:" + (share * 100) + "%;background:" + o.color,
                            title: o.label + ": " + g.counts[o.key] + " of " + g.n + " (" + Math.round(share * 100) + "%)",
                            text: share >= 0.07 ? String(g.counts[o.key]) : "" });
      }));
      bars.appendChild(el("div", { cls: "bar-row" }, [el("span", { cls: "name", title: key, text: key }), bar,
                                                      el("span", { text: "n=" + g.n })]));
    });
    bars.appendChild(el("div", { cls: "bar-axis" }, [el("span", { text: "" }),
      el("span", { cls: "ticks" }, ["0%", "25%", "50%", "75%", "100%"].map(function (t) { return el("span", { text: t }); })),
      el("span", { text: "" })]));
    bars.appendChild(el("p", { cls: "note", text: "share of answers (bar = 100% of one model's answers under one variant)" }));
    DATA.outcomes.filter(function (o) { return used[o.key]; }).forEach(function (o) {
      legend.appendChild(el("span", { title: o.help }, [chip(o.key), document.createTextNode(o.label)]));
    });
  }

  // ------------------------------------------------------------------------------------ tables and samples
  function renderLeaderboard() {
    var rows = DATA.leaderboards[state.split] || DATA.leaderboards.all;
    renderTable($("leaderboard"), DATA.columns.leaderboard, rows);
  }
  function renderSamples() {
    var words = state.text.toLowerCase();
    var rows = DATA.samples.filter(function (s) {
      if (!inScope(s, false)) { return false; }
      if (!words) { return true; }
      var hay = [s.model_label, s.task, s.variant, s.outcome, s.failure_tier, s.split].join(" ").toLowerCase();
      return words.split(/\s+/).every(function (w) { return hay.indexOf(w) >= 0; });
    });
    renderTable($("samples"), DATA.columns.samples, rows, function (row, tr) {
      openSample(row.id);
      tr.classList.add("selected");
    });
    $("count").textContent = rows.length + " of " + DATA.samples.length + " answers" +
      (state.cell ? " (" + state.cell.model + " \u00b7 " + state.cell.task + ")" : "");
    $("clear").hidden = !state.cell;
  }

  // ------------------------------------------------------------------------------------------- drill-down
  function fact(list, name, value) {
    if (missing(value) || value === "") { return; }
    list.appendChild(el("dt", { text: name }));
    list.appendChild(el("dd", { text: String(value) }));
  }
  function openSample(id) {
    var s = DATA.samples[id];
    if (!s) { return; }
    $("sample").hidden = false;
    $("sample-title").textContent = s.model_label + " \u2014 " + s.task;
    $("sample-verdict").textContent = "";
    $("sample-verdict").appendChild(chip(s.outcome));
    $("sample-verdict").appendChild(document.createTextNode(s.outcome === "scale_correct" ? "scale-correct" :
      (s.outcome === "error" ? "not graded (the sample errored)" : "NOT scale-correct: " + OUTCOMES[s.outcome].label +
       (s.failure_tier ? " at " + s.failure_tier : "")) +
      " \u00b7 correct at demo size: " + (s.correct_at_demo === 1 ? "yes" : s.correct_at_demo === 0 ? "no" : "\u2013")));
    var facts = $("sample-facts");
    facts.textContent = "";
    fact(facts, "model", s.model === s.model_label ? s.model : s.model_label + " (" + s.model + ")");
    fact(facts, "task", s.task + " (family " + s.family + ", " + s.split + " split)");
    fact(facts, "prompt variant", s.variant + (s.ingredients.length ? " \u2014 " + s.ingredients.join(", ") : " \u2014 no blueprint ingredient"));
    fact(facts, "epoch", s.epoch);
    fact(facts, "highest tier passed", s.highest_tier_passed || "none");
    if (!missing(s.efficiency)) { fact(facts, "efficiency score", FORMAT.score(s.efficiency)); }
    fact(facts, "tokens", missing(s.input_tokens) ? null : thousands(s.input_tokens) + " in, " + thousands(s.output_tokens) + " out");
    fact(facts, "cost", missing(s.cost_usd) ? "unknown (inspect has no price for this model)" : FORMAT.usd(s.cost_usd));
    fact(facts, "time", missing(s.seconds) ? null : FORMAT.seconds(s.seconds));
    fact(facts, "note", s.message);
    renderTable($("tiers"), DATA.columns.tiers, s.tiers);
    var notes = $("tier-notes");
    notes.textContent = "";
    if (!s.tiers.length) { notes.appendChild(el("p", { cls: "tier-note", text: "No tier ran: the answer was not run." })); }
    s.tiers.forEach(function (t) {
      if (t.message) { notes.appendChild(el("p", { cls: "tier-note", text: t.tier + ": " + t.message })); }
      if (t.diff) {
        notes.appendChild(el("p", { cls: "tier-note", text: t.tier + ": request " + JSON.stringify(t.diff.request) +
          "\nexpected " + JSON.stringify(t.diff.expected) + "\ngot      " + JSON.stringify(t.diff.got) }));
      }
    });
    renderGrowth($("growth"), s);
    $("code").textContent = s.code === null ? "(no code was extracted from the answer)" : DATA.texts[s.code];
    $("prompt-variant").textContent = s.variant;
    $("prompt").textContent = s.prompt === null ? "(no prompt recorded)" : DATA.texts[s.prompt];
    Array.prototype.forEach.call(document.querySelectorAll("#samples tbody tr"), function (tr) { tr.classList.remove("selected"); });
    if (location.hash !== "#sample-" + id) { history.replaceState(null, "", "#sample-" + id); }
    $("sample").scrollIntoView();
  }

  function svg(tag, attrs, text) {
    var node = document.createElementNS(SVG, tag);
    Object.keys(attrs).forEach(function (k) { node.setAttribute(k, attrs[k]); });
    if (text !== undefined) { node.textContent = text; }
    return node;
  }
  function short(n) { return n >= 1e6 ? (n / 1e6) + "M" : n >= 1e3 ? (n / 1e3) + "k" : String(n); }
  function renderGrowth(box, s) {
    box.textContent = "";
    var pts = s.growth.points, line = s.growth.line;
    var caption = !pts.length ? "No latency was measured (the code did not run at any tier)." :
      !line.length ? "Only one tier ran, so no growth can be fitted." :
      "Mean latency per request grows like n^" + fix2(s.growth_exponent) + " (" + s.complexity_class +
      "), fitted on the " + pts.length + " tiers that ran.";
    box.appendChild(el("p", { cls: "caption", text: caption }));
    if (!pts.length) { return; }
    var W = 520, H = 260, L = 64, R = 16, T = 16, B = 46;
    var all = pts.concat(line);
    var xs = all.map(function (p) { return Math.log10(p[0]); }), ys = all.map(function (p) { return Math.log10(p[1]); });
    var x0 = Math.min.apply(null, xs) - 0.2, x1 = Math.max.apply(null, xs) + 0.2;
    var y0 = Math.floor(Math.min.apply(null, ys)), y1 = Math.ceil(Math.max.apply(null, ys));
    if (y1 === y0) { y1 = y0 + 1; }
    function X(v) { return L + (Math.log10(v) - x0) / (x1 - x0) * (W - L - R); }
    function Y(v) { return T + (1 - (Math.log10(v) - y0) / (y1 - y0)) * (H - T - B); }
    var plot = svg("svg", { viewBox: "0 0 " + W + " " + H, role: "img",
                            "aria-label": "Mean latency per request against tier size, log-log" });
    plot.appendChild(svg("rect", { x: L, y: T, width: W - L - R, height: H - T - B, fill: "#fafafa", stroke: "#ccc" }));
    for (var e = y0; e <= y1; e++) {
      var yv = Math.pow(10, e);
      plot.appendChild(svg("line", { x1: L, x2: W - R, y1: Y(yv), y2: Y(yv), stroke: "#e5e5e5" }));
      plot.appendChild(svg("text", { x: L - 6, y: Y(yv) + 4, "text-anchor": "end", "font-size": 11 }, yv >= 1 ? thousands(yv) : String(yv)));
    }
    pts.forEach(function (p, i) {
      plot.appendChild(svg("text", { x: X(p[0]), y: H - B + 16, "text-anchor": "middle", "font-size": 11 },
                           short(p[0]) + (s.tiers[i] ? " " + s.tiers[i].tier : "")));
    });
    if (line.length) {
      plot.appendChild(svg("line", { x1: X(line[0][0]), y1: Y(line[0][1]), x2: X(line[1][0]), y2: Y(line[1][1]),
                                     stroke: "#0b5cad", "stroke-width": 2, "stroke-dasharray": "6 4" }));
    }
    pts.forEach(function (p) {
      plot.appendChild(svg("circle", { cx: X(p[0]), cy: Y(p[1]), r: 5, fill: "#c62828" }));
    });
    plot.appendChild(svg("text", { x: (L + W - R) / 2, y: H - 6, "text-anchor": "middle", "font-size": 12 },
                         "tier size (log scale)"));
    plot.appendChild(svg("text", { x: 14, y: (T + H - B) / 2, "text-anchor": "middle", "font-size": 12,
                                   transform: "rotate(-90 14 " + (T + H - B) / 2 + ")" }, "mean latency, ms (log)"));
    box.appendChild(plot);
  }

  function glossary(list, entries) {     // what a tooltip says, readable on a phone too
    list.textContent = "";
    entries.filter(function (e) { return e[1]; }).forEach(function (e) { fact(list, e[0], e[1]); });
  }

  // ------------------------------------------------------------------------------------------------ wiring
  function options(select, values, labels) {
    select.textContent = "";
    values.forEach(function (v, i) { select.appendChild(el("option", { value: v, text: labels[i] })); });
  }
  function renderAll() {
    renderLeaderboard();
    renderHeat();
    renderBars();
    renderSamples();
  }
  var variants = [];
  DATA.samples.forEach(function (s) { if (variants.indexOf(s.variant) < 0) { variants.push(s.variant); } });
  variants.sort(function (a, b) {
    var rank = function (v) { return v === "vague" ? 0 : v === "blueprint" ? 1 : 2; };
    return rank(a) - rank(b) || a.localeCompare(b);
  });
  var splitValues = DATA.splits.length > 1 ? ["all"].concat(DATA.splits) : ["all"];
  options($("split"), splitValues, splitValues.map(function (v) { return v === "all" ? (DATA.splits.length > 1 ? "all splits" : DATA.splits.join(", ")) : v; }));
  options($("variant"), ["all"].concat(variants), ["all variants"].concat(variants));
  options($("metric"), DATA.metrics.map(function (m) { return m.key; }), DATA.metrics.map(function (m) { return m.label; }));
  $("split").addEventListener("change", function (e) { state.split = e.target.value; renderAll(); });
  $("variant").addEventListener("change", function (e) { state.variant = e.target.value; renderAll(); });
  $("metric").addEventListener("change", function (e) { state.metric = e.target.value; renderHeat(); });
  $("filter").addEventListener("input", function (e) { state.text = e.target.value; renderSamples(); });
  $("clear").addEventListener("click", function () { state.cell = null; renderSamples(); });
  $("close").addEventListener("click", function () {
    $("sample").hidden = true;
    history.replaceState(null, "", location.pathname + location.search);
  });
  glossary($("ranking-glossary"), DATA.columns.leaderboard.map(function (c) { return [c.label, c.help]; }));
  glossary($("reasons"), DATA.outcomes.map(function (o) { return [o.label, o.help]; }));
  renderTable($("usage"), DATA.columns.usage, DATA.usage);
  $("usage-note").textContent = DATA.priced ?
    "Tokens as inspect counted them; cost where inspect knows the model's price (\u2013 where it does not)." :
    "Tokens as inspect counted them. inspect knows no price for these models (offline models, or models " +
    "missing from its price list), so no cost is shown.";
  renderTable($("provenance"), DATA.columns.provenance, DATA.provenance);
  renderAll();
  var match = /^#sample-(\d+)$/.exec(location.hash);
  if (match) { openSample(Number(match[1])); }
  window.scaleblindPage = { data: DATA, openSample: openSample, showCell: showCell };
})();
