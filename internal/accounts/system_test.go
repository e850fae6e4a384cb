package accounts

import (
	"context"
	"errors"
	"strconv"
	"strings"
	"testing"
	"time"
)

func TestCreateUserAsSystem(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	tests := []struct {
		name      string
		in        NewUser
		wantField string // "" = success
	}{
		{"chosen password", NewUser{Username: "Ops", Role: RoleAdmin, UnitCode: "72", Password: "a long enough one"}, ""},
		{"generated password", NewUser{Username: "cb-phuong1", Role: RolePolice, UnitCode: "25456"}, ""},
		{"bad username", NewUser{Username: "-x", Role: RoleAdmin, UnitCode: "72"}, "username"},
		{"bad role", NewUser{Username: "x1", Role: "boss", UnitCode: "72"}, "role"},
		{"unknown unit", NewUser{Username: "x2", Role: RoleAdmin, UnitCode: "99999"}, "unit"},
		{"role does not fit level", NewUser{Username: "x3", Role: RoleCommune, UnitCode: "703"}, "role"},
		{"weak password", NewUser{Username: "x4", Role: RoleAdmin, UnitCode: "72", Password: "short"}, "password"},
		{"taken", NewUser{Username: "admin", Role: RoleAdmin, UnitCode: "72"}, "username"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			u, generated, err := f.svc.CreateUserAsSystem(ctx, tt.in)
			if tt.wantField != "" {
				var named interface{ ErrorField() string }
				if !errors.As(err, &named) || named.ErrorField() != tt.wantField {
					t.Fatalf("err = %v, want a %q field error", err, tt.wantField)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			if (generated != "") != (tt.in.Password == "") || u.MustChangePassword != (generated != "") {
				t.Errorf("generated %q, must change %v, for given password %q", generated, u.MustChangePassword, tt.in.Password)
			}
			password := tt.in.Password + generated
			if _, err := f.svc.Login(ctx, u.Username, password, "192.0.2.1:1"); err != nil {
				t.Errorf("login with the new password: %v", err)
			}
			if e := f.lastAudit(t); e.Kind != KindLoginSuccess {
				t.Errorf("last audit %s", e.Kind)
			}
		})
	}
}

func TestSetPasswordAndDisableAsSystem(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.createUser(t, "viewer", RoleDistrict, "703")
	var revoked []int64
	f.svc.OnUserDisabled(func(id int64) { revoked = append(revoked, id) })
	u, _ := f.svc.Store().UserByUsername(ctx, "viewer")

	generated, err := f.svc.SetPasswordAsSystem(ctx, "viewer", "")
	if err != nil || generated == "" {
		t.Fatalf("generated %q, %v", generated, err)
	}
	if n := f.count(t, "sessions WHERE user_id = "+strconv.FormatInt(u.ID, 10)); n != 0 {
		t.Errorf("%d sessions survive a password reset", n)
	}
	if p := f.login(t, "viewer", generated); !p.MustChangePassword {
		t.Error("a generated password must be changed at first login")
	}
	if _, err := f.svc.SetPasswordAsSystem(ctx, "viewer", "viewer"); err == nil {
		t.Error("the username was accepted as password")
	}
	if _, err := f.svc.SetPasswordAsSystem(ctx, "nobody", ""); !errors.Is(err, ErrNotFound) {
		t.Errorf("unknown user: %v", err)
	}
	if generated, err := f.svc.SetPasswordAsSystem(ctx, "viewer", "chosen by ops"); err != nil || generated != "" {
		t.Fatalf("chosen password: %q, %v", generated, err)
	}
	if p := f.login(t, "viewer", "chosen by ops"); p.MustChangePassword {
		t.Error("a chosen password is forced to change")
	}

	if _, err := f.svc.SetDisabledAsSystem(ctx, "viewer", true); err != nil {
		t.Fatal(err)
	}
	if _, err := f.svc.Login(ctx, "viewer", "chosen by ops", "192.0.2.1:1"); !errors.Is(err, ErrAccountDisabled) {
		t.Errorf("login of a disabled account: %v", err)
	}
	if err := f.svc.CheckViewer(ctx, u.ID, "703"); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("CheckViewer of a disabled account: %v", err)
	}
	if _, err := f.svc.SetDisabledAsSystem(ctx, "viewer", false); err != nil {
		t.Fatal(err)
	}
	if err := f.svc.CheckViewer(ctx, u.ID, "703"); err != nil {
		t.Errorf("CheckViewer after enabling: %v", err)
	}
	if want := []int64{u.ID, u.ID, u.ID}; len(revoked) != len(want) {
		t.Errorf("OnUserDisabled fired for %v, want %v (two password sets, one disable)", revoked, want)
	}
	kinds := strings.Join(f.auditKinds(t), " ")
	if !strings.Contains(kinds, "password.change") || !strings.Contains(kinds, "user.update") {
		t.Errorf("audit kinds %s", kinds)
	}
	if _, err := f.svc.Audit().Verify(ctx); err != nil {
		t.Error(err)
	}
}

func TestCheckViewer(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	f.createUser(t, "d703", RoleDistrict, "703")
	u, _ := f.svc.Store().UserByUsername(ctx, "d703")
	tests := []struct {
		unit string
		want error
	}{
		{"703", nil}, {"25456", nil}, {"705", ErrNotFound}, {"72", ErrNotFound}, {"nope", ErrNotFound},
	}
	for _, tt := range tests {
		if err := f.svc.CheckViewer(ctx, u.ID, tt.unit); !errors.Is(err, tt.want) || (tt.want == nil) != (err == nil) {
			t.Errorf("unit %s: %v, want %v", tt.unit, err, tt.want)
		}
	}
	if err := f.svc.CheckViewer(ctx, 9999, "703"); !errors.Is(err, ErrUnauthenticated) {
		t.Errorf("unknown user: %v", err)
	}
}

func TestRecordLiveView(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	v := LiveView{UserID: 7, Username: "u", RemoteAddr: "192.0.2.9", CameraID: 3, CameraName: "Quầy 1", UnitCode: "703"}
	f.svc.RecordLiveStart(ctx, v)
	f.svc.RecordLiveStop(ctx, v, 90*time.Second, "account disabled")
	e := f.lastAudit(t)
	if e.Kind != KindLiveStop || e.UserID != 7 || e.CameraID != 3 || e.RemoteAddr != "192.0.2.9" || e.UnitCode != "703" ||
		e.Detail["duration_seconds"] != 90.0 || e.Detail["reason"] != "account disabled" {
		t.Errorf("stop row %+v", e)
	}
}

func TestImportUnitsAsSystem(t *testing.T) {
	f := newFixture(t)
	ctx := context.Background()
	csv := "code,name,level,kind,parent_code\n99001,Xã Thử,commune,Xã,705\n"
	res, err := f.svc.ImportUnitsAsSystem(ctx, strings.NewReader(csv))
	if err != nil || res.Created != 1 {
		t.Fatalf("%+v, %v", res, err)
	}
	if !f.svc.Tree().Contains("705", "99001") {
		t.Error("the tree was not replaced")
	}
	if _, err := f.svc.ImportUnitsAsSystem(ctx, strings.NewReader("code,name,level,kind,parent_code\n99002,X,commune,Xã,nope\n")); !errors.Is(err, ErrInvalid) {
		t.Errorf("bad parent: %v", err)
	}
	if e := f.lastAudit(t); e.Kind != KindUnitImport || e.Detail["by"] != "cli" {
		t.Errorf("last audit %+v", e)
	}
}
