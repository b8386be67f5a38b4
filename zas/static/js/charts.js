/* ZAS charts: every [data-chart] element becomes a uPlot line chart of a JSON series from the
   telemetry API ({points: [{ts, <field>...}]}). Range buttons ([data-chart-ranges]) re-fetch with
   ?since=<range>; a [data-chart-select] points a group's charts at another interface. */
(function () {
  "use strict";
  var me = document.currentScript;
  var uplotSrc = me && me.getAttribute("data-uplot");
  var range = "24h";
  var colors = ["#1e88e5", "#e53935", "#43a047", "#fb8c00", "#8e24aa"];

  function loadUplot(done) {
    if (window.uPlot) { done(); return; }
    var s = document.querySelector("script[data-zas-uplot]");
    if (!s) {
      s = document.createElement("script");
      s.src = uplotSrc || "/static/vendor/uplot/uPlot.iife.min.js";
      s.setAttribute("data-zas-uplot", "1");
      document.head.appendChild(s);
    }
    s.addEventListener("load", done);
  }

  function fmtBps(v) {
    if (v == null) return "—";
    var u = ["bps", "kbps", "Mbps", "Gbps", "Tbps"], i = 0;
    while (Math.abs(v) >= 1000 && i < u.length - 1) { v /= 1000; i++; }
    return v.toFixed(1) + " " + u[i];
  }

  function draw(el) {
    var url = el.getAttribute("data-src");
    var sep = url.indexOf("?") < 0 ? "?" : "&";
    var fields = el.getAttribute("data-fields").split(",");
    var labels = (el.getAttribute("data-labels") || el.getAttribute("data-fields")).split(",");
    var bps = el.getAttribute("data-unit") === "bps";
    fetch(url + sep + "since=" + encodeURIComponent(range), {credentials: "same-origin", headers: {"Accept": "application/json"}})
      .then(function (r) { if (!r.ok) throw new Error("HTTP " + r.status); return r.json(); })
      .then(function (body) {
        var xs = body.points.map(function (p) { return Date.parse(p.ts) / 1000; });
        var data = [xs].concat(fields.map(function (f) { return body.points.map(function (p) { return p[f]; }); }));
        if (el._plot) { el._plot.destroy(); el._plot = null; }
        el.textContent = "";
        if (!xs.length) { el.textContent = "No samples in this range yet."; return; }
        var series = [{}].concat(fields.map(function (f, i) {
          return {label: labels[i] || f, stroke: colors[i % colors.length], width: 1.5, spanGaps: false,
                  value: bps ? function (u, v) { return fmtBps(v); } : undefined};
        }));
        var axes = [{}, bps ? {values: function (u, vals) { return vals.map(fmtBps); }, size: 80} : {size: 70}];
        el._plot = new window.uPlot({width: Math.max(280, el.clientWidth || 600), height: 200, series: series, axes: axes},
                                    data, el);
      })
      .catch(function (e) { el.textContent = "Could not load the chart (" + e.message + ")."; });
  }

  function drawAll(root) {
    var charts = (root || document).querySelectorAll("[data-chart]");
    if (!charts.length) return;
    loadUplot(function () { charts.forEach(draw); });
  }

  document.addEventListener("click", function (ev) {
    var b = ev.target.closest("[data-chart-ranges] [data-range]");
    if (!b) return;
    range = b.getAttribute("data-range");
    b.parentNode.querySelectorAll("[data-range]").forEach(function (x) { x.classList.toggle("outline", x !== b); });
    drawAll(document);
  });
  document.addEventListener("change", function (ev) {
    var sel = ev.target.closest("[data-chart-select]");
    if (!sel) return;
    var group = document.getElementById(sel.getAttribute("data-chart-select"));
    group.querySelectorAll("[data-chart]").forEach(function (c) { c.setAttribute("data-src", sel.value); });
    loadUplot(function () { group.querySelectorAll("[data-chart]").forEach(draw); });
  });
  if (!window.__zasChartsBound) {
    window.__zasChartsBound = true;
    document.addEventListener("htmx:afterSettle", function (ev) { drawAll(ev.target); });
  }
  drawAll(document);
})();
