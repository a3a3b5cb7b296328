// uPlot charts from the JSON spec inside <figure data-chart> (app/ui.py builds the specs and
// macros/charts.html the figure): "histogram" (bins from the server), "bars" (one bar per label)
// and "series" (lines over time, with labelled vertical marks such as the deadline).
// Colours come from CSS custom properties (--chart-*) so app.css owns the palette.
(function () {
  "use strict";

  function css(name, fallback) {
    var value = getComputedStyle(document.documentElement).getPropertyValue(name).trim();
    return value || fallback;
  }

  function theme() {
    return {
      text: css("--text-muted", "#4b5563"),
      grid: css("--border", "#e5e7eb"),
      bar: css("--chart-bar", "#2563eb"),
      barFill: css("--chart-bar-fill", "rgba(37, 99, 235, 0.75)"),
      mark: css("--chart-mark", "#b91c1c"),
      lines: [css("--chart-1", "#2563eb"), css("--chart-2", "#d97706"), css("--chart-3", "#059669"), css("--chart-4", "#7c3aed")],
      font: css("--chart-font", "12px system-ui, sans-serif"),
    };
  }

  function integerTicks(u, values) {
    return values.map(function (v) { return Number.isInteger(v) ? String(v) : ""; });
  }

  function axis(colours, label, extra) {
    var base = { label: label || "", stroke: colours.text, font: colours.font, labelFont: colours.font,
                 grid: { stroke: colours.grid, width: 1 }, ticks: { stroke: colours.grid, width: 1 } };
    return Object.assign(base, extra || {});
  }

  function histogram(spec, colours) {
    var edges = spec.edges;
    var centres = spec.counts.map(function (_, i) { return (edges[i] + edges[i + 1]) / 2; });
    return {
      data: [centres, spec.counts],
      options: {
        legend: { show: false },
        scales: {
          x: { time: false, range: [edges[0], edges[edges.length - 1]] },
          y: { range: function (u, min, max) { return [0, Math.max(1, max) * 1.1]; } },
        },
        axes: [axis(colours, spec.x_label, { grid: { show: false } }),
               axis(colours, spec.y_label, { values: integerTicks })],
        series: [{}, { label: spec.y_label, stroke: colours.bar, fill: colours.barFill, width: 1,
                       paths: uPlot.paths.bars({ size: [0.94, Infinity], align: 0 }), points: { show: false } }],
      },
    };
  }

  function bars(spec, colours) {
    var labels = spec.labels;
    var xs = labels.map(function (_, i) { return i; });
    var unit = spec.unit || "";
    return {
      data: [xs, spec.values],
      options: {
        legend: { show: false },
        scales: {
          x: { time: false, range: [-0.5, labels.length - 0.5] },
          y: { range: function (u, min, max) { return [0, spec.max != null ? spec.max : Math.max(1, max) * 1.1]; } },
        },
        axes: [
          axis(colours, spec.x_label, {
            grid: { show: false },
            splits: function () { return xs; },
            // Each label gets the width of its slot (about 7 px a character at 12 px); the full labels are
            // in the table under the chart.
            values: function (u, splits) {
              var slot = u.bbox.width / (uPlot.pxRatio || 1) / Math.max(labels.length, 1);
              var fit = Math.max(3, Math.floor(slot / 6.8));
              return splits.map(function (i) {
                var text = labels[i] == null ? "" : String(labels[i]);
                return text.length > fit ? text.slice(0, fit - 1) + "…" : text;
              });
            },
          }),
          axis(colours, spec.y_label, { values: function (u, vals) { return vals.map(function (v) { return v + unit; }); } }),
        ],
        series: [{}, { label: spec.y_label || "value", stroke: colours.bar, fill: colours.barFill, width: 1,
                       paths: uPlot.paths.bars({ size: [0.7, 80], align: 0 }), points: { show: false } }],
      },
    };
  }

  function series(spec, colours) {
    var marks = spec.marks || [];
    return {
      data: [spec.x].concat(spec.series.map(function (s) { return s.values; })),
      options: {
        legend: { show: spec.series.length > 1, live: false },
        scales: { x: { time: true } },
        axes: [axis(colours, ""), axis(colours, spec.y_label)],
        series: [{}].concat(spec.series.map(function (s, i) {
          return { label: s.label, stroke: colours.lines[i % colours.lines.length], width: 2, spanGaps: false };
        })),
        hooks: {
          draw: [function (u) {
            var ctx = u.ctx;
            var ratio = uPlot.pxRatio || 1;
            marks.forEach(function (mark) {
              var x = Math.round(u.valToPos(mark.x, "x", true));
              if (x < u.bbox.left || x > u.bbox.left + u.bbox.width) return;
              ctx.save();
              ctx.strokeStyle = colours.mark;
              ctx.fillStyle = colours.mark;
              ctx.lineWidth = 2 * ratio;
              ctx.setLineDash([6 * ratio, 4 * ratio]);
              ctx.beginPath();
              ctx.moveTo(x, u.bbox.top);
              ctx.lineTo(x, u.bbox.top + u.bbox.height);
              ctx.stroke();
              ctx.font = "600 " + Math.round(12 * ratio) + "px system-ui, sans-serif";
              ctx.textAlign = x > u.bbox.left + u.bbox.width * 0.8 ? "right" : "left";
              ctx.fillText(mark.label, x + (ctx.textAlign === "left" ? 6 : -6) * ratio, u.bbox.top + 14 * ratio);
              ctx.restore();
            });
          }],
        },
      },
    };
  }

  var KINDS = { histogram: histogram, bars: bars, series: series };

  function draw(figure) {
    if (figure.dataset.chartReady) return;
    var source = figure.querySelector("script.chart__data");
    var plot = figure.querySelector(".chart__plot");
    var build = KINDS[figure.dataset.chart];
    if (!source || !plot || !build) return;
    var spec = JSON.parse(source.textContent);
    var chart = build(spec, theme());
    var height = parseInt(plot.dataset.height, 10) || 240;
    var options = Object.assign({ width: Math.max(plot.clientWidth, 200), height: height,
                                  cursor: { drag: { x: false, y: false }, points: { show: false } } }, chart.options);
    var u = new uPlot(options, chart.data, plot);
    if (window.ResizeObserver) {
      new ResizeObserver(function () {
        var width = Math.max(plot.clientWidth, 200);
        if (width !== u.width) u.setSize({ width: width, height: height });
      }).observe(plot);
    }
    figure.dataset.chartReady = "true";
  }

  window.Nabla.enhance(function (root) {
    if (!window.uPlot) return;
    var figures = root.matches && root.matches("figure[data-chart]") ? [root] : [];
    root.querySelectorAll("figure[data-chart]").forEach(function (figure) { figures.push(figure); });
    figures.forEach(draw);
  });
})();
