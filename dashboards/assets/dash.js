// ufa dashboards: draws every chart of the page from the JSON option beside
// its container. Served from the output folder with the pages; no inline
// script is needed (the pages forbid it by their Content-Security-Policy).
(function () {
  'use strict';

  if (typeof echarts === 'undefined') {
    document.body.insertAdjacentHTML('afterbegin',
      '<p class="alert">图表脚本 assets/echarts.min.js 未能加载：请确认 assets 文件夹与页面放在一起。</p>');
    return;
  }

  function num(v) {
    if (Array.isArray(v)) v = v[v.length - 1]; // heat map items are [x, y, value]
    if (v === null || v === undefined || v === '-' || v === '') return NaN;
    return typeof v === 'number' ? v : Number(v);
  }

  var statusNames = { 0: '未报送', 1: '逾期', 2: '按时' };

  // formatters by the names the pages use (data-fmt / data-fmt2)
  var fmts = {
    pct: function (v) { v = num(v); return isNaN(v) ? '—' : v.toFixed(1) + '%'; },
    score: function (v) { v = num(v); return isNaN(v) ? '—' : v.toFixed(2); },
    int: function (v) { v = num(v); return isNaN(v) ? '—' : Math.round(v).toLocaleString('zh-CN'); },
    dec1: function (v) { v = num(v); return isNaN(v) ? '—' : v.toFixed(1); },
    rank: function (v) { v = num(v); return isNaN(v) ? '—' : '第 ' + Math.round(v) + ' 名'; },
    status: function (v) { v = num(v); return isNaN(v) ? '无数据' : (statusNames[v] || String(v)); }
  };
  // axis labels: no decimals where none are needed
  var axisFmts = {
    pct: function (v) { return (Number.isInteger(v) ? v : v.toFixed(1)) + '%'; },
    rank: function (v) { return Number.isInteger(v) ? String(v) : ''; }
  };

  function list(x) { return x === undefined ? [] : (Array.isArray(x) ? x : [x]); }

  function decorate(opt, f1, f2) {
    var fmt1 = fmts[f1] || fmts.dec1;
    var fmt2 = fmts[f2] || fmt1;
    opt.tooltip = opt.tooltip || {};
    opt.tooltip.confine = true;
    opt.tooltip.valueFormatter = fmt1;
    opt.textStyle = { fontFamily: '"Noto Sans CJK SC", "Source Han Sans SC", "Microsoft YaHei", "PingFang SC", sans-serif' };
    list(opt.series).forEach(function (s) {
      var f = (s.yAxisIndex === 1) ? fmt2 : fmt1;
      if (s.yAxisIndex === 1) {
        s.tooltip = s.tooltip || {};
        s.tooltip.valueFormatter = f;
      }
      if (s.type === 'map' || s.type === 'pie') s.label = s.label || {};
      if (s.type === 'map') {
        s.label.formatter = function (p) { return String(p.name).replace(/市$/, ''); };
      } else if (s.type === 'pie') {
        s.label.formatter = function (p) {
          return p.name + '\n' + f(p.value) + '（' + (isNaN(p.percent) ? 0 : p.percent).toFixed(1) + '%）';
        };
      } else if (s.label && s.label.show && !s.label.formatter) {
        s.label.formatter = function (p) { return f(p.value); };
      }
      if (s.markLine && s.markLine.label && !s.markLine.label.formatter) {
        s.markLine.label.formatter = function (p) { return f(p.value); };
      }
    });
    ['xAxis', 'yAxis'].forEach(function (k) {
      list(opt[k]).forEach(function (a, i) {
        if (a.type !== 'value') return;
        var name = (k === 'yAxis' && i === 1) ? (f2 || f1) : f1;
        a.axisLabel = a.axisLabel || {};
        if (!a.axisLabel.formatter && axisFmts[name]) a.axisLabel.formatter = axisFmts[name];
      });
    });
    return opt;
  }

  var charts = [];
  document.querySelectorAll('div.chart[id]').forEach(function (el) {
    var src = document.getElementById(el.id + '-option');
    if (!src) return;
    var opt = decorate(JSON.parse(src.textContent), el.dataset.fmt, el.dataset.fmt2);
    // SVG always: crisp on screen and vector when printed.
    var chart = echarts.init(el, null, { renderer: 'svg', locale: 'ZH' });
    chart.setOption(opt);
    charts.push(chart);
  });

  // Print: draw each chart at its printed size (A4 portrait, 12 mm margins:
  // about 178 mm wide; heights as in the print stylesheet), then back to the
  // screen's size afterwards. SVG keeps the printed charts sharp.
  var mm = 96 / 25.4;
  var printHeights = { 'h-s': 55, 'h-m': 64, 'h-l': 95, 'h-xl': 140 }; // as in dash.css
  var printing = false;
  function printSize(el) {
    var h = 64;
    Object.keys(printHeights).forEach(function (k) { if (el.classList.contains(k)) h = printHeights[k]; });
    return { width: Math.floor(178 * mm), height: Math.floor(h * mm) };
  }
  function toPrint() {
    if (printing) return;
    printing = true;
    charts.forEach(function (c) { c.resize(printSize(c.getDom())); });
  }
  function toScreen() {
    if (!printing) return;
    printing = false;
    charts.forEach(function (c) { c.resize({ width: 'auto', height: 'auto' }); });
  }
  window.addEventListener('resize', function () { if (!printing) charts.forEach(function (c) { c.resize(); }); });
  window.addEventListener('beforeprint', toPrint);
  window.addEventListener('afterprint', toScreen);
  if (window.matchMedia) {
    var mq = window.matchMedia('print');
    var onChange = function (e) { if (e.matches) toPrint(); else toScreen(); };
    if (mq.addEventListener) mq.addEventListener('change', onChange);
    else if (mq.addListener) mq.addListener(onChange);
  }
})();
