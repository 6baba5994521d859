// Package read turns a workbook file into a model.Workbook of typed rows
// and the findings of reading it: the file itself (not xlsx, damaged, too
// big, a zip bomb), its sheets matched to the contract by name or alias,
// headers found under titles and matched by alias, and every cell typed by
// its column (E_TYPE, E_ID_NUMBER, E_UNIT… on the cell). A cell it found
// wrong is left with Value.OK=false, so that the rules never look at it
// again. Reading goes by internal/xlsxscan, with excelize as the bounded
// fallback. It also collects the files of a batch (Collect: what is a
// workbook, what is a side file) and owns the temporary folders.
//
// It must not apply rules that need more than one cell (ingest/check), nor
// write anything but its temporary folders; it knows the contract only
// through internal/spec.
package read
