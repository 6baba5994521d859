// Package portal is ufa serve: the province's web portal on one warehouse.
// Cities upload their monthly workbooks and read their results, the office
// watches the month board, locks months, runs the named queries, takes the
// report and backups and manages accounts, leaders read the dashboards
// (docs/portal.md).
//
// Everything is in the warehouse (schema portal, migration 004) and beside
// it (DB.files/ for the originals, DB.dashboards/ for the rendered pages).
// One route table says who may do what; the same table generates the
// authorization matrix test. Uploads go through a Processor, one at a time,
// in the order received; the stand-alone pipeline plugs in there.
//
// It must not check or load a workbook on its own: an upload goes through
// pipeline.TakeUpload, the same check and load as ufa ingest, so a
// workbook gets the same verdict whichever way it arrives.
package portal
