package relay

import (
	"bytes"
	"testing"
)

// Real parameter sets of a 1280x720 x264 Baseline stream.
var (
	testSPS = []byte{0x67, 0x42, 0xc0, 0x1f, 0xd9, 0x00, 0x50, 0x05, 0xbb, 0x01, 0x10, 0x00, 0x00, 0x03, 0x00, 0x10, 0x00, 0x00, 0x03, 0x03, 0x20, 0xf1, 0x83, 0x24, 0x80}
	testPPS = []byte{0x68, 0xcb, 0x83, 0xcb, 0x20}
	testIDR = []byte{0x65, 0x88, 0x84, 0x00, 0x33}
	testP   = []byte{0x41, 0x9a, 0x02}
	testAUD = []byte{0x09, 0xf0}
	testSEI = []byte{0x06, 0x05, 0x01, 0x00}
)

func naluTypes(au [][]byte) []byte {
	var out []byte
	for _, n := range au {
		out = append(out, n[0]&0x1f)
	}
	return out
}

func TestParamSetsPrepare(t *testing.T) {
	tests := []struct {
		name       string
		sdpSPS     []byte
		sdpPPS     []byte
		aus        [][][]byte // earlier units, to learn from
		au         [][]byte
		ra         bool
		wantTypes  []byte
		wantKey    bool
		wantWidth  int
		wantWarned bool
	}{
		{name: "sets only in SDP are put before the IDR", sdpSPS: testSPS, sdpPPS: testPPS,
			au: [][]byte{testIDR}, ra: true, wantTypes: []byte{7, 8, 5}, wantKey: true, wantWidth: 1280},
		{name: "in-band sets are kept as they are", au: [][]byte{testAUD, testSPS, testPPS, testIDR}, ra: true,
			wantTypes: []byte{7, 8, 5}, wantKey: true, wantWidth: 1280},
		{name: "sets learnt from an earlier unit (sent once)", aus: [][][]byte{{testSPS, testPPS}},
			au: [][]byte{testSEI, testIDR}, ra: true, wantTypes: []byte{7, 8, 6, 5}, wantKey: true, wantWidth: 1280},
		{name: "no sets known: not a usable keyframe", au: [][]byte{testIDR}, ra: true, wantTypes: []byte{5}},
		{name: "P frame passes without sets, AUD dropped", sdpSPS: testSPS, sdpPPS: testPPS,
			au: [][]byte{testAUD, testP}, wantTypes: []byte{1}, wantWidth: 1280},
		{name: "malformed SDP SPS ignored with a warning, in-band used", sdpSPS: []byte{0x00, 0x00, 0x01, 0x67}, sdpPPS: testPPS,
			au: [][]byte{testSPS, testIDR}, ra: true, wantTypes: []byte{7, 8, 5}, wantKey: true, wantWidth: 1280, wantWarned: true},
		{name: "SDP SPS that is a PPS is ignored", sdpSPS: testPPS, au: [][]byte{testIDR}, ra: true,
			wantTypes: []byte{5}, wantWarned: true},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := newParamSets(false, nil, tc.sdpSPS, tc.sdpPPS)
			for _, au := range tc.aus {
				p.prepare(au, false)
			}
			in := append([][]byte(nil), tc.au...)
			out, key := p.prepare(tc.au, tc.ra)
			if got := naluTypes(out); !bytes.Equal(got, tc.wantTypes) {
				t.Errorf("NAL unit types = %v, want %v", got, tc.wantTypes)
			}
			if key != tc.wantKey {
				t.Errorf("keyframe = %v, want %v", key, tc.wantKey)
			}
			if p.info.Width != tc.wantWidth {
				t.Errorf("width = %d, want %d", p.info.Width, tc.wantWidth)
			}
			if (len(p.warnings) > 0) != tc.wantWarned {
				t.Errorf("warnings = %v, want warned=%v", p.warnings, tc.wantWarned)
			}
			for i := range in {
				if &in[i][0] != &tc.au[i][0] {
					t.Errorf("input unit %d was replaced", i)
				}
			}
		})
	}
}

func TestParamSetsFollowResolutionChange(t *testing.T) {
	p := newParamSets(false, nil, testSPS, testPPS)
	// 640x360 Baseline SPS.
	small := []byte{0x67, 0x42, 0xc0, 0x1e, 0xd9, 0x00, 0xa0, 0x2f, 0xf9, 0x70, 0x11, 0x00, 0x00, 0x03, 0x00, 0x01, 0x00, 0x00, 0x03, 0x00, 0x32, 0x0f, 0x16, 0x2e, 0x48}
	out, key := p.prepare([][]byte{small, testPPS, testIDR}, true)
	if !key || !bytes.Equal(out[0], small) {
		t.Fatalf("new SPS not forwarded: key=%v types=%v", key, naluTypes(out))
	}
	if p.info.Width != 640 || p.info.Height != 360 {
		t.Errorf("size = %dx%d, want 640x360", p.info.Width, p.info.Height)
	}
	// The next IDR without in-band sets gets the new ones.
	out, _ = p.prepare([][]byte{testIDR}, true)
	if !bytes.Equal(out[0], small) {
		t.Errorf("later IDR got an old SPS")
	}
}
