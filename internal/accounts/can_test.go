package accounts

import (
	"errors"
	"fmt"
	"testing"

	"github.com/vms-project/vms/internal/httpx"
)

// TestCanMatrix checks every role × relation × action. Each role is bound
// to district 703 (Thành phố Tây Ninh): its own unit is 703, a sibling is
// district 705, the parent is province 72, a child is ward 25459. Inside
// the scope (own, child) the role's grants apply; outside it (sibling,
// parent) every action is not found, never forbidden.
func TestCanMatrix(t *testing.T) {
	tree := seedTree(t)
	relations := []struct {
		name, unit string
		inScope    bool
	}{
		{"own", "703", true},
		{"sibling", "705", false},
		{"parent", "72", false},
		{"child", "25459", true},
	}
	// granted is the expected matrix, spelled out rather than derived.
	granted := map[Role][]Action{
		RoleAdmin: {ActionCameraView, ActionCameraStatus, ActionCameraCreate, ActionCameraUpdate, ActionCameraDelete,
			ActionUnitManage, ActionUserManage, ActionAuditRead, ActionDashboardView},
		RoleProvince: {ActionCameraView, ActionCameraStatus, ActionDashboardView},
		RoleDistrict: {ActionCameraView, ActionCameraStatus, ActionDashboardView},
		RolePolice:   {ActionCameraView, ActionCameraStatus},
		RoleCommune:  {ActionCameraView, ActionCameraStatus, ActionDashboardView},
	}
	type tc struct {
		name string
		p    Principal
		a    Action
		res  Resource
		want error // nil, ErrNotFound or ErrForbidden
	}
	var cases []tc
	for _, role := range Roles() {
		p := Principal{UserID: 1, Username: "u", Role: role, Unit: "703", Tree: tree}
		for _, rel := range relations {
			for _, a := range Actions() {
				var want error
				switch {
				case !rel.inScope:
					want = ErrNotFound
				case !contains(granted[role], a):
					want = ErrForbidden
				}
				cases = append(cases, tc{fmt.Sprintf("%s/%s/%s", role, rel.name, a), p, a, Resource{Unit: rel.unit}, want})
			}
		}
	}
	if len(cases) != 5*4*9 {
		t.Fatalf("%d cases, want 180", len(cases))
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			checkCan(t, c.p, c.a, c.res, c.want)
		})
	}
}

