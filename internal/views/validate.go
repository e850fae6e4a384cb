package views

import (
	"fmt"
	"net/http"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/vms-project/vms/internal/httpx"
)

// input is the body of POST and PUT: the whole view.
type input struct {
	Name   *string  `json:"name"`
	Layout *int     `json:"layout"`
	Cells  []*int64 `json:"cells"`
}

// validate checks the body and that every camera is one the caller may
// see; a camera outside the scope is "unknown camera", exactly like one
// that does not exist.
func (in input) validate(r *http.Request, scope Scope) (View, error) {
	if in.Name == nil {
		return View{}, &httpx.RequestError{Field: "name", Message: "name: required"}
	}
	name := strings.TrimSpace(*in.Name)
	if n := utf8.RuneCountInString(name); n < 1 || n > MaxNameLen {
		return View{}, &httpx.RequestError{Field: "name", Message: fmt.Sprintf("name: must be 1 to %d characters", MaxNameLen)}
	}
	if in.Layout == nil {
		return View{}, &httpx.RequestError{Field: "layout", Message: "layout: required (1, 4, 9 or 16)"}
	}
	if !slices.Contains(Layouts, *in.Layout) {
		return View{}, &httpx.RequestError{Field: "layout", Message: fmt.Sprintf("layout: must be 1, 4, 9 or 16, got %d", *in.Layout)}
	}
	if len(in.Cells) > *in.Layout {
		return View{}, &httpx.RequestError{Field: "cells",
			Message: fmt.Sprintf("cells: %d cells do not fit a layout of %d", len(in.Cells), *in.Layout)}
	}
	for i, id := range in.Cells {
		if id == nil {
			continue
		}
		field := fmt.Sprintf("cells[%d]", i)
		ok := *id > 0
		if ok {
			var err error
			if ok, err = scope.CanSee(r, *id); err != nil {
				return View{}, fmt.Errorf("views: %s: %w", field, err)
			}
		}
		if !ok {
			return View{}, &httpx.RequestError{Field: field, Message: fmt.Sprintf("%s: unknown camera %d", field, *id)}
		}
	}
	return View{Name: name, Layout: *in.Layout, Cells: nonNil(in.Cells)}, nil
}
