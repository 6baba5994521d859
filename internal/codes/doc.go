// Package codes checks and masks the identifiers of the workbook: the
// unified social credit code (GB 32100-2015) and the resident ID number
// (GB 11643-1999).
//
// It knows the two standards and nothing of the workbook: no cell, sheet
// or finding. It must not word messages for the user: a problem comes
// back as a short key ("length", "check"...) that the rules turn into a
// finding on its cell.
package codes
