package httperr

import (
	"errors"
	"fmt"
	"net/http"
	"testing"

	"github.com/stretchr/testify/assert"
)

type panicsInError struct{}

func (panicsInError) Error() string { panic("no text") }

func TestErrorTextForLogs(t *testing.T) {
	for _, tc := range []struct {
		name string
		e    *Error
		want string
	}{
		{"a bare code takes its status's name", &Error{Code: 404}, "404 Not Found"},
		{"its own texts", &Error{Code: 409, Name: "Taken", Description: "The name is taken."}, "409 Taken: The name is taken."},
		{"the wrapped error's text follows", &Error{Code: 500, Err: errors.New("db down")}, "500 Internal Server Error: db down"},
		{"a default of another status follows the Code",
			&Error{Code: 404, Name: StatusName(500), Description: StatusDescription(500), Err: errors.New("boom")},
			"404 Not Found: " + StatusDescription(404) + ": boom"},
		{"a wrapped error whose Error panics", &Error{Code: 500, Err: panicsInError{}},
			"500 Internal Server Error: <httperr.panicsInError: Error() panicked: no text>"},
		{"nil", nil, "<nil *httperr.Error>"},
	} {
		t.Run(tc.name, func(t *testing.T) { assert.Equal(t, tc.want, tc.e.Error()) })
	}
}

func TestErrorUnwrapAndStatusCode(t *testing.T) {
	inner := errors.New("inner")
	e := &Error{Code: http.StatusTeapot, Err: inner}
	assert.Same(t, inner, e.Unwrap())
	assert.True(t, errors.Is(fmt.Errorf("wrapped: %w", e), inner))
	assert.Equal(t, http.StatusTeapot, e.StatusCode())
	assert.Nil(t, (*Error)(nil).Unwrap())
	assert.Equal(t, http.StatusInternalServerError, (*Error)(nil).StatusCode())
}

func TestStatusTexts(t *testing.T) {
	for _, tc := range []struct {
		code       int
		name, desc string
	}{
		{404, "Not Found", "The requested URL was not found on this server."},
		{499, "Client Closed Request", "The client closed the connection before the response was sent."},
		{460, "Error 460", "The request could not be processed."},
		{599, "Error 599", "The server could not complete the request."},
		{299, "Error 299", "The request could not be completed."},
	} {
		assert.Equal(t, tc.name, StatusName(tc.code), tc.code)
		assert.Equal(t, tc.desc, StatusDescription(tc.code), tc.code)
	}
}
