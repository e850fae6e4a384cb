package camera

import (
	"context"
	"fmt"
	"testing"
	"time"
)

func TestHistoryRecordPruneAndOrder(t *testing.T) {
	s, sqlDB := newStore(t)
	ctx := context.Background()
	a := mustCreate(t, s, Camera{Name: "A", UnitCode: "72", RTSPURL: "rtsp://192.0.2.1/a", Transport: TransportTCP})
	b := mustCreate(t, s, Camera{Name: "B", UnitCode: "72", RTSPURL: "rtsp://192.0.2.1/b", Transport: TransportTCP})
	t0 := time.Date(2026, 12, 3, 10, 0, 0, 0, time.UTC)
	var batch []StateChange
	for i := range 12 {
		batch = append(batch, StateChange{CameraID: a.ID, At: t0.Add(time.Duration(i) * time.Second), State: fmt.Sprint("s", i), Reason: "r"})
	}
	batch = append(batch, StateChange{CameraID: b.ID, At: t0, State: "online"},
		StateChange{CameraID: 999, At: t0, State: "online"}) // deleted meanwhile: skipped
	if err := s.RecordStates(ctx, batch, 10); err != nil {
		t.Fatal(err)
	}
	got, err := s.History(ctx, a.ID, 100)
	if err != nil {
		t.Fatal(err)
	}
	if len(got) != 10 || got[0].State != "s11" || got[9].State != "s2" || !got[0].At.Equal(t0.Add(11*time.Second)) {
		t.Errorf("history of A after prune: %+v", got)
	}
	if got, _ := s.History(ctx, a.ID, 3); len(got) != 3 || got[2].State != "s9" {
		t.Errorf("limit 3: %+v", got)
	}
	if got, _ := s.History(ctx, b.ID, 100); len(got) != 1 || got[0].State != "online" || got[0].Reason != "" {
		t.Errorf("history of B: %+v", got)
	}
	if err := s.Delete(ctx, a.ID); err != nil {
		t.Fatal(err)
	}
	var n int
	if err := sqlDB.QueryRow(`SELECT COUNT(*) FROM camera_states WHERE camera_id = ?`, a.ID).Scan(&n); err != nil || n != 0 {
		t.Errorf("rows of a deleted camera: %d, %v", n, err)
	}
}
