package accounts

// Contains reports whether code is ancestor itself or lies below it. Unknown
// codes are contained in nothing.
func (t *Tree) Contains(ancestor, code string) bool {
	if t == nil {
		return false
	}
	if _, ok := t.units[ancestor]; !ok {
		return false
	}
	for cur := code; cur != ""; {
		u, ok := t.units[cur]
		if !ok {
			return false
		}
		if cur == ancestor {
			return true
		}
		cur = u.ParentCode
	}
	return false
}

// Path returns the units from the root down to code, inclusive, or nil for
// an unknown code.
func (t *Tree) Path(code string) []Unit {
	if t == nil {
		return nil
	}
	var rev []Unit
	for cur := code; cur != ""; {
		u, ok := t.units[cur]
		if !ok {
			return nil
		}
		rev = append(rev, u)
		cur = u.ParentCode
	}
	out := make([]Unit, len(rev))
	for i, u := range rev {
		out[len(rev)-1-i] = u
	}
	return out
}

// Subtree returns code and everything below it in depth-first order,
// children sorted by code; nil for an unknown code.
func (t *Tree) Subtree(code string) []Unit {
	if t == nil {
		return nil
	}
	if _, ok := t.units[code]; !ok {
		return nil
	}
	var out []Unit
	var walk func(string)
	walk = func(c string) {
		out = append(out, t.units[c])
		for _, k := range t.children[c] {
			walk(k)
		}
	}
	walk(code)
	return out
}

// SubtreeCodes is Subtree reduced to the codes.
func (t *Tree) SubtreeCodes(code string) []string {
	units := t.Subtree(code)
	out := make([]string, len(units))
	for i, u := range units {
		out[i] = u.Code
	}
	return out
}

// All returns every unit, roots first, each followed by its subtree.
func (t *Tree) All() []Unit {
	var out []Unit
	for _, r := range t.Roots() {
		out = append(out, t.Subtree(r.Code)...)
	}
	return out
}
