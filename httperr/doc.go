// Package httperr holds the vocabulary of the errors echoerr writes, without
// Echo: the canonical [Error], the interfaces an error type implements to
// feed it ([Describer], [Extender], [Headerer]), the default texts of each
// status ([StatusName], [StatusDescription]), and the data custom pages and
// renderers get ([PageData], [DebugInfo]).
//
// Both echoerr packages, github.com/echoerr/echoerr (Echo v4) and
// github.com/echoerr/echoerr/v5 (Echo v5), use these types: the Error of
// each is an alias of this package's, the way os.FileMode aliases
// fs.FileMode. Code that names the other types imports this package; the
// import stays the same when an application moves from Echo v4 to v5.
//
// # The data of a custom page
//
// An HTML page (see echoerr's HTML renderer and TemplateFS) is executed
// with a *[PageData]: .Code, .Name, .Description, .Extensions (and
// .ExtensionList, sorted and as text), .RequestID, .Home and .Path. In debug
// mode .Debug is a *[DebugInfo]: the error chain (.Chain, outermost link
// first, each with its Go .Type and .Message), the stack (.Stack as text,
// .Frames parsed, .FrameGroups in runs of application and library frames,
// each application frame with its .Source lines), the request (.Request,
// .Method, .URL, .Route, .Header) and .Report, a text to paste into a bug
// report. Outside debug mode .Debug is nil, so a page shows the section
// with {{with .Debug}}…{{end}}. Secret header values are redacted everywhere
// in DebugInfo.
package httperr