// TestCanCases covers bindings as deployed and the edges of the decision.
func TestCanCases(t *testing.T) {
	tree := seedTree(t)
	at := func(role Role, unit string) Principal {
		return Principal{UserID: 7, Username: "x", Role: role, Unit: unit, Tree: tree}
	}
	mustChange := at(RoleAdmin, "72")
	mustChange.MustChangePassword = true
	mustChangeCommune := at(RoleCommune, "25459")
	mustChangeCommune.MustChangePassword = true
	noTree := at(RoleProvince, "72")
	noTree.Tree = nil
	cases := []struct {
		name string
		p    Principal
		a    Action
		res  Resource
		want error
	}{
		{"province sees a ward camera", at(RoleProvince, "72"), ActionCameraView, Resource{Unit: "25459"}, nil},
		{"province dashboard of a district", at(RoleProvince, "72"), ActionDashboardView, Resource{Unit: "705"}, nil},
		{"province may not create cameras", at(RoleProvince, "72"), ActionCameraCreate, Resource{Unit: "703"}, ErrForbidden},
		{"commune sees its own cameras", at(RoleCommune, "25459"), ActionCameraView, Resource{Unit: "25459"}, nil},
		{"commune its own figures", at(RoleCommune, "25459"), ActionDashboardView, Resource{Unit: "25459"}, nil},
		{"commune not a sibling ward", at(RoleCommune, "25459"), ActionCameraView, Resource{Unit: "25456"}, ErrNotFound},
		{"commune not its district", at(RoleCommune, "25459"), ActionCameraView, Resource{Unit: "703"}, ErrNotFound},
		{"commune creating a camera", at(RoleCommune, "25459"), ActionCameraCreate, Resource{Unit: "25459"}, ErrForbidden},
		{"police audit of own district", at(RolePolice, "703"), ActionAuditRead, Resource{Unit: "703"}, ErrForbidden},
		{"police camera status", at(RolePolice, "703"), ActionCameraStatus, Resource{Unit: "25459"}, nil},
		{"police dashboards", at(RolePolice, "703"), ActionDashboardView, Resource{Unit: "703"}, ErrForbidden},
		{"police other district live", at(RolePolice, "703"), ActionCameraView, Resource{Unit: "25501"}, ErrNotFound},
		{"unknown unit is not found", at(RoleProvince, "72"), ActionCameraView, Resource{Unit: "99999"}, ErrNotFound},
		{"empty unit is not found", at(RoleAdmin, "72"), ActionCameraView, Resource{}, ErrNotFound},
		{"district admin creates a commune account", at(RoleAdmin, "703"), ActionUserManage, Resource{Unit: "25459", Role: RoleCommune}, nil},
		{"district admin creates a peer admin", at(RoleAdmin, "703"), ActionUserManage, Resource{Unit: "703", Role: RoleAdmin}, nil},
		{"district admin cannot create a province admin", at(RoleAdmin, "703"), ActionUserManage, Resource{Unit: "72", Role: RoleAdmin}, ErrNotFound},
		{"district admin cannot touch another district's users", at(RoleAdmin, "703"), ActionUserManage, Resource{Unit: "25501"}, ErrNotFound},
		{"commune account on a district", at(RoleAdmin, "72"), ActionUserManage, Resource{Unit: "703", Role: RoleCommune}, ErrInvalid},
		{"district account on a commune", at(RoleAdmin, "72"), ActionUserManage, Resource{Unit: "25459", Role: RoleDistrict}, ErrInvalid},
		{"police on a commune is fine", at(RoleAdmin, "72"), ActionUserManage, Resource{Unit: "25459", Role: RolePolice}, nil},
		{"must change password: in scope", mustChange, ActionCameraView, Resource{Unit: "703"}, ErrForbidden},
		{"must change password: out of scope still hidden", mustChangeCommune, ActionCameraView, Resource{Unit: "705"}, ErrNotFound},
		{"anonymous", Principal{}, ActionCameraView, Resource{Unit: "72"}, ErrUnauthenticated},
		{"unknown role", at("mayor", "72"), ActionCameraView, Resource{Unit: "72"}, ErrUnauthenticated},
		{"no tree means no scope", noTree, ActionCameraView, Resource{Unit: "72"}, ErrNotFound},
		{"unknown action", at(RoleAdmin, "72"), Action("camera.explode"), Resource{Unit: "72"}, ErrForbidden},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { checkCan(t, c.p, c.a, c.res, c.want) })
	}
}

func checkCan(t *testing.T, p Principal, a Action, res Resource, want error) {
	t.Helper()
	err := Can(p, a, res)
	switch {
	case want == nil && err != nil:
		t.Fatalf("Can(%s@%s, %s, %s) = %v, want nil", p.Role, p.Unit, a, res.Unit, err)
	case want != nil && !errors.Is(err, want):
		t.Fatalf("Can(%s@%s, %s, %s) = %v, want %v", p.Role, p.Unit, a, res.Unit, err, want)
	case errors.Is(want, ErrNotFound) && errors.Is(err, ErrForbidden):
		t.Fatalf("out of scope must not be forbidden: %v", err)
	}
}

func contains[T comparable](list []T, v T) bool {
	for _, x := range list {
		if x == v {
			return true
		}
	}
	return false
}

// TestCanErrorsMapThroughHTTPX: the relay and camera handlers answer with
// httpx.WriteError, so Can's kinds must be httpx's.
func TestCanErrorsMapThroughHTTPX(t *testing.T) {
	tree := seedTree(t)
	p := Principal{UserID: 1, Role: RolePolice, Unit: "703", Tree: tree}
	cases := []struct {
		name   string
		p      Principal
		a      Action
		unit   string
		status int
	}{
		{"out of scope", p, ActionCameraView, "705", 404},
		{"forbidden", p, ActionAuditRead, "703", 403},
		{"anonymous", Principal{}, ActionCameraView, "703", 401},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			err := Can(c.p, c.a, Resource{Unit: c.unit})
			if got := httpx.Status(err); got != c.status || StatusOf(err) != c.status {
				t.Fatalf("httpx.Status = %d, StatusOf = %d, want %d", got, StatusOf(err), c.status)
			}
		})
	}
}
