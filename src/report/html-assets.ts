/**
 * The inline stylesheet and script of the HTML report. The script only ever puts data into the page with
 * textContent / createTextNode, never innerHTML; the data comes from a JSON block that is not executable.
 */

export const HTML_STYLE = `
:root { --genuine: #c62828; --fp: #607d8b; --ink: #1d2329; --muted: #5f6b76; --line: #d9dee3; --bg: #f6f8fa; }
* { box-sizing: border-box; }
body { margin: 0; font: 14px/1.45 system-ui, -apple-system, "Segoe UI", Roboto, sans-serif; color: var(--ink); background: #fff; }
header, main { max-width: 1400px; margin: 0 auto; padding: 0 24px; }
header { padding-top: 16px; }
h1 { font-size: 22px; margin: 8px 0; }
h2 { font-size: 18px; margin: 28px 0 8px; border-bottom: 1px solid var(--line); padding-bottom: 4px; }
h3 { font-size: 15px; margin: 16px 0 6px; }
.headline { font-size: 16px; font-weight: 600; }
.muted, .note { color: var(--muted); }
.grid { display: flex; flex-wrap: wrap; align-items: flex-start; gap: 8px 40px; }
.grid > div { max-width: 100%; overflow-x: auto; }
table { border-collapse: collapse; }
th, td { text-align: left; padding: 3px 8px; border-bottom: 1px solid var(--line); vertical-align: top; }
td.num, th.num { text-align: right; font-variant-numeric: tabular-nums; }
.charts { display: grid; grid-template-columns: repeat(auto-fit, minmax(420px, 1fr)); gap: 16px; }
figure { margin: 0; padding: 8px; background: var(--bg); border: 1px solid var(--line); border-radius: 6px; }
figcaption { font-weight: 600; margin-bottom: 4px; }
svg { display: block; width: 100%; height: auto; }
svg text { font-size: 11px; fill: var(--ink); }
.legend { display: flex; gap: 16px; font-size: 12px; }
.swatch { display: inline-block; width: 10px; height: 10px; margin-right: 4px; vertical-align: middle; }
.swatch.genuine { background: var(--genuine); }
.swatch.fp { background: var(--fp); }
.controls { display: flex; flex-wrap: wrap; gap: 8px; align-items: center; margin: 8px 0; position: sticky; top: 0; background: #fff; padding: 6px 0; }
.controls input[type=search] { min-width: 280px; padding: 4px 6px; }
#alerts-table { width: 100%; font-size: 13px; }
#alerts-table th { cursor: pointer; user-select: none; background: var(--bg); position: sticky; top: 44px; white-space: nowrap; }
#alerts-table th[aria-sort=ascending]::after { content: " \\25B2"; }
#alerts-table th[aria-sort=descending]::after { content: " \\25BC"; }
#alerts-table td { overflow-wrap: break-word; max-width: 420px; }
#alerts-table td.time, #alerts-table td.label, #alerts-table td.cause, #alerts-table td.severityRank, #alerts-table td.vendor, #alerts-table td.baseline { white-space: nowrap; }
#alerts-table tr.alert td { border-bottom: none; }
#alerts-table tr.more td { padding-top: 0; }
tr.genuine td.label { color: var(--genuine); font-weight: 600; }
tr.likely-false-positive td.label { color: var(--fp); }
details summary .what { color: var(--muted); font-family: ui-monospace, SFMono-Regular, Menlo, monospace; margin-left: 8px; }
details summary { cursor: pointer; color: #0b57d0; }
details dl { display: grid; grid-template-columns: max-content 1fr; gap: 2px 8px; margin: 6px 0; }
details dt { color: var(--muted); }
details dd { margin: 0; font-family: ui-monospace, SFMono-Regular, Menlo, monospace; white-space: pre-wrap; overflow-wrap: anywhere; }
details ul { margin: 4px 0; padding-left: 18px; }
li.malicious .tag { color: var(--genuine); font-weight: 600; }
li.benign .tag { color: var(--fp); font-weight: 600; }
.rule { color: var(--muted); }
@media print { .controls { display: none; } details { display: block; } }
`;

