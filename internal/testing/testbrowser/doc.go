// Package testbrowser starts Debian's headless Chromium for the tests of
// pages (chromedp), cut off from the network: every request that is not
// for a local file fails, and the test can list the ones the page tried.
// Test helper: never imported by production code.
package testbrowser
