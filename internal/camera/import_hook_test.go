package camera

import (
	"context"
	"database/sql"
	"errors"
	"strings"
	"testing"
)

// TestImportWithHook: the hook sees, inside the import's transaction,
// every row stored with the camera before and after; its error aborts the
// import and nothing is stored.
func TestImportWithHook(t *testing.T) {
	ctx := context.Background()
	s, sqlDB := newStore(t)
	if _, err := s.Import(ctx, strings.NewReader(goodCSV), "csv"); err != nil {
		t.Fatal(err)
	}
	const again = "unit_code,name,rtsp_url,transport\nUBND-01,Cổng chính,,udp\nUBND-03,Mới,rtsp://10.0.0.7/live,tcp\n"
	before := dump(t, sqlDB)

	boom := errors.New("audit failed")
	_, err := s.ImportWith(ctx, strings.NewReader(again), "csv", func(context.Context, *sql.Tx, []ImportChange) error { return boom })
	if !errors.Is(err, boom) {
		t.Fatalf("hook error: %v", err)
	}
	if after := dump(t, sqlDB); after != before {
		t.Errorf("a failed hook changed the cameras:\n%s\n→\n%s", before, after)
	}

	var seen []ImportChange
	res, err := s.ImportWith(ctx, strings.NewReader(again), "csv", func(ctx context.Context, tx *sql.Tx, changes []ImportChange) error {
		seen = changes
		var n int
		if err := tx.QueryRowContext(ctx, `SELECT COUNT(*) FROM cameras WHERE unit_code = 'UBND-03'`).Scan(&n); err != nil || n != 1 {
			t.Errorf("in the hook's tx: %d new cameras, %v", n, err)
		}
		return nil
	})
	if err != nil || res.Created != 1 || res.Updated != 1 {
		t.Fatalf("import: %+v, %v", res, err)
	}
	if len(seen) != 2 || len(res.Changes) != 2 {
		t.Fatalf("changes %+v", seen)
	}
	up, cr := seen[0], seen[1]
	if up.Created || up.Line != 2 || up.Old.Transport != "tcp" || up.New.Transport != "udp" || up.Old.ID != up.New.ID ||
		up.New.Password != "p@ss,:/#?%" {
		t.Errorf("update change %+v", up)
	}
	if !cr.Created || cr.Line != 3 || cr.Old.ID != 0 || cr.New.ID == 0 || cr.New.Name != "Mới" {
		t.Errorf("create change %+v", cr)
	}
}
