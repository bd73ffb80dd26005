// Package framework starts or connects to the deployment under test for the
// conformance suite, and gives specs its settings, API clients, operation
// waits, cleanup, failure diagnostics and the support-matrix reports.
package framework
