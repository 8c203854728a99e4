package httperr

import (
	"net/http"
	"strconv"
)

// StatusClientClosedRequest is the status recorded when the client went
// away before the response was written (context.Canceled while the
// request's context is done). Nothing is sent for it; it exists so that
// access logs and metrics can tell the case apart. The number is nginx's
// convention.
const StatusClientClosedRequest = 499

// StatusName returns the reason phrase for code ("Not Found"), "Client
// Closed Request" for 499, and "Error NNN" for codes without one.
func StatusName(code int) string {
	if code == StatusClientClosedRequest {
		return "Client Closed Request"
	}
	if t := http.StatusText(code); t != "" {
		return t
	}
	return "Error " + strconv.Itoa(code)
}

// StatusDescription returns the default public description for code: a
// sentence for every standard 4xx and 5xx status, and a generic one by class
// for the rest.
func StatusDescription(code int) string {
	if code >= 0 && code < len(descriptions) && descriptions[code] != "" {
		return descriptions[code]
	}
	switch {
	case code >= 400 && code < 500:
		return generic4xx
	case code >= 500 && code < 600:
		return generic5xx
	}
	return genericOther
}

// The descriptions of statuses without a sentence of their own, by class.
const (
	generic4xx   = "The request could not be processed."
	generic5xx   = "The server could not complete the request."
	genericOther = "The request could not be completed."
)

// descriptions are written for the people who read error pages: what went
// wrong and, where it helps, what to do next. Never internal detail.
var descriptions = [...]string{
	400: "The request could not be understood. Check its syntax and parameters.",
	401: "You need to sign in to access this resource.",
	402: "Payment is required to access this resource.",
	403: "You do not have permission to access this resource.",
	404: "The requested URL was not found on this server.",
	405: "This method is not allowed for the requested URL.",
	406: "The server cannot produce a response in any of the formats the request accepts.",
	407: "You need to authenticate with the proxy first.",
	408: "The server timed out waiting for the request.",
	409: "The request conflicts with the current state of the resource.",
	410: "The requested resource is no longer available and will not be again.",
	411: "The request must state its Content-Length.",
	412: "A precondition in the request headers was not met.",
	413: "The request body is larger than the server will process.",
	414: "The request URL is longer than the server will process.",
	415: "The request body is in a format the server does not support.",
	416: "The requested range cannot be satisfied.",
	417: "The expectation in the Expect header cannot be met.",
	418: "The server refuses to brew coffee because it is a teapot.",
	421: "The request was sent to a server that cannot answer it.",
	422: "The request was well-formed but its content is invalid.",
	423: "The resource is locked.",
	424: "The request failed because a request it depends on failed.",
	425: "The server will not process a request that might be replayed.",
	426: "The client must switch to a different protocol.",
	428: "The request must be conditional.",
	429: "Too many requests were sent in a given amount of time. Try again later.",
	431: "The request headers are too large.",
	451: "The resource is unavailable for legal reasons.",
	499: "The client closed the connection before the response was sent.",
	500: "The server encountered an internal error and could not complete the request.",
	501: "The server does not support the functionality required to fulfil the request.",
	502: "The server received an invalid response from an upstream server.",
	503: "The service is temporarily unavailable. Try again later.",
	504: "An upstream server did not respond in time.",
	505: "The HTTP version of the request is not supported.",
	506: "The server has an internal configuration error.",
	507: "The server is out of storage space for this request.",
	508: "The server detected an infinite loop while processing the request.",
	510: "The request needs further extensions to be fulfilled.",
	511: "You need to authenticate to gain network access.",
}

// isDefault reports whether s is the name or the description of some
// status 100–999, which follows an *Error's Code (see Error).
func isDefault(s string) bool { return defaults[s] }

// defaults holds the names and descriptions of the statuses 100–999. It is
// never written after it is built.
var defaults = func() map[string]bool {
	m := map[string]bool{}
	for code := 100; code <= 999; code++ {
		m[StatusName(code)] = true
		m[StatusDescription(code)] = true
	}
	return m
}()
