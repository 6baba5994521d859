// Package dashboards renders the month's assessment as static HTML pages for
// the province's leaders: the province overview (index.html), one page per
// city (city/<code>.html) and the submission-quality page (quality.html).
//
// The pages must work on an intranet or a laptop with no network, so ECharts,
// the Liaoning map and the pages' own script and style are written into
// DIR/assets and referenced by relative paths; nothing is fetched from
// elsewhere. ECharts and the map come from the npm registry at build time
// (scripts/assets.sh) and are embedded in the binary; they are never
// committed.
//
// Every chart is built with go-echarts (its option model); the options are
// then marshalled by encoding/json, which escapes <, > and &, and placed in
// <script type="application/json"> blocks that the page's own script reads.
// go-echarts' own page templates are not used because they write options
// unescaped into inline scripts, where a name such as "</script>" from a
// workbook would end the script. The layout around the charts is
// html/template, so every name from a workbook is text, never markup. A
// Content-Security-Policy forbids inline scripts as a second line of defence.
//
// Output is stable: chart ids are fixed, data are sorted, and the only date
// on the pages is the one passed in (or derived from the data), so two runs
// over the same warehouse give identical bytes.
//
// It never writes the warehouse: Load only reads it, and the caller makes
// the months shown current first (metrics.Ensure). It must not compute an
// indicator itself, so a page cannot disagree with ufa metrics or the
// report.
package dashboards
