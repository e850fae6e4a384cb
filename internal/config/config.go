// Package config holds the typed vms configuration and loads it from
// defaults, an optional YAML file and VMS_* environment variables, in that
// order, then validates it.
package config

import "time"

// Config is the whole vms configuration. The yaml tags are the key names in
// the file; environment variable names are derived from them (see Keys), so a
// new field gets its VMS_* variable without further code.
type Config struct {
	HTTP     HTTP     `yaml:"http"`
	WebRTC   WebRTC   `yaml:"webrtc"`
	Database Database `yaml:"database"`
	Log      Log      `yaml:"log"`
	Relay    Relay    `yaml:"relay"`
	Metrics  Metrics  `yaml:"metrics"`
}

// HTTP configures the web server. TLS is on when both TLSCert and TLSKey are
// set.
type HTTP struct {
	Listen  string `yaml:"listen"`
	TLSCert string `yaml:"tls_cert"`
	TLSKey  string `yaml:"tls_key"`
}

// WebRTC configures the media side of the relay.
type WebRTC struct {
	// Port is the one UDP port shared by every viewer; ICE-TCP listens on the
	// same number. 0 picks a free port (tests).
	Port int `yaml:"port"`
	// PublicIPs are announced instead of the host addresses (NAT 1:1).
	PublicIPs []string `yaml:"public_ips"`
	// ICEServers are handed to browsers as RTCConfiguration.iceServers.
	ICEServers []ICEServer `yaml:"ice_servers"`
	// TCP enables ICE-TCP for viewers whose UDP is blocked.
	TCP bool `yaml:"tcp"`
}

// ICEServer is one STUN or TURN server as the browser's RTCIceServer wants it;
// the json tags match that dictionary so it can be sent as is.
type ICEServer struct {
	URLs       []string `yaml:"urls" json:"urls"`
	Username   string   `yaml:"username" json:"username,omitempty"`
	Credential string   `yaml:"credential" json:"credential,omitempty"`
}

// Database locates the SQLite file.
type Database struct {
	Path string `yaml:"path"`
}

// Log selects the slog level and output format.
type Log struct {
	Level  string `yaml:"level"`
	Format string `yaml:"format"`
}

// Relay tunes how cameras are pulled and shared.
type Relay struct {
	// Linger is how long a camera stays pulled after its last viewer leaves,
	// so a page reload does not pay the RTSP setup again.
	Linger              time.Duration `yaml:"linger"`
	MaxViewersPerCamera int           `yaml:"max_viewers_per_camera"`
}

// Metrics guards the Prometheus endpoint. Public opens all of it to anyone;
// otherwise "Authorization: Bearer <Token>" gets all of it, and a logged-in
// user only the cameras in their scope. Private by default: camera figures
// tell who has which counters.
type Metrics struct {
	Public bool   `yaml:"public"`
	Token  string `yaml:"token" secret:"true"`
}

// Default returns the configuration used for every key that neither the file
// nor the environment sets. configs/vms.example.yaml must state the same
// values; a test keeps them equal.
func Default() Config {
	return Config{
		HTTP:     HTTP{Listen: ":8080"},
		WebRTC:   WebRTC{Port: 8189, TCP: true},
		Database: Database{Path: "./data/vms.db"},
		Log:      Log{Level: "info", Format: "text"},
		Relay:    Relay{Linger: 30 * time.Second, MaxViewersPerCamera: 500},
		Metrics:  Metrics{Public: false},
	}
}
