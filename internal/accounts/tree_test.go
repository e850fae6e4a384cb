package accounts

import (
	"errors"
	"slices"
	"testing"
)

func TestTreeSeed(t *testing.T) {
	tree := seedTree(t)
	if tree.Len() != 104 {
		t.Fatalf("seed has %d units, want 104", tree.Len())
	}
	if roots := tree.Roots(); len(roots) != 1 || roots[0].Code != "72" {
		t.Fatalf("roots = %v, want [72]", roots)
	}
	cases := []struct {
		ancestor, code string
		want           bool
	}{
		{"72", "72", true},
		{"72", "25459", true},
		{"703", "25459", true},
		{"705", "25459", false},
		{"25459", "703", false},
		{"72", "99999", false},
		{"99999", "99999", false},
		{"", "72", false},
	}
	for _, c := range cases {
		if got := tree.Contains(c.ancestor, c.code); got != c.want {
			t.Errorf("Contains(%q, %q) = %v, want %v", c.ancestor, c.code, got, c.want)
		}
	}
	var path []string
	for _, u := range tree.Path("25459") {
		path = append(path, u.Code)
	}
	if !slices.Equal(path, []string{"72", "703", "25459"}) {
		t.Errorf("Path(25459) = %v", path)
	}
	if tree.Path("nope") != nil {
		t.Error("Path of an unknown code should be nil")
	}
	sub := tree.SubtreeCodes("703")
	if sub[0] != "703" || len(sub) != 1+len(tree.Children("703")) {
		t.Errorf("Subtree(703) = %v", sub)
	}
	var nilTree *Tree
	if nilTree.Contains("72", "72") || nilTree.Len() != 0 || nilTree.Subtree("72") != nil {
		t.Error("nil tree should be empty")
	}
}

func TestNewTreeRejects(t *testing.T) {
	cases := []struct {
		name  string
		units []Unit
	}{
		{"duplicate", []Unit{{Code: "1", Level: LevelProvince}, {Code: "1", Level: LevelProvince}}},
		{"unknown parent", []Unit{{Code: "1", Level: LevelProvince, ParentCode: "9"}}},
		{"cycle", []Unit{{Code: "1", ParentCode: "2"}, {Code: "2", ParentCode: "1"}}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			if _, err := NewTree(c.units); !errors.Is(err, ErrInvalid) {
				t.Fatalf("NewTree = %v, want ErrInvalid", err)
			}
		})
	}
}
