package camera

import (
	"context"
	"errors"
	"net/url"
	"strings"
	"testing"

	"github.com/vms-project/vms/internal/httpx"
)

const goodCSV = "\ufeffunit_code,name,rtsp_url,username,password,transport,on_demand\n" +
	"UBND-01,Cổng chính,rtsp://10.0.0.1/live,admin,\"p@ss,:/#?%\",tcp,true\n" +
	"UBND-01,Sân sau,rtsp://admin:p%40ss@10.0.0.2/live,,,udp,no\n" +
	"UBND-02,\"Ngã tư, Trần Phú\",rtsp://10.0.0.3/live,,,,\n"

const goodYAML = `cameras:
  - name: Cổng chính
    unit_code: UBND-01
    rtsp_url: rtsp://10.0.0.1/live
    username: admin
    password: "p@ss,:/#?%"
    transport: tcp
  - name: Chợ
    unit_code: 26734
    rtsp_url: rtsps://10.0.0.9:322/live
    tls_fingerprint: ` + "AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89:AB:CD:EF:01:23:45:67:89" + `
    on_demand: false
`

func TestImport(t *testing.T) {
	ctx := context.Background()
	tests := []struct {
		name, format, body string
		created            int
		check              func(t *testing.T, s *Store)
	}{
		{"csv", "csv", goodCSV, 3, func(t *testing.T, s *Store) {
			cams, _ := s.List(ctx, Filter{UnitCode: "UBND-01"})
			if len(cams) != 2 {
				t.Fatalf("cams = %+v", cams)
			}
			byName := map[string]Camera{cams[0].Name: cams[0], cams[1].Name: cams[1]}
			if c := byName["Cổng chính"]; c.Password != "p@ss,:/#?%" || c.Transport != "tcp" || !c.OnDemand {
				t.Errorf("row 2 = %+v", c)
			}
			if c := byName["Sân sau"]; c.Username != "admin" || c.Password != "p@ss" || c.RTSPURL != "rtsp://10.0.0.2/live" || c.OnDemand {
				t.Errorf("row 3 = %+v", c)
			}
			cams, _ = s.List(ctx, Filter{UnitCode: "UBND-02"})
			if len(cams) != 1 || cams[0].Name != "Ngã tư, Trần Phú" || cams[0].Transport != "auto" || !cams[0].OnDemand {
				t.Errorf("quoted name with comma, empty cells: %+v", cams)
			}
		}},
		{"yaml", "yaml", goodYAML, 2, func(t *testing.T, s *Store) {
			cams, _ := s.List(ctx, Filter{UnitCode: "26734"})
			if len(cams) != 1 || cams[0].TLSFingerprint != strings.Repeat("abcdef0123456789", 4) || cams[0].OnDemand || !cams[0].Enabled {
				t.Errorf("numeric unit code / fingerprint: %+v", cams)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, sqlDB := newStore(t)
			res, err := s.Import(ctx, strings.NewReader(tt.body), tt.format)
			if err != nil {
				t.Fatalf("import: %v", err)
			}
			if res.Created != tt.created || res.Updated != 0 || len(res.Cameras) != tt.created {
				t.Fatalf("result = %+v", res)
			}
			tt.check(t, s)

			// Re-importing updates in place and changes no camera content.
			before := stripTimes(dump(t, sqlDB))
			res, err = s.Import(ctx, strings.NewReader(tt.body), tt.format)
			if err != nil {
				t.Fatalf("re-import: %v", err)
			}
			if res.Created != 0 || res.Updated != tt.created {
				t.Fatalf("re-import result = %+v", res)
			}
			if after := stripTimes(dump(t, sqlDB)); after != before {
				t.Fatalf("re-import changed cameras:\n%s\n%s", before, after)
			}
		})
	}
}

// stripTimes drops the timestamp columns of dump output.
func stripTimes(d string) string {
	var out []string
	for line := range strings.Lines(d) {
		parts := strings.Split(strings.TrimSuffix(line, "\n"), "|")
		out = append(out, strings.Join(parts[:len(parts)-2], "|"))
	}
	return strings.Join(out, "\n")
}

func TestImportKeepsUnlistedFields(t *testing.T) {
	ctx := context.Background()
	s, _ := newStore(t)
	c := mustCreate(t, s, Camera{Name: "a", UnitCode: "U", RTSPURL: "rtsp://h/x", Username: "admin", Password: "secret", Transport: "tcp"})
	res, err := s.Import(ctx, strings.NewReader("name,unit_code,rtsp_url,password,on_demand\na,U,rtsp://h/y,,false\n"), "csv")
	if err != nil || res.Updated != 1 {
		t.Fatalf("import = %+v, %v", res, err)
	}
	got, _ := s.Get(ctx, c.ID)
	if got.RTSPURL != "rtsp://h/y" || got.Password != "secret" || got.Transport != "tcp" || got.OnDemand {
		t.Fatalf("got %+v", got)
	}
}

func TestImportInvalid(t *testing.T) {
	ctx := context.Background()
	rows := func(bad string) string {
		return "name,unit_code,rtsp_url,transport\n" +
			"a,U,rtsp://h/a,auto\n" +
			"b,U,rtsp://h/b,tcp\n" +
			"c,U,rtsp://h/c,udp\n" +
			bad + "\n" +
			"e,U,rtsp://h/e,auto\n"
	}
	yamlRows := func(bad string) string {
		return "cameras:\n" +
			"  - {name: a, unit_code: U, rtsp_url: 'rtsp://h/a'}\n" +
			"  - {name: b, unit_code: U, rtsp_url: 'rtsp://h/b'}\n" +
			"  - {name: c, unit_code: U, rtsp_url: 'rtsp://h/c'}\n" +
			bad + "\n" +
			"  - {name: e, unit_code: U, rtsp_url: 'rtsp://h/e'}\n"
	}
	tests := []struct {
		name, format, body string
		want               []string
	}{
		{"csv bad transport on line 5", "csv", rows("d,U,rtsp://h/d,quic"), []string{"line 5: transport: must be auto, tcp or udp"}},
		{"csv update of existing row invalid on line 5", "csv", rows("old,U,http://h/d,auto"), []string{"line 5: rtsp_url: scheme must be rtsp or rtsps"}},
		{"csv missing name on line 5", "csv", rows(",U,rtsp://h/d,auto"), []string{"line 5: name: required"}},
		{"csv duplicate of line 2", "csv", rows("a,U,rtsp://h/d,auto"), []string{"line 5: name \"a\" in unit \"U\" already appears on line 2"}},
		{"csv duplicate in another Unicode form", "csv", "name,unit_code,rtsp_url,transport\nQu\u1ea7y,U,rtsp://h/a,auto\nQua\u0302\u0300y,U,rtsp://h/b,auto\n",
			[]string{"line 3: name \"Qu\u1ea7y\" in unit \"U\" already appears on line 2"}},
		{"csv wrong field count", "csv", rows("d,U"), []string{"line 5: wrong number of fields"}},
		{"csv line numbers count multi-line cells", "csv", "name,unit_code,rtsp_url,password\na,U,rtsp://h/a,\"two\nlines\"\nb,U,rtsp://h/b,x\nd,U,http://h/d,x\n", []string{"line 5: rtsp_url: scheme"}},
		{"csv bad bool", "csv", "name,unit_code,rtsp_url,on_demand\na,U,rtsp://h/a,true\nb,U,rtsp://h/b,yes\nc,U,rtsp://h/c,1\nd,U,rtsp://h/d,maybe\n", []string{"line 5: on_demand: must be true or false"}},
		{"csv bare quote", "csv", rows(`d,U,rtsp://h/"d,auto`), []string{"line 5:"}},
		{"csv unknown column", "csv", "name,unit_code,url\n", []string{`line 1: unknown column "url"`}},
		{"csv duplicate column", "csv", "name,unit_code,name\n", []string{`line 1: column "name" appears twice`}},
		{"csv missing identity column", "csv", "name,rtsp_url\n", []string{`line 1: missing column "unit_code"`}},
		{"csv empty", "csv", "", []string{"empty file"}},
		{"csv password never echoed", "csv", rows("d,U,rtsp://admin:hunter2@h/d#x,auto"), []string{"line 5: rtsp_url:"}},
		{"yaml bad transport on line 5", "yaml", yamlRows("  - {name: d, unit_code: U, rtsp_url: 'rtsp://h/d', transport: quic}"), []string{"line 5: transport: must be auto, tcp or udp"}},
		{"yaml unknown key on line 5", "yaml", yamlRows("  - {name: d, unit_code: U, rtsp_url: 'rtsp://h/d', trnasport: tcp}"), []string{"line 5", `unknown key "trnasport"`}},
		{"yaml wrong type on line 5", "yaml", yamlRows("  - {name: d, unit_code: U, rtsp_url: 'rtsp://h/d', on_demand: hunter2}"), []string{"line 5"}},
		{"yaml unknown top-level key", "yaml", "camera:\n  - {name: a}\n", []string{`unknown key "camera"`}},
		{"yaml syntax", "yaml", "cameras: [\n", []string{"yaml:"}},
		{"yaml empty", "yml", "", []string{"empty file"}},
		{"format", "xlsx", "", []string{`format must be csv or yaml, got "xlsx"`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, sqlDB := newStore(t)
			mustCreate(t, s, Camera{Name: "old", UnitCode: "U", RTSPURL: "rtsp://h/old", Password: "keep"})
			before := dump(t, sqlDB)
			res, err := s.Import(ctx, strings.NewReader(tt.body), tt.format)
			if err == nil {
				t.Fatalf("import succeeded: %+v", res)
			}
			var ie *ImportError
			if !errors.As(err, &ie) || httpx.Status(err) != 400 {
				t.Errorf("err %T %v: want *ImportError mapping to 400", err, err)
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q lacks %q", err, w)
				}
			}
			if strings.Contains(err.Error(), "hunter2") {
				t.Errorf("error %q echoes a secret", err)
			}
			if after := dump(t, sqlDB); after != before {
				t.Fatalf("failed import changed the table:\n%s\n%s", before, after)
			}
		})
	}
}

func TestImportCredentialsInURL(t *testing.T) {
	s, _ := newStore(t)
	body := "name,unit_code,rtsp_url\ncam,U,rtsp://admin:" + url.PathEscape(awkward) + "@10.0.0.1/live\n"
	res, err := s.Import(context.Background(), strings.NewReader(body), "csv")
	if err != nil {
		t.Fatal(err)
	}
	c := res.Cameras[0]
	if c.RTSPURL != "rtsp://10.0.0.1/live" || c.Username != "admin" || c.Password != awkward {
		t.Fatalf("got %q %q %q", c.RTSPURL, c.Username, c.Password)
	}
}
