package camera

import (
	"context"
	"errors"
	"net/url"
	"testing"
)

func TestStoreCRUD(t *testing.T) {
	ctx := context.Background()
	s, sqlDB := newStore(t)

	c := mustCreate(t, s, Camera{Name: " Cổng UBND ", UnitCode: "UBND-01", RTSPURL: "rtsp://10.0.0.5/live", OnDemand: false, Enabled: true})
	if c.ID == 0 || c.Name != "Cổng UBND" || c.Transport != TransportAuto || c.CreatedAt.IsZero() || c.UpdatedAt != c.CreatedAt {
		t.Fatalf("created %+v", c)
	}
	got, err := s.Get(ctx, c.ID)
	if err != nil {
		t.Fatal(err)
	}
	if got != c {
		t.Fatalf("Get = %+v, want %+v", got, c)
	}

	if _, err := s.Get(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get(999) = %v, want ErrNotFound", err)
	}
	if err := s.Delete(ctx, 999); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Delete(999) = %v, want ErrNotFound", err)
	}
	if _, err := s.Update(ctx, 999, Patch{Name: ptr("x")}); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Update(999) = %v, want ErrNotFound", err)
	}

	before := dump(t, sqlDB)
	if _, err := s.Create(ctx, Camera{Name: "Cổng UBND", UnitCode: "UBND-01", RTSPURL: "rtsp://h/x"}); !errors.Is(err, ErrConflict) {
		t.Fatalf("duplicate create = %v, want ErrConflict", err)
	}
	var ve *ValidationError
	if _, err := s.Create(ctx, Camera{Name: "x"}); !errors.As(err, &ve) {
		t.Fatalf("invalid create = %v, want *ValidationError", err)
	}
	if _, err := s.Update(ctx, c.ID, Patch{Transport: ptr("quic")}); !errors.As(err, &ve) {
		t.Fatalf("invalid update = %v, want *ValidationError", err)
	}
	if after := dump(t, sqlDB); after != before {
		t.Fatalf("failed writes changed the table:\n%s\n%s", before, after)
	}

	other := mustCreate(t, s, Camera{Name: "Chợ", UnitCode: "UBND-02", RTSPURL: "rtsp://h/y", Enabled: false})
	if _, err := s.Update(ctx, other.ID, Patch{Name: ptr("Cổng UBND"), UnitCode: ptr("UBND-01")}); !errors.Is(err, ErrConflict) {
		t.Fatalf("rename onto existing = %v, want ErrConflict", err)
	}

	list, err := s.List(ctx, Filter{})
	if err != nil || len(list) != 2 || list[0].ID != c.ID {
		t.Fatalf("List = %+v, %v", list, err)
	}
	list, err = s.List(ctx, Filter{UnitCode: "UBND-02"})
	if err != nil || len(list) != 1 || list[0].ID != other.ID {
		t.Fatalf("List(unit) = %+v, %v", list, err)
	}
	list, err = s.List(ctx, Filter{Enabled: ptr(true)})
	if err != nil || len(list) != 1 || list[0].ID != c.ID {
		t.Fatalf("List(enabled) = %+v, %v", list, err)
	}

	if err := s.Delete(ctx, c.ID); err != nil {
		t.Fatal(err)
	}
	if _, err := s.Get(ctx, c.ID); !errors.Is(err, ErrNotFound) {
		t.Fatalf("Get after delete = %v", err)
	}
}

