package accounts

import (
	"context"
	"errors"
	"strings"
	"testing"
)

func TestImportUnits(t *testing.T) {
	ctx := context.Background()
	const header = "code,name,level,kind,parent_code\n"
	cases := []struct {
		name     string
		as       string // "root" or "district" admin
		csv      string
		wantErr  error
		wantText string // in the error
		check    func(t *testing.T, f *fixture, res ImportResult)
	}{
		{
			name: "children before parents, new two-tier province",
			as:   "root",
			csv: "\ufeff" + header +
				"80001,Phường A,commune,Phường,80\n" +
				"80002,Xã B,commune,Xã,80\n" +
				"80,Tỉnh Mới,province,Tỉnh,\n",
			check: func(t *testing.T, f *fixture, res ImportResult) {
				if res.Created != 3 {
					t.Fatalf("result %+v", res)
				}
				if !f.svc.Tree().Contains("80", "80002") {
					t.Fatal("tree not reloaded")
				}
			},
		},
		{
			name: "rename and add below own district",
			as:   "district",
			csv:  header + "703,Thành phố Tây Ninh (mới),district,Thành phố,72\n99001,Phường Mới,commune,Phường,703\n",
			check: func(t *testing.T, f *fixture, res ImportResult) {
				if res.Created != 1 || res.Updated != 1 {
					t.Fatalf("result %+v", res)
				}
				if u, _ := f.svc.Tree().Unit("703"); u.Name != "Thành phố Tây Ninh (mới)" {
					t.Fatalf("703 = %+v", u)
				}
			},
		},
		{
			name: "reimport of the seed changes nothing",
			as:   "root",
			csv:  string(seedUnitsCSV),
			check: func(t *testing.T, f *fixture, res ImportResult) {
				if res.Unchanged != 104 || res.Created+res.Updated != 0 {
					t.Fatalf("result %+v", res)
				}
			},
		},
		{name: "unterminated quote on line 2", as: "root", wantErr: ErrInvalid, wantText: "line 2",
			csv: header + "\"broken\n"},
		{name: "bad level on line 3", as: "root", wantErr: ErrInvalid, wantText: "line 3: level",
			csv: header + "90,Tỉnh X,province,Tỉnh,\n901,Huyện Y,county,Huyện,90\n"},
		{name: "unknown parent", as: "root", wantErr: ErrInvalid, wantText: `line 2: parent_code: unit "999" not found`,
			csv: header + "901,Huyện Y,district,Huyện,999\n"},
		{name: "cycle", as: "root", wantErr: ErrInvalid, wantText: "cycle",
			csv: header + "91,A,district,,92\n92,B,district,,91\n"},
		{name: "commune above a district", as: "root", wantErr: ErrInvalid, wantText: "line 3: level",
			csv: header + "93,A,commune,,72\n94,B,district,,93\n"},
		{name: "duplicate code", as: "root", wantErr: ErrInvalid, wantText: "line 3: code",
			csv: header + "95,A,district,,72\n95,B,district,,72\n"},
		{name: "missing column", as: "root", wantErr: ErrInvalid, wantText: "parent_code",
			csv: "code,name,level\n95,A,district\n"},
		{name: "broken quoting", as: "root", wantErr: ErrInvalid, wantText: "line 2",
			csv: header + "96,\"A,district,,72\n"},
		{name: "empty", as: "root", wantErr: ErrInvalid, wantText: "line 1", csv: ""},
		{name: "district admin outside its district", as: "district", wantErr: ErrInvalid, wantText: `line 2: parent_code: unit "705" not found`,
			csv: header + "97,A,commune,,705\n"},
		{name: "district admin moves its own unit", as: "district", wantErr: ErrInvalid, wantText: "line 2: parent_code",
			csv: header + "703,Thành phố Tây Ninh,province,Thành phố,\n"},
		{name: "district admin adds a root", as: "district", wantErr: ErrInvalid, wantText: "line 2",
			csv: header + "98,Tỉnh Z,province,Tỉnh,\n"},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			f := newFixture(t)
			admin := f.admin
			if c.as == "district" {
				admin = f.createUser(t, "it-703", RoleAdmin, "703")
			}
			before := f.count(t, "units")
			beforeAudit := f.count(t, "audit_log")
			res, err := f.svc.ImportUnits(ctx, admin, strings.NewReader(c.csv))
			if c.wantErr == nil {
				if err != nil {
					t.Fatal(err)
				}
				c.check(t, f, res)
				if e := f.lastAudit(t); e.Kind != KindUnitImport {
					t.Fatalf("audit = %+v", e)
				}
				return
			}
			if !errors.Is(err, c.wantErr) || !strings.Contains(err.Error(), c.wantText) {
				t.Fatalf("ImportUnits = %v, want %v containing %q", err, c.wantErr, c.wantText)
			}
			if n := f.count(t, "units"); n != before {
				t.Fatalf("failed import changed units: %d → %d", before, n)
			}
			if n := f.count(t, "audit_log"); n != beforeAudit {
				t.Fatalf("failed import audited: %d → %d", beforeAudit, n)
			}
		})
	}
}

func TestImportUnitsNeedsAdmin(t *testing.T) {
	f := newFixture(t)
	p := f.createUser(t, "prov", RoleProvince, "72")
	_, err := f.svc.ImportUnits(context.Background(), p, strings.NewReader("code,name,level,kind,parent_code\n1,A,district,,72\n"))
	if !errors.Is(err, ErrForbidden) {
		t.Fatalf("province import = %v", err)
	}
}
