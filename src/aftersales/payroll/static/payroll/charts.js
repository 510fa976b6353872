/* Pay charts (ECharts, served locally): each .payroll-chart names its kind and its json_script data;
   series names come translated from the page (data-label1, data-label2), Chinese when absent. */
(function () {
  "use strict";
  var GRADE_COLOURS = { A: "#198754", B: "#0d6efd", C: "#0dcaf0", D: "#ffc107", E: "#dc3545", "-": "#adb5bd" };

  var NARROW = 576;  // px: below this (a phone) axis labels turn, thin out and never overlap

  function axisLabel(categories, narrow) {
    if (narrow) {
      return { interval: "auto", hideOverlap: true, rotate: categories.length > 3 ? 45 : 0, fontSize: 10 };
    }
    return { interval: 0, rotate: categories.length > 8 ? 40 : 0 };
  }

  function bar(categories, series, extra, narrow) {
    return Object.assign({
      animation: false,  // drawn at once: pages are printed and screenshotted
      tooltip: { trigger: "axis" },
      legend: narrow ? { top: 0, type: "scroll" } : { top: 0 },
      grid: { left: narrow ? 8 : 48, right: narrow ? 8 : 16, top: 32, bottom: narrow ? 8 : 48, containLabel: true },
      xAxis: { type: "category", data: categories, axisLabel: axisLabel(categories, narrow) },
      yAxis: { type: "value", axisLabel: narrow ? { fontSize: 10 } : {} },
      series: series
    }, extra || {});
  }

  var BUILDERS = {
    grades: function (d, labels, narrow) {
      var names = Object.keys(d.grades);
      return bar(names, [{ name: labels.label1 || "人数", type: "bar", data: names.map(function (g) {
        return { value: d.grades[g], itemStyle: { color: GRADE_COLOURS[g] } };
      }) }], { legend: { show: false } }, narrow);
    },
    pay: function (d, labels, narrow) {
      return bar(d.names, [
        { name: labels.label1 || "标准绩效薪资", type: "bar", data: d.standard },
        { name: labels.label2 || "实发绩效薪资", type: "bar", data: d.pay }
      ], null, narrow);
    },
    "trend-grades": function (d, labels, narrow) {
      return bar(d.months, Object.keys(d.grades).map(function (g) {
        return { name: g, type: "bar", stack: "grades", data: d.grades[g], itemStyle: { color: GRADE_COLOURS[g] } };
      }), null, narrow);
    },
    "trend-pay": function (d, labels, narrow) {
      return bar(d.months, [
        { name: labels.label1 || "可分配绩效薪资总额", type: "bar", data: d.pay },
        { name: labels.label2 || "调节基金", type: "bar", data: d.fund }
      ], null, narrow);
    },
    overview: function (d, labels, narrow) {
      return bar(d.months, d.series.map(function (s) { return { name: s.name, type: "bar", stack: "p", data: s.data }; }),
        { legend: { top: 0, type: "scroll" } }, narrow);
    }
  };

  function draw() {
    if (!window.echarts) { return; }
    document.querySelectorAll(".payroll-chart").forEach(function (el) {
      var data = JSON.parse(document.getElementById(el.dataset.source).textContent);
      var chart = window.echarts.init(el);
      var narrow = null;
      var layout = function () {  // the options for the chart's width, set again when it crosses NARROW
        var now = el.clientWidth < NARROW;
        if (now !== narrow) {
          narrow = now;
          chart.setOption(BUILDERS[el.dataset.chart](data, el.dataset, narrow), true);
          el.dataset.narrow = String(narrow);
        }
      };
      layout();
      el.dataset.rendered = "true";
      window.addEventListener("resize", function () { chart.resize(); layout(); });
    });
  }

  document.addEventListener("DOMContentLoaded", draw);
})();
