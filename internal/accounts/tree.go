package accounts

import (
	"fmt"
	"sort"
)

// Tree is an immutable snapshot of the units, built once and shared by every
// Principal authenticated while it is current. A nil *Tree is empty.
type Tree struct {
	units    map[string]Unit
	children map[string][]string // sorted codes
	roots    []string            // sorted codes
}

// NewTree builds a tree, rejecting duplicate codes, unknown parents and
// cycles. It does not check levels (ImportUnits does).
func NewTree(units []Unit) (*Tree, error) {
	t := &Tree{units: make(map[string]Unit, len(units)), children: map[string][]string{}}
	for _, u := range units {
		if _, dup := t.units[u.Code]; dup {
			return nil, fmt.Errorf("%w: unit %q listed twice", ErrInvalid, u.Code)
		}
		t.units[u.Code] = u
	}
	for _, u := range units {
		switch _, ok := t.units[u.ParentCode]; {
		case u.ParentCode == "":
			t.roots = append(t.roots, u.Code)
		case !ok:
			return nil, fmt.Errorf("%w: unit %q: parent %q not found", ErrInvalid, u.Code, u.ParentCode)
		default:
			t.children[u.ParentCode] = append(t.children[u.ParentCode], u.Code)
		}
	}
	if code, ok := t.findCycle(); ok {
		return nil, fmt.Errorf("%w: unit %q: parent chain forms a cycle", ErrInvalid, code)
	}
	sort.Strings(t.roots)
	for _, c := range t.children {
		sort.Strings(c)
	}
	return t, nil
}

// findCycle returns a unit on a parent cycle: every unit must reach a root
// in at most len(units) steps.
func (t *Tree) findCycle() (string, bool) {
	codes := make([]string, 0, len(t.units))
	for c := range t.units {
		codes = append(codes, c)
	}
	sort.Strings(codes)
	for _, c := range codes {
		cur := c
		for steps := 0; cur != ""; steps++ {
			if steps > len(t.units) {
				return c, true
			}
			cur = t.units[cur].ParentCode
		}
	}
	return "", false
}

// Len is the number of units.
func (t *Tree) Len() int {
	if t == nil {
		return 0
	}
	return len(t.units)
}

// Unit returns the unit with the given code.
func (t *Tree) Unit(code string) (Unit, bool) {
	if t == nil {
		return Unit{}, false
	}
	u, ok := t.units[code]
	return u, ok
}

// Roots returns the top-level units, sorted by code.
func (t *Tree) Roots() []Unit {
	if t == nil {
		return nil
	}
	return t.lookup(t.roots)
}

// Children returns the direct children of code, sorted by code.
func (t *Tree) Children(code string) []Unit {
	if t == nil {
		return nil
	}
	return t.lookup(t.children[code])
}

func (t *Tree) lookup(codes []string) []Unit {
	out := make([]Unit, len(codes))
	for i, c := range codes {
		out[i] = t.units[c]
	}
	return out
}
