package camera

import (
	"context"
	"errors"
	"strings"
	"testing"

	"golang.org/x/text/unicode/norm"
)

// TestValidateName: names are stored in NFC; bidirectional controls and
// other invisible format characters are refused on field "name".
func TestValidateName(t *testing.T) {
	nfc := "Cổng chợ Bến Thành"
	nfd := norm.NFD.String(nfc)
	if nfd == nfc {
		t.Fatal("test name has no decomposable characters")
	}
	tests := []struct {
		name, in string
		stored   string // when valid
		err      string // "name: ..." substring when invalid
	}{
		{"nfc kept", nfc, nfc, ""},
		{"nfd composed", nfd, nfc, ""},
		{"trimmed and composed", "  " + nfd + " ", nfc, ""},
		{"emoji-free plain", "Quầy 1 – Phường 1", "Quầy 1 – Phường 1", ""},
		{"LRE", "a\u202Ab", "", "name: must not contain bidirectional control characters"},
		{"RLO trojan source", "cam\u202Egpj.exe", "", "name: must not contain bidirectional control characters"},
		{"PDF", "a\u202Cb", "", "name: must not contain bidirectional control characters"},
		{"LRI", "a\u2066b", "", "name: must not contain bidirectional control characters"},
		{"PDI", "a\u2069b", "", "name: must not contain bidirectional control characters"},
		{"RLM", "a\u200Fb", "", "name: must not contain bidirectional control characters"},
		{"zero-width space", "Cổng\u200B1", "", "name: must not contain invisible format characters (U+200B)"},
		{"zero-width joiner", "a\u200Db", "", "name: must not contain invisible format characters (U+200D)"},
		{"soft hyphen", "Cổng\u00ADchợ", "", "name: must not contain invisible format characters (U+00AD)"},
		{"BOM", "\uFEFFCổng", "", "name: must not contain invisible format characters (U+FEFF)"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := valid()
			c.Name = tt.in
			err := c.Validate()
			if tt.err == "" {
				if err != nil {
					t.Fatalf("Validate() = %v", err)
				}
				normalize(&c)
				if c.Name != tt.stored {
					t.Errorf("stored name %q, want %q", c.Name, tt.stored)
				}
				return
			}
			var ve *ValidationError
			if !errors.As(err, &ve) || len(ve.Fields) != 1 || ve.Fields[0].Field != "name" || !strings.Contains(err.Error(), tt.err) {
				t.Errorf("Validate() = %v, want one error on name containing %q", err, tt.err)
			}
		})
	}
}

// TestStoreNameNFC: the same name typed in NFC and in NFD is one name for
// the uniqueness check and for Import's matching.
func TestStoreNameNFC(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	nfc := "Ngã tư Trần Phú"
	nfd := norm.NFD.String(nfc)
	c := mustCreate(t, s, Camera{Name: nfd, UnitCode: "UBND-01", RTSPURL: "rtsp://10.0.0.5/live", Enabled: true})
	if c.Name != nfc {
		t.Errorf("stored %q, want NFC %q", c.Name, nfc)
	}
	if _, err := s.Create(ctx, Camera{Name: nfc, UnitCode: "UBND-01", RTSPURL: "rtsp://h/x"}); !errors.Is(err, ErrConflict) {
		t.Errorf("NFC duplicate of an NFD name = %v, want ErrConflict", err)
	}
	other := mustCreate(t, s, Camera{Name: "Chợ", UnitCode: "UBND-01", RTSPURL: "rtsp://h/y"})
	if _, err := s.Update(ctx, other.ID, Patch{Name: ptr(nfd)}); !errors.Is(err, ErrConflict) {
		t.Errorf("rename onto the NFD spelling = %v, want ErrConflict", err)
	}
	if got, found, err := findByName(ctx, s.db, "UBND-01", nfd); err != nil || !found || got.ID != c.ID {
		t.Errorf("findByName(NFD) = %v %v %v", got.ID, found, err)
	}
}
