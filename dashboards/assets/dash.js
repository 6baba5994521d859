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
        // Two-line category labels (a month over its year): lines as far
        // apart as the font is high, so they never overlap (the font's
        // box is about 1.45 times its size).
        if (a.type === 'category' && list(a.data).some(function (d) { return String(d).indexOf('\n') >= 0; })) {
          a.axisLabel = a.axisLabel || {};
          if (!a.axisLabel.lineHeight) a.axisLabel.lineHeight = 18;
        }
        if (a.type !== 'value') return;
        var name = (k === 'yAxis' && i === 1) ? (f2 || f1) : f1;
        a.axisLabel = a.axisLabel || {};
        if (!a.axisLabel.formatter && axisFmts[name]) a.axisLabel.formatter = axisFmts[name];
      });
    });
    return opt;
  }

  // The width of a text as drawn: a CJK character is as wide as the font
  // is high; Latin letters and digits are narrower (0.6 is generous).
  function textWidth(s, size) {
    var w = 0;
    for (var i = 0; i < s.length; i++) w += s.charCodeAt(i) > 255 ? size : size * 0.6;
    return w;
  }
  // How many lines a label takes when broken to width (ECharts breaks
  // CJK text between any two characters).
  function linesOf(s, size, width) {
    var lines = 1, w = 0;
    for (var i = 0; i < s.length; i++) {
      var c = s.charCodeAt(i) > 255 ? size : size * 0.6;
      if (w > 0 && w + c > width) { lines++; w = 0; }
      w += c;
    }
    return lines;
  }
  function label(d) { return String(d && typeof d === 'object' ? d.value : d); }

  // A heat map with its column headers on top (the overview's targets):
  // each header breaks into lines as wide as its column, and the grid
  // leaves room for the longest, so no header overlaps its neighbour or is
  // cut at the top, on screen and on paper alike. Called after every
  // resize.
  var heatFont = 11, heatLine = 17; // line height: the font's box (see above)
  function fitHeat(chart) {
    var opt = chart.getOption();
    var x = list(opt.xAxis)[0], y = list(opt.yAxis)[0];
    if (!x || !y || x.position !== 'top' || !list(opt.series).some(function (s) { return s.type === 'heatmap'; })) return;
    var yw = 0;
    list(y.data).forEach(function (d) { yw = Math.max(yw, textWidth(label(d), 12)); });
    var left = 8 + Math.ceil(yw) + 12; // the y labels, their margin (8) and a little air
    var right = 8;
    var col = (chart.getWidth() - left - right) / Math.max(1, list(x.data).length);
    var w = Math.max(heatFont, Math.floor(col - 6));
    var lines = 1;
    list(x.data).forEach(function (d) { lines = Math.max(lines, linesOf(label(d), heatFont, w)); });
    chart.setOption({
      grid: [{ left: left, right: right, top: lines * heatLine + 14, containLabel: false }],
      xAxis: [{ axisLabel: { width: w, overflow: 'break', fontSize: heatFont, lineHeight: heatLine } }]
    });
  }

  var charts = [];
  document.querySelectorAll('div.chart[id]').forEach(function (el) {
    var src = document.getElementById(el.id + '-option');
    if (!src) return;
    var opt = decorate(JSON.parse(src.textContent), el.dataset.fmt, el.dataset.fmt2);
    // SVG always: crisp on screen and vector when printed.
    var chart = echarts.init(el, null, { renderer: 'svg', locale: 'ZH' });
    chart.setOption(opt);
    fitHeat(chart);
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
    charts.forEach(function (c) { c.resize(printSize(c.getDom())); fitHeat(c); });
  }
  function toScreen() {
    if (!printing) return;
    printing = false;
    charts.forEach(function (c) { c.resize({ width: 'auto', height: 'auto' }); fitHeat(c); });
  }
  window.addEventListener('resize', function () { if (!printing) charts.forEach(function (c) { c.resize(); fitHeat(c); }); });
  window.addEventListener('beforeprint', toPrint);
  window.addEventListener('afterprint', toScreen);
  if (window.matchMedia) {
    var mq = window.matchMedia('print');
    var onChange = function (e) { if (e.matches) toPrint(); else toScreen(); };
    if (mq.addEventListener) mq.addEventListener('change', onChange);
    else if (mq.addListener) mq.addListener(onChange);
  }
})();
