// Package screenshots has no code. Its directory holds the pictures of the
// error pages that the README shows, which scripts/browser-check writes. It
// is a module of its own (see go.mod) so that the root module's zip, which
// every user of the Echo v4 face downloads, leaves the pictures out; this
// file gives the module a package, so that CI's go vet and go test, run in
// every module, have one to check.
package screenshots
