// Dashboard charts (A2.1): data from <script type="application/json">, drawn with our own
// copy-free plotly.js. No inline scripts or styles, so the strict CSP holds. The tables next
// to the charts carry the same figures for keyboard and screen-reader users.
(() => {
  const CONFIG = {
    displayModeBar: false, // its buttons need plotly's injected styles
    responsive: true,
    scrollZoom: false,
    doubleClick: false,
  };

  function layoutFor(data, series) {
    const layout = {
      margin: { l: 70, r: 20, t: 20, b: 50 },
      height: 300,
      barmode: "group",
      legend: { orientation: "h", y: -0.2 },
      xaxis: { type: "date", tickformat: data.xKind === "day" ? "%m-%d" : "%Y-%m" },
      yaxis: { rangemode: "tozero", separatethousands: true },
      font: { family: getComputedStyle(document.body).fontFamily },
    };
    if (series.length < 2) layout.showlegend = false;
    return layout;
  }

  function draw(element) {
    const source = document.getElementById(element.dataset.source);
    if (!source || typeof Plotly === "undefined") return;
    const data = JSON.parse(source.textContent);
    const series = data[element.dataset.chart] || [];
    const traces = series.map((s) => ({
      type: s.type,
      mode: s.type === "scatter" ? "lines+markers" : undefined,
      name: s.name,
      x: data.x,
      y: s.y.map(Number),
      hovertemplate: "%{x}: %{y:,}<extra>" + s.name + "</extra>",
    }));
    Plotly.newPlot(element, traces, layoutFor(data, series), CONFIG);
  }

  function start() {
    document.querySelectorAll("[data-chart]").forEach(draw);
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
