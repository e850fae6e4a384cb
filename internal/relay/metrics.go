package relay

import (
	"strconv"
	"time"

	"github.com/prometheus/client_golang/prometheus"
)

// Collector exposes the cameras' status as Prometheus metrics, read at
// scrape time so the hot path keeps no extra counters.
type Collector struct {
	r     *Relay
	allow func(camID int64) bool // nil: every camera
}

// NewCollector returns a collector of every camera of r; register it on a
// registry.
func NewCollector(r *Relay) *Collector { return &Collector{r: r} }

// NewScopedCollector returns a collector of the cameras for which allow is
// true, e.g. those in a user's scope.
func NewScopedCollector(r *Relay, allow func(camID int64) bool) *Collector {
	return &Collector{r: r, allow: allow}
}

var (
	descUp         = prometheus.NewDesc("vms_camera_up", "1 when frames are arriving from the camera.", []string{"camera"}, nil)
	descState      = prometheus.NewDesc("vms_camera_state", "Camera state (1 for the current state).", []string{"camera", "state"}, nil)
	descViewers    = prometheus.NewDesc("vms_camera_viewers", "WebRTC viewers watching the camera.", []string{"camera"}, nil)
	descReconnects = prometheus.NewDesc("vms_camera_reconnects_total", "RTSP reconnection attempts.", []string{"camera"}, nil)
	descFrames     = prometheus.NewDesc("vms_camera_frames_total", "Video frames received from the camera.", []string{"camera"}, nil)
	descDropped    = prometheus.NewDesc("vms_camera_viewer_dropped_frames_total", "Frames dropped for viewers that were too slow (current viewers).", []string{"camera"}, nil)
	descFPS        = prometheus.NewDesc("vms_camera_fps", "Measured frames per second.", []string{"camera"}, nil)
	descBitrate    = prometheus.NewDesc("vms_camera_bitrate_bps", "Measured video bitrate in bits per second.", []string{"camera"}, nil)
	descAge        = prometheus.NewDesc("vms_camera_last_frame_age_seconds", "Seconds since the last frame.", []string{"camera"}, nil)
)

// Describe implements prometheus.Collector.
func (c *Collector) Describe(ch chan<- *prometheus.Desc) {
	for _, d := range []*prometheus.Desc{descUp, descState, descViewers, descReconnects, descFrames, descDropped, descFPS, descBitrate, descAge} {
		ch <- d
	}
}

// Collect implements prometheus.Collector.
func (c *Collector) Collect(ch chan<- prometheus.Metric) {
	for _, id := range c.r.CameraIDs() {
		if c.allow != nil && !c.allow(id) {
			continue
		}
		st, ok := c.r.Status(id)
		if !ok {
			continue
		}
		cam := strconv.FormatInt(id, 10)
		up := 0.0
		if st.State == StateOnline {
			up = 1
		}
		ch <- prometheus.MustNewConstMetric(descUp, prometheus.GaugeValue, up, cam)
		for _, s := range []State{StateIdle, StateConnecting, StateOnline, StateOffline, StateError} {
			v := 0.0
			if st.State == s {
				v = 1
			}
			ch <- prometheus.MustNewConstMetric(descState, prometheus.GaugeValue, v, cam, string(s))
		}
		ch <- prometheus.MustNewConstMetric(descViewers, prometheus.GaugeValue, float64(st.Viewers), cam)
		ch <- prometheus.MustNewConstMetric(descReconnects, prometheus.CounterValue, float64(st.Reconnects), cam)
		ch <- prometheus.MustNewConstMetric(descFrames, prometheus.CounterValue, float64(st.Frames), cam)
		ch <- prometheus.MustNewConstMetric(descDropped, prometheus.CounterValue, float64(st.DroppedFrames), cam)
		ch <- prometheus.MustNewConstMetric(descFPS, prometheus.GaugeValue, st.FPS, cam)
		ch <- prometheus.MustNewConstMetric(descBitrate, prometheus.GaugeValue, st.BitrateKbps*1000, cam)
		if !st.LastFrameAt.IsZero() {
			ch <- prometheus.MustNewConstMetric(descAge, prometheus.GaugeValue, time.Since(st.LastFrameAt).Seconds(), cam)
		}
	}
}