export const HTML_SCRIPT = `
(function () {
  'use strict';
  var data = JSON.parse(document.getElementById('kdr-data').textContent);
  var rows = data.rows;
  var table = document.getElementById('alerts-table');
  var tbody = table.tBodies[0];
  var text = document.getElementById('filter-text');
  var label = document.getElementById('filter-label');
  var cause = document.getElementById('filter-cause');
  var shown = document.getElementById('shown-count');
  var headers = Array.prototype.slice.call(table.tHead.rows[0].cells);
  var sort = { key: null, dir: 1 };

  rows.forEach(function (r, i) {
    r._index = i;
    r._haystack = [r.time, r.label, r.cause, r.severity, r.vendor, r.title, r.node, r.pod, r.workload, r.baseline, r.id, r.file, r.what]
      .concat(r.reasons.map(function (x) { return x[3]; }))
      .join('\\n')
      .toLowerCase();
  });

  function el(tag, className, content) {
    var e = document.createElement(tag);
    if (className) e.className = className;
    if (content !== undefined && content !== null) e.textContent = String(content);
    return e;
  }

  function matches(r) {
    if (label.value && r.label !== label.value) return false;
    if (cause.value && r.cause !== cause.value) return false;
    var q = text.value.trim().toLowerCase();
    return !q || r._haystack.indexOf(q) !== -1;
  }

  function empty(v) { return v === null || v === undefined || v === ''; }

  function compare(a, b) {
    if (!sort.key) return a._index - b._index;
    var x = a[sort.key];
    var y = b[sort.key];
    if (x === y) return a._index - b._index;
    if (empty(x)) return 1;
    if (empty(y)) return -1;
    if (typeof x === 'number' && typeof y === 'number') return (x - y) * sort.dir;
    return (String(x) < String(y) ? -1 : 1) * sort.dir;
  }

  function detailsRow(r) {
    var tr = el('tr', 'more ' + r.label);
    var td = el('td', 'details');
    td.colSpan = headers.length;
    var details = el('details');
    var summary = el('summary', null, r.reasons.length + (r.reasons.length === 1 ? ' reason' : ' reasons'));
    if (!empty(r.what)) summary.appendChild(el('span', 'what', r.what.length > 160 ? r.what.slice(0, 159) + '\u2026' : r.what));
    details.appendChild(summary);
    var dl = el('dl');
    [['what', r.what], ['alert id', r.id], ['source', r.file + ' record ' + r.record], ['context', r.context], ['confidence', r.confidence]]
      .forEach(function (pair) {
        if (empty(pair[1])) return;
        dl.appendChild(el('dt', null, pair[0]));
        dl.appendChild(el('dd', null, pair[1]));
      });
    details.appendChild(dl);
    var ul = el('ul');
    r.reasons.forEach(function (x) {
      var li = el('li', x[0]);
      li.appendChild(el('span', 'tag', x[0] + ', ' + x[1] + ':'));
      li.appendChild(document.createTextNode(' ' + x[3] + ' '));
      li.appendChild(el('span', 'rule', '(' + x[2] + ')'));
      ul.appendChild(li);
    });
    if (r.moreReasons) ul.appendChild(el('li', null, r.moreReasons + ' more reasons not shown'));
    details.appendChild(ul);
    td.appendChild(details);
    tr.appendChild(td);
    return tr;
  }

  function appendRows(fragment, r) {
    var tr = el('tr', 'alert ' + r.label);
    headers.forEach(function (th) {
      var key = th.getAttribute('data-key');
      var value = key === 'severityRank' ? r.severity : key === 'time' && r.time ? r.time.slice(0, 19).replace('T', ' ') : r[key];
      tr.appendChild(el('td', key + (th.classList.contains('num') ? ' num' : ''), empty(value) ? '' : value));
    });
    fragment.appendChild(tr);
    fragment.appendChild(detailsRow(r));
  }

  function render() {
    var list = rows.filter(matches).sort(compare);
    var fragment = document.createDocumentFragment();
    list.forEach(function (r) { appendRows(fragment, r); });
    tbody.replaceChildren(fragment);
    shown.textContent = list.length + ' of ' + rows.length + ' alerts shown';
  }

  headers.forEach(function (th) {
    var key = th.getAttribute('data-key');
    th.tabIndex = 0;
    function toggle() {
      sort.dir = sort.key === key ? -sort.dir : 1;
      sort.key = key;
      headers.forEach(function (h) { h.removeAttribute('aria-sort'); });
      th.setAttribute('aria-sort', sort.dir === 1 ? 'ascending' : 'descending');
      render();
    }
    th.addEventListener('click', toggle);
    th.addEventListener('keydown', function (e) { if (e.key === 'Enter' || e.key === ' ') { e.preventDefault(); toggle(); } });
  });
  var pending = null;
  text.addEventListener('input', function () {
    if (pending !== null) clearTimeout(pending);
    pending = setTimeout(function () { pending = null; render(); }, 80);
  });
  label.addEventListener('change', render);
  cause.addEventListener('change', render);
  render();
  document.documentElement.setAttribute('data-ready', 'true');
})();
`;