func TestStoreCredentials(t *testing.T) {
	ctx := context.Background()
	enc := url.PathEscape(awkward)
	tests := []struct {
		name             string
		in               Camera
		wantURL          string
		wantUser, wantPw string
	}{
		{"from URL, percent-decoded", Camera{RTSPURL: "rtsp://adm%40in:" + enc + "@10.0.0.1:554/Streaming/Channels/101?transportmode=unicast"},
			"rtsp://10.0.0.1:554/Streaming/Channels/101?transportmode=unicast", "adm@in", awkward},
		{"separate fields", Camera{RTSPURL: "rtsp://10.0.0.1/live", Username: "admin", Password: awkward},
			"rtsp://10.0.0.1/live", "admin", awkward},
		{"fields win over URL", Camera{RTSPURL: "rtsp://old:oldpw@10.0.0.1/live", Username: "admin", Password: awkward},
			"rtsp://10.0.0.1/live", "admin", awkward},
		{"URL fills only the empty field", Camera{RTSPURL: "rtsp://admin:" + enc + "@10.0.0.1/live", Username: "viewer"},
			"rtsp://10.0.0.1/live", "viewer", awkward},
		{"substream credentials moved too", Camera{RTSPURL: "rtsp://10.0.0.1/main", SubstreamURL: "rtsp://admin:" + enc + "@10.0.0.1/sub"},
			"rtsp://10.0.0.1/main", "admin", awkward},
	}
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, _ := newStore(t)
			tt.in.Name, tt.in.UnitCode = "cam", "U"+string(rune('0'+i))
			c := mustCreate(t, s, tt.in)
			got, err := s.Get(ctx, c.ID)
			if err != nil {
				t.Fatal(err)
			}
			if got.RTSPURL != tt.wantURL || got.Username != tt.wantUser || got.Password != tt.wantPw {
				t.Errorf("stored %q %q %q, want %q %q %q", got.RTSPURL, got.Username, got.Password, tt.wantURL, tt.wantUser, tt.wantPw)
			}
			if got.SubstreamURL != "" && got.SubstreamURL != "rtsp://10.0.0.1/sub" {
				t.Errorf("substream = %q", got.SubstreamURL)
			}
		})
	}
}

func TestStoreUpdatePatchSemantics(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	c := mustCreate(t, s, Camera{Name: "a", UnitCode: "U", RTSPURL: "rtsp://h/x", Username: "admin", Password: "pw1", OnDemand: true, Enabled: true})

	steps := []struct {
		name  string
		patch Patch
		check func(c Camera) bool
	}{
		{"empty patch changes nothing but updated_at", Patch{}, func(n Camera) bool {
			return n.Name == "a" && n.Username == "admin" && n.Password == "pw1" && n.OnDemand && n.Enabled && n.CreatedAt == c.CreatedAt
		}},
		{"absent password kept when URL changes", Patch{RTSPURL: ptr("rtsp://h2/y")}, func(n Camera) bool {
			return n.RTSPURL == "rtsp://h2/y" && n.Password == "pw1"
		}},
		{"URL credentials replace stored ones", Patch{RTSPURL: ptr("rtsp://root:" + url.PathEscape(awkward) + "@h2/y")}, func(n Camera) bool {
			return n.RTSPURL == "rtsp://h2/y" && n.Username == "root" && n.Password == awkward
		}},
		{"explicit fields beat URL credentials", Patch{RTSPURL: ptr("rtsp://x:y@h3/z"), Password: ptr("pw2")}, func(n Camera) bool {
			return n.RTSPURL == "rtsp://h3/z" && n.Username == "x" && n.Password == "pw2"
		}},
		{"empty password clears", Patch{Password: ptr("")}, func(n Camera) bool { return n.Password == "" && n.Username == "x" }},
		{"booleans to false", Patch{OnDemand: ptr(false), Enabled: ptr(false)}, func(n Camera) bool { return !n.OnDemand && !n.Enabled }},
	}
	for _, st := range steps {
		n, err := s.Update(ctx, c.ID, st.patch)
		if err != nil {
			t.Fatalf("%s: %v", st.name, err)
		}
		stored, err := s.Get(ctx, c.ID)
		if err != nil {
			t.Fatal(err)
		}
		if stored != n || !st.check(n) {
			t.Fatalf("%s: got %+v (stored %+v)", st.name, n, stored)
		}
	}
}
