package accounts

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestBulkCreateCommuneAccounts(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	communes := 0
	for _, u := range f.svc.Tree().Subtree("703") {
		if u.Level == LevelCommune {
			communes++
		}
	}
	// One commune already has an account; another's name is taken by a
	// non-commune account.
	f.createUser(t, "existing", RoleCommune, "25456")
	f.createUser(t, "xa-25459", RolePolice, "703")

	creds, err := f.svc.BulkCreateCommuneAccounts(ctx, f.admin, "703")
	if err != nil {
		t.Fatal(err)
	}
	if len(creds) != communes-1 {
		t.Fatalf("%d accounts, want %d", len(creds), communes-1)
	}
	byUnit := map[string]Credential{}
	for _, c := range creds {
		byUnit[c.UnitCode] = c
		if len(c.Password) < MinPasswordLen || !strings.HasPrefix(c.Username, "xa-"+c.UnitCode) {
			t.Errorf("credential %+v", c)
		}
	}
	if _, ok := byUnit["25456"]; ok {
		t.Error("commune with an account got another")
	}
	if c := byUnit["25459"]; c.Username != "xa-25459-2" {
		t.Errorf("taken name: got %q", c.Username)
	}
	// First login works and forces a change.
	c := byUnit["25462"]
	p := f.login(t, c.Username, c.Password)
	if !p.MustChangePassword || p.Role != RoleCommune || p.Unit != "25462" {
		t.Fatalf("principal %+v", p)
	}
	// One audit row per account, without the password.
	entries, err := f.svc.Audit().List(ctx, AuditFilter{Kind: KindUserCreate, Units: []string{"25462"}})
	if err != nil || len(entries) != 1 || strings.Contains(entries[0].Hash+toJSON(t, entries[0].Detail), c.Password) {
		t.Fatalf("audit %+v, %v", entries, err)
	}
	// Running again creates nothing.
	again, err := f.svc.BulkCreateCommuneAccounts(ctx, f.admin, "703")
	if err != nil || len(again) != 0 {
		t.Fatalf("second run: %d accounts, %v", len(again), err)
	}
}

func TestBulkCreateScope(t *testing.T) {
	ctx := context.Background()
	f := newFixture(t)
	districtAdmin := f.createUser(t, "it-703", RoleAdmin, "703")
	district := f.createUser(t, "viewer-703", RoleDistrict, "703")
	cases := []struct {
		name string
		p    Principal
		unit string
		want error
	}{
		{"district admin, other district", districtAdmin, "705", ErrNotFound},
		{"district admin, the province", districtAdmin, "72", ErrNotFound},
		{"district viewer", district, "703", ErrForbidden},
		{"unknown unit", f.admin, "00000", ErrNotFound},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			before := f.count(t, "users")
			if _, err := f.svc.BulkCreateCommuneAccounts(ctx, c.p, c.unit); !errors.Is(err, c.want) {
				t.Fatalf("= %v, want %v", err, c.want)
			}
			if n := f.count(t, "users"); n != before {
				t.Fatalf("users %d → %d", before, n)
			}
		})
	}
	creds, err := f.svc.BulkCreateCommuneAccounts(ctx, districtAdmin, "703")
	if err != nil || len(creds) == 0 {
		t.Fatalf("own district: %d, %v", len(creds), err)
	}
}
