// Package pipeline holds the workflows that string the stages together,
// so that the command line (cmd/ufa) and a server (the portal) run the
// same code:
//
//   - Ingest: a set of workbooks checked in parallel, then taken into the
//     warehouse one at a time in the one order of attempts (填报日期, then
//     file name), with the history and the cross-city checks the
//     warehouse keeps; progress and each file's outcome through callbacks.
//   - Take: one workbook (a file, or bytes already received) through the
//     same check and load, for single uploads.
//   - MonthlyJob: ufa run's month: ingest the inbox, decide which months
//     to recompute, compute them, render the dashboards and the report,
//     and the month's status per city (accepted, rejected, late, missing).
//   - The demo's steps: DemoPrepare (its folder), DemoMonths (the months
//     of the generated year, each then a MonthlyJob), TemplateBytes (the
//     blank template), ValidateSamples (the single-fault samples, with
//     their annotated copies and report), so that the demo calls no
//     command with made-up arguments.
//
// It must not print, parse flags or choose exit codes: that is cmd/ufa's.
// It speaks through its results and callbacks, and its errors name no
// flag: an InputError's Kind lets the caller say which flag to fix.
package pipeline
