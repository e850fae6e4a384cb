// Package views keeps each user's saved grid layouts ("views"): a name, a
// layout of 1, 4, 9 or 16 tiles and the camera of each tile. A user sees
// and changes only their own views; which cameras they may put in a tile
// is asked of a Scope the composition root provides.
package views

import (
	"net/http"
	"time"
)

// Layouts are the grid sizes a view may have.
var Layouts = []int{1, 4, 9, 16}

// MaxNameLen is the longest view name, in characters.
const MaxNameLen = 100

// View is one saved layout. Cells holds a camera id per tile, nil for an
// empty tile; len(Cells) ≤ Layout.
type View struct {
	ID        int64
	UserID    int64
	Name      string
	Layout    int
	Cells     []*int64
	CreatedAt time.Time
	UpdatedAt time.Time
}

// Scope is what the handlers need to know about the caller.
type Scope interface {
	// Owner returns the id of the user making the request, or an error
	// wrapping httpx.ErrUnauthorized.
	Owner(r *http.Request) (int64, error)
	// CanSee reports whether the caller may view the camera now; false for
	// a camera that does not exist. An error is a failure (500), not "no".
	CanSee(r *http.Request, cameraID int64) (bool, error)
}
