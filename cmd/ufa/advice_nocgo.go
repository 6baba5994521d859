//go:build !cgo

package main

// advise: the portable build has no warehouse, so none of its errors.
func advise(err error, msg string) string { return msg }
