package engine

import "github.com/echoerr/echoerr/httperr"

// The page data's types are httperr's.
type (
	PageData      = httperr.PageData
	PageExtension = httperr.PageExtension
)
