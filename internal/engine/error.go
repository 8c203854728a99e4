package engine

import (
	"net/http"
	"strconv"
	"time"

	"github.com/echoerr/echoerr/httperr"
)

// The types and texts the faces share live in the public package httperr;
// the engine names them here.
type (
	Error      = httperr.Error
	Describer  = httperr.Describer
	Extender   = httperr.Extender
	Headerer   = httperr.Headerer
	MediaTyper = httperr.MediaTyper
)

// StatusClientClosedRequest is httperr's.
const StatusClientClosedRequest = httperr.StatusClientClosedRequest

// StatusName and StatusDescription are httperr's.
var (
	StatusName        = httperr.StatusName
	StatusDescription = httperr.StatusDescription
)

// withDefaults returns e with the name and default description of its code
// where they are missing, or where they are the defaults of another code (a
// handler took FromError(err) and changed only Code).
func withDefaults(e Error) Error {
	fillDefaults(&e)
	return e
}

// fillDefaults is withDefaults in place. A text that already is its
// code's default is left as it is without a look at the tables.
func fillDefaults(e *Error) {
	if name := StatusName(e.Code); e.Name != name && (e.Name == "" || defaultNames[e.Name]) {
		e.Name = name
	}
	if desc := StatusDescription(e.Code); e.Description != desc && (e.Description == "" || defaultDescriptions[e.Description]) {
		e.Description = desc
	}
}

// ownDescription is e's Description unless it is a status's default, which
// says nothing of its own: "" then.
func ownDescription(e *Error) string {
	if defaultDescriptions[e.Description] {
		return ""
	}
	return e.Description
}

// defaultText reports whether e's public text is its status's default,
// which quotes nothing and so needs no redaction.
func defaultText(e *Error) bool {
	return len(e.Extensions) == 0 && e.Description == StatusDescription(e.Code)
}

// defaultNames and defaultDescriptions hold the texts StatusName and
// StatusDescription give the statuses 100–999: a text among them is a
// default, which follows an *Error's Code. They are never written after
// they are built.
var defaultNames, defaultDescriptions = defaultTexts()

func defaultTexts() (names, descs map[string]bool) {
	names, descs = map[string]bool{}, map[string]bool{}
	for code := 100; code <= 999; code++ {
		names[StatusName(code)] = true
		descs[StatusDescription(code)] = true
	}
	return names, descs
}

// StatusCoder is implemented by errors that know their HTTP status (Echo
// v5's HTTPStatusCoder).
type StatusCoder interface {
	StatusCode() int
}

// NewError returns an *Error with the given status and public description.
func NewError(code int, description string) *Error {
	return &Error{Code: code, Description: description}
}

// Unauthorized returns a 401 error with the given public description whose
// WWW-Authenticate header carries challenge, as RFC 9110 requires.
func Unauthorized(description, challenge string) *Error {
	return &Error{
		Code:        http.StatusUnauthorized,
		Description: description,
		Header:      http.Header{"Www-Authenticate": {challenge}},
	}
}

// maxRetryAfter bounds Retry-After, so that a huge duration never wraps
// into a negative or absurd number of seconds: a year.
const maxRetryAfter = 365 * 24 * time.Hour

// WithRetryAfter returns an error with status code and the public
// description whose Retry-After header is retryAfter in whole seconds,
// rounded up and at most a year. A retryAfter that is not positive sends no
// header.
func WithRetryAfter(code int, description string, retryAfter time.Duration) *Error {
	e := &Error{Code: code, Description: description}
	if retryAfter > 0 {
		retryAfter = min(retryAfter, maxRetryAfter)
		secs := (retryAfter + time.Second - 1) / time.Second
		e.Header = http.Header{"Retry-After": {strconv.FormatInt(int64(secs), 10)}}
	}
	return e
}

// validStatus reports whether an error response can carry code. Statuses
// below 200 are informational: net/http would send them as interim
// responses and then answer 200.
func validStatus(code int) bool { return code >= 200 && code <= 999 }
