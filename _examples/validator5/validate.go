package main

import (
	"encoding/json"
	"fmt"
	"net/http"
	"reflect"
	"strings"

	"github.com/go-playground/locales/en"
	ut "github.com/go-playground/universal-translator"
	"github.com/go-playground/validator/v10"
	entranslations "github.com/go-playground/validator/v10/translations/en"
	"github.com/labstack/echo/v5"

	echoerr "github.com/echoerr/echoerr/v5"
)

// structValidator is Echo's e.Validator backed by go-playground/validator.
// It reports fields by the names clients send (the json tag), and its
// errors are translated into English sentences by invalidFields.
type structValidator struct {
	v     *validator.Validate
	trans ut.Translator
}

func newValidator() *structValidator {
	v := validator.New(validator.WithRequiredStructEnabled())
	v.RegisterTagNameFunc(func(f reflect.StructField) string {
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		switch name {
		case "-":
			return ""
		case "":
			return f.Name
		}
		return name
	})
	trans, _ := ut.New(en.New()).GetTranslator("en")
	if err := entranslations.RegisterDefaultTranslations(v, trans); err != nil {
		panic(err)
	}
	return &structValidator{v: v, trans: trans}
}

// Validate returns validator.ValidationErrors for invalid input, and
// *validator.InvalidValidationError for input that is not a struct (a bug).
func (sv *structValidator) Validate(i any) error {
	return sv.v.Struct(i)
}

// FieldError is one failing field, as clients get it in the "errors"
// member of a JSON or problem+json body and as the HTML page lists it.
type FieldError struct {
	// Field is the field's path in the request, in the names clients send:
	// "email", "address.country".
	Field string `json:"field"`
	// Rule is the validation rule that failed: "required", "email", "min".
	Rule string `json:"rule"`
	// Param is the rule's parameter ("12" for min=12), or "".
	Param string `json:"param"`
	// Message is an English sentence: "password must be at least 12
	// characters in length".
	Message string `json:"message"`
}

// invalidFields is the echoerr handler for validator.ValidationErrors
// anywhere in the error chain: a 422 whose Extensions hold the failing
// fields under "errors". The values the client sent are not echoed back (a
// password field's would be). The error stays in Err, for the log.
func invalidFields(c *echo.Context, errs validator.ValidationErrors) error {
	var trans ut.Translator
	if sv, ok := c.Echo().Validator.(*structValidator); ok {
		trans = sv.trans
	}
	fields := make([]FieldError, 0, len(errs))
	for _, fe := range errs {
		fields = append(fields, FieldError{
			Field:   fieldPath(fe),
			Rule:    fe.Tag(),
			Param:   fe.Param(),
			Message: message(fe, trans),
		})
	}
	return &echoerr.Error{
		Code:        http.StatusUnprocessableEntity,
		Description: "The request has invalid fields.",
		Err:         errs,
		Extensions:  map[string]any{"errors": fields},
	}
}

// message is the translation of fe, or, for a rule without one (such as
// iso3166_1_alpha2 in English), a sentence that names the field and the
// rule rather than validator's "Key: 'signup.address.country' Error:...".
func message(fe validator.FieldError, trans ut.Translator) string {
	if trans != nil {
		if msg := fe.Translate(trans); msg != fe.Error() {
			return msg
		}
	}
	if fe.Param() != "" {
		return fmt.Sprintf("%s does not satisfy %s=%s", fe.Field(), fe.Tag(), fe.Param())
	}
	return fmt.Sprintf("%s does not satisfy %s", fe.Field(), fe.Tag())
}

// fieldPath is the field's namespace without the top-level struct's name:
// "signup.address.country" becomes "address.country".
func fieldPath(fe validator.FieldError) string {
	if _, rest, ok := strings.Cut(fe.Namespace(), "."); ok {
		return rest
	}
	return fe.Field()
}

// wrongJSONType is the echoerr handler for a JSON body whose field has the
// wrong type ({"age":"old"} for an int). Echo v5's binder answers it with
// echo.ErrBadRequest wrapping the *json.UnmarshalTypeError, whose public
// text names no field (Echo v4's message did); this 400 names it in the
// member "field", as echoerr's v5 face does for an *echo.BindingError. The
// value sent is not echoed back.
func wrongJSONType(c *echo.Context, err *json.UnmarshalTypeError) error {
	if err.Field == "" {
		return err // the whole body has the wrong type: the route's 400 as it is
	}
	return &echoerr.Error{
		Code:        http.StatusBadRequest,
		Description: fmt.Sprintf("The field %s must be of type %s.", err.Field, jsonType(err.Type)),
		Err:         err,
		Extensions:  map[string]any{"field": err.Field},
	}
}

// jsonType names a Go type as a JSON client knows it.
func jsonType(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Bool:
		return "boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Float32, reflect.Float64:
		return "number"
	case reflect.String:
		return "string"
	case reflect.Slice, reflect.Array:
		return "array"
	}
	return "object"
}
