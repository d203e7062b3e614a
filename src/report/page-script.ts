// The script report.html runs: it reads the chart specs (charts.ts) from a JSON block and draws each with Chart.js.
// Plain ES5-style JavaScript kept as text, because it runs in the browser, not in Node. Whiskers (min – max of the
// successful samples) and the value over each bar are drawn by a small Chart.js plugin after the bars.
export const PAGE_SCRIPT = String.raw`(function () {
  'use strict';
  var specs = JSON.parse(document.getElementById('stagebench-charts').textContent);

  // Values are written by the report's units module (src/units.ts) into each dataset's texts, never formatted here,
  // so that a chart reads like the tables beside it.
  function text(list, j) {
    var t = list && list[j];
    return t === null || t === undefined ? 'n/a' : t;
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
            var label = text(ds.texts, j);
            ctx.fillStyle = '#1d2733';
            ctx.textAlign = 'center';
            ctx.textBaseline = 'bottom';
            ctx.font = '600 11px ' + Chart.defaults.font.family;
            if (ctx.measureText(label).width > bar.width + 6) ctx.font = '600 9px ' + Chart.defaults.font.family;
            if (ctx.measureText(label).width <= bar.width + 6) ctx.fillText(label, bar.x, top - 3);
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
            label: d.label, data: d.data, texts: d.texts, spread: d.spread, spreadTexts: d.spreadTexts, failed: d.failed, stack: d.stack,
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
          stagebenchSpread: { stacked: spec.stacked },
          tooltip: {
            callbacks: {
              label: function (item) {
                var s = item.dataset.spreadTexts && item.dataset.spreadTexts[item.dataIndex];
                return item.dataset.label + ': ' + text(item.dataset.texts, item.dataIndex) +
                  (s ? ' (min ' + s[0] + ', max ' + s[1] + ')' : '');
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
