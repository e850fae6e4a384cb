// Package web holds the browser user interface of vms: a plain HTML, CSS and
// JavaScript page (no build step, no external assets) embedded in the
// binary so that the server can satisfy a strict Content-Security-Policy
// (default-src 'self').
package web

import (
	"embed"
	"io/fs"
)

//go:embed static
var static embed.FS

// Static returns the page's files rooted at the static directory, so that
// "index.html" is at the top level. Serve it with http.FileServerFS.
func Static() fs.FS {
	sub, err := fs.Sub(static, "static")
	if err != nil {
		// fs.Sub fails only for an invalid path; "static" is a constant.
		panic("web: " + err.Error())
	}
	return sub
}
