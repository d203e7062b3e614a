// The script report.html runs: it reads the chart specs (charts.ts) from a JSON block and draws each with Chart.js.
// Plain ES5-style JavaScript kept as text, because it runs in the browser, not in Node. Whiskers (min – max of the
// successful samples) and the value over each bar are drawn by a small Chart.js plugin after the bars.
export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('stagebench-charts').textContent);

  function format(v, unit) {
    if (v === null || v === undefined || !isFinite(v)) return 'n/a';
    if (unit === 'MB') return v >= 100 ? v.toFixed(0) + ' MB' : v >= 1 ? v.toFixed(1) + ' MB' : (v * 1000).toFixed(0) + ' kB';
    if (unit === 's') return v >= 100 ? v.toFixed(0) + ' s' : v >= 1 ? v.toFixed(1) + ' s' : v.toFixed(2) + ' s';
    if (unit === 'ms') return Math.round(v) + ' ms';
    return String(Math.round(v));
  }

  var spreadPlugin = {
    id: 'stagebenchSpread',
    afterDatasetsDraw: function (chart, args, options) {
      var ctx = chart.ctx;
      var y = chart.scales.y;
      chart.data.datasets.forEach(function (ds, i) {
        var meta = chart.getDatasetMeta(i);
        if (!chart.isDatasetVisible(i)) return;
        meta.data.forEach(function (bar, j) {
          var value = ds.data[j];
          if (ds.failed && ds.failed[j] && isFinite(bar.x)) {
            ctx.save();
            ctx.fillStyle = '#b8473f';
            ctx.font = '700 12px ' + Chart.defaults.font.family;
            ctx.textAlign = 'center';
            ctx.textBaseline = 'bottom';
            ctx.fillText('failed', bar.x, y.getPixelForValue(0) - 4);
            ctx.restore();
            return;
          }
          if (value === null || value === undefined) return;
          var s = ds.spread && ds.spread[j];
          ctx.save();
          var top = bar.y;
          if (s) {
            var hi = y.getPixelForValue(s[1]);
            var lo = y.getPixelForValue(s[0]);
            var w = Math.max(3, Math.min(bar.width / 4, 8));
            ctx.strokeStyle = '#1d2733';
            ctx.lineWidth = 1.5;
            ctx.beginPath();
            ctx.moveTo(bar.x, hi); ctx.lineTo(bar.x, lo);
            ctx.moveTo(bar.x - w, hi); ctx.lineTo(bar.x + w, hi);
            ctx.moveTo(bar.x - w, lo); ctx.lineTo(bar.x + w, lo);
            ctx.stroke();
            top = Math.min(top, hi);
          }
          // Values over the bars where they fit; stacked segments and narrow bars rely on the tooltip.
          if (!options.stacked) {
            var text = format(value, options.unit);
            ctx.fillStyle = '#1d2733';
            ctx.textAlign = 'center';
            ctx.textBaseline = 'bottom';
            ctx.font = '600 11px ' + Chart.defaults.font.family;
            if (ctx.measureText(text).width > bar.width + 6) ctx.font = '600 9px ' + Chart.defaults.font.family;
            if (ctx.measureText(text).width <= bar.width + 6) ctx.fillText(text, bar.x, top - 3);
          }
          ctx.restore();
        });
      });
    }
  };

  Chart.defaults.font.family = window.getComputedStyle(document.body).fontFamily;
  Chart.defaults.font.size = 12;
  Chart.defaults.color = '#3b4654';
  var drawn = 0;
  specs.forEach(function (spec) {
    var canvas = document.getElementById(spec.id);
    if (!canvas) throw new Error('report.html: no canvas for chart ' + spec.id);
    new Chart(canvas, {
      type: 'bar',
      data: {
        labels: spec.labels,
        datasets: spec.datasets.map(function (d) {
          return {
            label: d.label, data: d.data, spread: d.spread, failed: d.failed, stack: d.stack,
            backgroundColor: d.color, borderColor: d.color, borderWidth: 1, maxBarThickness: 64
          };
        })
      },
      options: {
        responsive: true,
        maintainAspectRatio: false,
        animation: false,
        layout: { padding: { top: 18 } },
        scales: {
          x: { stacked: spec.stacked, grid: { display: false } },
          y: {
            stacked: spec.stacked, beginAtZero: true, suggestedMax: spec.suggestedMax, grace: '8%',
            title: { display: true, text: spec.yTitle },
            ticks: spec.unit === 'count' ? { precision: 0 } : {}
          }
        },
        plugins: {
          legend: { display: spec.legend, position: 'bottom', labels: { boxWidth: 14 } },
          stagebenchSpread: { unit: spec.unit, stacked: spec.stacked },
          tooltip: {
            callbacks: {
              label: function (item) {
                var s = item.dataset.spread && item.dataset.spread[item.dataIndex];
                return item.dataset.label + ': ' + format(item.parsed.y, spec.unit) +
                  (s ? ' (min ' + format(s[0], spec.unit) + ', max ' + format(s[1], spec.unit) + ')' : '');
              }
            }
          }
        }
      },
      plugins: [spreadPlugin]
    });
    drawn += 1;
  });
  document.documentElement.setAttribute('data-charts-drawn', String(drawn));
})();
`;
