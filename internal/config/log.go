package config

import (
	"io"
	"log/slog"
)

// SlogLevel returns log.level as a slog.Level; Validate has already
// restricted it to known names, so the fallback to Info is never reached in
// a loaded Config.
func (c Config) SlogLevel() slog.Level {
	switch c.Log.Level {
	case "debug":
		return slog.LevelDebug
	case "warn":
		return slog.LevelWarn
	case "error":
		return slog.LevelError
	default:
		return slog.LevelInfo
	}
}

// NewLogger returns a logger writing to w in log.format at log.level.
func (c Config) NewLogger(w io.Writer) *slog.Logger {
	opts := &slog.HandlerOptions{Level: c.SlogLevel()}
	if c.Log.Format == "json" {
		return slog.New(slog.NewJSONHandler(w, opts))
	}
	return slog.New(slog.NewTextHandler(w, opts))
}

// LogValue lets the loaded configuration be logged at startup with secrets
// (metrics.token, TURN credentials) shown only as set or unset.
func (c Config) LogValue() slog.Value {
	ice := make([]string, 0, len(c.WebRTC.ICEServers))
	for _, s := range c.WebRTC.ICEServers {
		ice = append(ice, s.URLs...)
	}
	return slog.GroupValue(
		slog.String("http.listen", c.HTTP.Listen),
		slog.Bool("http.tls", c.HTTP.TLSCert != ""),
		slog.Int("webrtc.port", c.WebRTC.Port),
		slog.Any("webrtc.public_ips", c.WebRTC.PublicIPs),
		slog.Any("webrtc.ice_servers", ice),
		slog.Bool("webrtc.tcp", c.WebRTC.TCP),
		slog.String("database.path", c.Database.Path),
		slog.String("log.level", c.Log.Level),
		slog.String("log.format", c.Log.Format),
		slog.Duration("relay.linger", c.Relay.Linger),
		slog.Int("relay.max_viewers_per_camera", c.Relay.MaxViewersPerCamera),
		slog.Bool("metrics.public", c.Metrics.Public),
		slog.Bool("metrics.token_set", c.Metrics.Token != ""),
	)
}
