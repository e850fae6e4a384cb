package server

import (
	"crypto/subtle"
	"net/http"

	"github.com/prometheus/client_golang/prometheus"
	"github.com/prometheus/client_golang/prometheus/promhttp"

	"github.com/vms-project/vms/internal/accounts"
	"github.com/vms-project/vms/internal/camera"
	"github.com/vms-project/vms/internal/httpx"
	"github.com/vms-project/vms/internal/relay"
)

// metricsHandler serves /metrics. With metrics.public, or the metrics
// token as bearer, it is full: every camera plus the process and Go
// runtime (what Prometheus scrapes). A logged-in user gets the camera
// series of the cameras in their scope only, like the camera API: a
// district's monitoring sees its own counters and learns nothing of the
// others. Anonymous requests get 401.
func (s *Server) metricsHandler(full http.Handler) http.Handler {
	m := s.d.Config.Metrics
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if m.Public || (m.Token != "" &&
			subtle.ConstantTimeCompare([]byte(r.Header.Get("Authorization")), []byte("Bearer "+m.Token)) == 1) {
			full.ServeHTTP(w, r)
			return
		}
		p, ok := accounts.PrincipalFrom(r.Context())
		if !ok {
			w.Header().Set("WWW-Authenticate", `Bearer realm="metrics"`)
			http.Error(w, "metrics require the metrics token or a login", http.StatusUnauthorized)
			return
		}
		cams, err := s.d.Cameras.List(r.Context(), camera.Filter{})
		if err != nil {
			s.log.Error("metrics: list cameras", "err", err)
			httpx.WriteError(w, err)
			return
		}
		allowed := make(map[int64]bool, len(cams))
		for _, c := range cams {
			if accounts.Can(p, accounts.ActionCameraView, accounts.Resource{Unit: c.UnitCode}) == nil {
				allowed[c.ID] = true
			}
		}
		reg := prometheus.NewRegistry()
		reg.MustRegister(relay.NewScopedCollector(s.d.Relay, func(id int64) bool { return allowed[id] }))
		promhttp.HandlerFor(reg, promhttp.HandlerOpts{}).ServeHTTP(w, r)
	})
}
