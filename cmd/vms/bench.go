package main

import (
	"bufio"
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"net/url"
	"slices"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/vms-project/vms/internal/whepclient"
)

// cmdBench opens N WHEP viewers on one camera and reports time to first
// frame, loss, and the server's CPU and memory per viewer (read from its
// /metrics before and after the steady-state window).
func cmdBench(ctx context.Context, args []string, stdout, stderr io.Writer) error {
	fs := flag.NewFlagSet("bench", flag.ContinueOnError)
	fs.SetOutput(stderr)
	endpoint := fs.String("url", "", "WHEP endpoint, e.g. http://127.0.0.1:8080/api/v1/cameras/1/whep")
	n := fs.Int("n", 10, "number of viewers")
	duration := fs.Duration("duration", 20*time.Second, "steady-state measurement window")
	token := fs.String("token", "", "bearer token")
	rampup := fs.Duration("ramp", 5*time.Millisecond, "delay between opening viewers")
	baseline := fs.Duration("baseline", 5*time.Second, "window measured before any viewer opens, to separate the camera's own cost (0 skips it)")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if *endpoint == "" || *n < 1 {
		return fmt.Errorf("bench: --url and -n ≥ 1 are required")
	}
	u, err := url.Parse(*endpoint)
	if err != nil {
		return fmt.Errorf("bench: --url: %w", err)
	}
	metricsURL := u.Scheme + "://" + u.Host + "/metrics"

	// The server's cost without viewers (the camera session, depacketizing,
	// the GC), so that what is reported per viewer is what a viewer adds.
	var base serverMetrics
	basePct := 0.0
	if *baseline > 0 {
		b0, err := scrape(ctx, metricsURL, *token)
		if err == nil {
			time.Sleep(*baseline)
			if b1, err := scrape(ctx, metricsURL, *token); err == nil {
				base, basePct = b1, 100*(b1.cpu-b0.cpu)/baseline.Seconds()
			}
		}
	}

	viewers := make([]*whepclient.Viewer, *n)
	errs := make([]error, *n)
	var wg sync.WaitGroup
	for i := range *n {
		wg.Add(1)
		go func() {
			defer wg.Done()
			dctx, cancel := context.WithTimeout(ctx, 60*time.Second)
			defer cancel()
			viewers[i], errs[i] = whepclient.Dial(dctx, *endpoint, whepclient.Options{Token: *token})
		}()
		time.Sleep(*rampup)
	}
	wg.Wait()
	defer func() {
		for _, v := range viewers {
			if v != nil {
				_ = v.Close(context.Background())
			}
		}
	}()
	failed := 0
	for i, err := range errs {
		if err != nil {
			failed++
			if failed <= 3 {
				fmt.Fprintf(stderr, "viewer %d: %v\n", i, err)
			}
		}
	}
	// Let every viewer get its first frame, then measure a steady window.
	deadline := time.Now().Add(30 * time.Second)
	for time.Now().Before(deadline) {
		all := true
		for _, v := range viewers {
			if v != nil && v.Stats().FirstFrame == 0 {
				all = false
			}
		}
		if all {
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
	time.Sleep(2 * time.Second)
	m0, _ := scrape(ctx, metricsURL, *token)
	before := make([]whepclient.Stats, *n)
	for i, v := range viewers {
		if v != nil {
			before[i] = v.Stats()
		}
	}
	t0 := time.Now()
	select {
	case <-ctx.Done():
		return ctx.Err()
	case <-time.After(*duration):
	}
	el := time.Since(t0).Seconds()
	m1, merr := scrape(ctx, metricsURL, *token)

	var firsts []time.Duration
	var lost, pkts, frames uint64
	undecodable := 0
	var late, plis uint64
	for i, v := range viewers {
		if v == nil {
			continue
		}
		s := v.Stats()
		if s.FirstFrame > 0 {
			firsts = append(firsts, s.FirstFrame)
		}
		if !s.FirstFrameDecodable {
			undecodable++
		}
		late += s.FramesBeforeKeyframe
		plis += s.PLIsSent
		lost += s.Lost - before[i].Lost
		pkts += s.Packets - before[i].Packets
		frames += s.Frames - before[i].Frames
	}
	slices.Sort(firsts)
	fmt.Fprintf(stdout, "viewers: %d opened, %d failed, %d first keyframes not decodable, %d frames before a keyframe, %d PLIs\n",
		*n-failed, failed, undecodable, late, plis)
	if len(firsts) > 0 {
		fmt.Fprintf(stdout, "time to first frame: median %s, p95 %s, max %s\n",
			firsts[len(firsts)/2].Round(time.Millisecond), firsts[len(firsts)*95/100].Round(time.Millisecond), firsts[len(firsts)-1].Round(time.Millisecond))
	}
	active := *n - failed
	fmt.Fprintf(stdout, "steady %0.fs: %d packets, %d lost (%.4f%%), %.1f fps per viewer\n",
		el, pkts, lost, 100*float64(lost)/float64(max(pkts+lost, 1)), float64(frames)/el/float64(max(active, 1)))
	if merr != nil {
		fmt.Fprintf(stdout, "server metrics unavailable: %v\n", merr)
		return nil
	}
	cpuPct := 100 * (m1.cpu - m0.cpu) / el
	fmt.Fprintf(stdout, "server: %.1f%% of a core in all, %.3f%% per viewer; RSS %.1f MB, Go heap in use %.1f MB; %.0f frames dropped for slow viewers\n",
		cpuPct, cpuPct/float64(max(active, 1)), m1.rss/1e6, m1.heap/1e6, m1.dropped)
	if base.rss > 0 {
		per := float64(max(active, 1))
		// Heap, not RSS: the runtime returns freed pages to the kernel at
		// its own pace, so RSS differences are noise at small N.
		fmt.Fprintf(stdout, "per viewer above the no-viewer baseline (%.1f%% of a core, Go heap %.1f MB, live %.1f MB): "+
			"%.3f%% of a core, Go heap %.3f MB, live heap %.3f MB\n",
			basePct, base.heap/1e6, base.live/1e6, (cpuPct-basePct)/per, (m1.heap-base.heap)/1e6/per, (m1.live-base.live)/1e6/per)
	}
	return nil
}

// serverMetrics are the figures the bench reads from the server's /metrics.
type serverMetrics struct {
	cpu, rss, heap float64
	// live is the heap the last GC found alive (go_gc_heap_live_bytes).
	live float64
	// dropped counts frames the server dropped for slow viewers.
	dropped float64
}

func scrape(ctx context.Context, metricsURL, token string) (serverMetrics, error) {
	var m serverMetrics
	req, err := http.NewRequestWithContext(ctx, http.MethodGet, metricsURL, nil)
	if err != nil {
		return m, err
	}
	if token != "" {
		req.Header.Set("Authorization", "Bearer "+token)
	}
	res, err := http.DefaultClient.Do(req)
	if err != nil {
		return m, err
	}
	defer func() { _ = res.Body.Close() }()
	if res.StatusCode != http.StatusOK {
		return m, fmt.Errorf("GET %s: %s", metricsURL, res.Status)
	}
	sc := bufio.NewScanner(res.Body)
	for sc.Scan() {
		name, v, ok := strings.Cut(sc.Text(), " ")
		if !ok {
			continue
		}
		f, _ := strconv.ParseFloat(v, 64)
		switch {
		case name == "process_cpu_seconds_total":
			m.cpu = f
		case name == "process_resident_memory_bytes":
			m.rss = f
		case name == "go_memstats_heap_inuse_bytes":
			m.heap = f
		case name == "go_gc_heap_live_bytes":
			m.live = f
		case strings.HasPrefix(name, "vms_camera_viewer_dropped_frames_total{"):
			m.dropped += f
		}
	}
	return m, sc.Err()
}
