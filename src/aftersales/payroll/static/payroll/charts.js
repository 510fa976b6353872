/* Pay charts (ECharts, served locally): each .payroll-chart names its kind and its json_script data;
   series names come translated from the page (data-label1, data-label2), Chinese when absent. */
(function () {
  "use strict";
  var GRADE_COLOURS = { A: "#198754", B: "#0d6efd", C: "#0dcaf0", D: "#ffc107", E: "#dc3545", "-": "#adb5bd" };

  function bar(categories, series, extra) {
    return Object.assign({
      animation: false,  // drawn at once: pages are printed and screenshotted
      tooltip: { trigger: "axis" },
      legend: { top: 0 },
      grid: { left: 48, right: 16, top: 32, bottom: 48, containLabel: true },
      xAxis: { type: "category", data: categories, axisLabel: { interval: 0, rotate: categories.length > 8 ? 40 : 0 } },
      yAxis: { type: "value" },
      series: series
    }, extra || {});
  }

  var BUILDERS = {
    grades: function (d, labels) {
      var names = Object.keys(d.grades);
      return bar(names, [{ name: labels.label1 || "人数", type: "bar", data: names.map(function (g) {
        return { value: d.grades[g], itemStyle: { color: GRADE_COLOURS[g] } };
      }) }], { legend: { show: false } });
    },
    pay: function (d, labels) {
      return bar(d.names, [
        { name: labels.label1 || "标准绩效薪资", type: "bar", data: d.standard },
        { name: labels.label2 || "实发绩效薪资", type: "bar", data: d.pay }
      ]);
    },
    "trend-grades": function (d) {
      return bar(d.months, Object.keys(d.grades).map(function (g) {
        return { name: g, type: "bar", stack: "grades", data: d.grades[g], itemStyle: { color: GRADE_COLOURS[g] } };
      }));
    },
    "trend-pay": function (d, labels) {
      return bar(d.months, [
        { name: "P", type: "bar", data: d.pay },
        { name: labels.label2 || "调节基金", type: "bar", data: d.fund }
      ]);
    },
    overview: function (d) {
      return bar(d.months, d.series.map(function (s) { return { name: s.name, type: "bar", stack: "p", data: s.data }; }),
        { legend: { top: 0, type: "scroll" } });
    }
  };

  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".payroll-chart").forEach(function (el) {
      var data = JSON.parse(document.getElementById(el.dataset.source).textContent);
      var chart = window.echarts.init(el);
      chart.setOption(BUILDERS[el.dataset.chart](data, el.dataset));
      el.dataset.rendered = "true";
      window.addEventListener("resize", function () { chart.resize(); });
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
