package config

import (
	"os"
	"path/filepath"
	"reflect"
	"strings"
	"testing"
	"time"
)

// env returns a getenv backed by a map, so tests never touch the process
// environment and can run in parallel.
func env(m map[string]string) func(string) (string, bool) {
	return func(k string) (string, bool) {
		v, ok := m[k]
		return v, ok
	}
}

func writeFile(t *testing.T, name, body string) string {
	t.Helper()
	p := filepath.Join(t.TempDir(), name)
	if err := os.WriteFile(p, []byte(body), 0o600); err != nil {
		t.Fatal(err)
	}
	return p
}

func TestDefaultIsValid(t *testing.T) {
	if err := Default().Validate(); err != nil {
		t.Fatalf("Default() is invalid: %v", err)
	}
	cfg, err := Load("", nil)
	if err != nil {
		t.Fatal(err)
	}
	if !reflect.DeepEqual(cfg, Default()) {
		t.Fatalf("Load with no file and no env = %+v, want Default()", cfg)
	}
}

func TestLoad(t *testing.T) {
	tokenFile := writeFile(t, "token", "s3cret\n")
	tests := []struct {
		name  string
		yaml  string
		env   map[string]string
		check func(t *testing.T, c Config)
	}{
		{
			name: "file overrides defaults and keeps the rest",
			yaml: "webrtc:\n  port: 9000\n  public_ips: [203.0.113.10, '2001:db8::1']\nrelay:\n  linger: 2m\n",
			check: func(t *testing.T, c Config) {
				if c.WebRTC.Port != 9000 || c.Relay.Linger != 2*time.Minute || c.HTTP.Listen != ":8080" || !c.WebRTC.TCP {
					t.Errorf("got %+v", c)
				}
				if want := []string{"203.0.113.10", "2001:db8::1"}; !reflect.DeepEqual(c.WebRTC.PublicIPs, want) {
					t.Errorf("public_ips = %v, want %v", c.WebRTC.PublicIPs, want)
				}
			},
		},
		{
			name: "env wins over file",
			yaml: "webrtc:\n  port: 9000\nlog:\n  level: debug\n",
			env:  map[string]string{"VMS_WEBRTC_PORT": "9100", "VMS_WEBRTC_TCP": "false", "VMS_WEBRTC_PUBLIC_IPS": "1.2.3.4, 5.6.7.8,"},
			check: func(t *testing.T, c Config) {
				if c.WebRTC.Port != 9100 || c.WebRTC.TCP || c.Log.Level != "debug" {
					t.Errorf("got %+v", c)
				}
				if want := []string{"1.2.3.4", "5.6.7.8"}; !reflect.DeepEqual(c.WebRTC.PublicIPs, want) {
					t.Errorf("public_ips = %v, want %v", c.WebRTC.PublicIPs, want)
				}
			},
		},
		{
			name: "port 0 picks a free port",
			env:  map[string]string{"VMS_WEBRTC_PORT": "0"},
			check: func(t *testing.T, c Config) {
				if c.WebRTC.Port != 0 {
					t.Errorf("port = %d", c.WebRTC.Port)
				}
			},
		},
		{
			name: "every scalar kind from env",
			env: map[string]string{
				"VMS_HTTP_LISTEN":                  "127.0.0.1:9999",
				"VMS_HTTP_TLS_CERT":                "/c.pem",
				"VMS_HTTP_TLS_KEY":                 "/k.pem",
				"VMS_DATABASE_PATH":                "/var/lib/vms/vms.db",
				"VMS_LOG_FORMAT":                   "json",
				"VMS_RELAY_LINGER":                 "0s",
				"VMS_RELAY_MAX_VIEWERS_PER_CAMERA": "7",
				"VMS_METRICS_PUBLIC":               "false",
				"VMS_METRICS_TOKEN":                "tok",
			},
			check: func(t *testing.T, c Config) {
				want := Default()
				want.HTTP = HTTP{Listen: "127.0.0.1:9999", TLSCert: "/c.pem", TLSKey: "/k.pem"}
				want.Database.Path = "/var/lib/vms/vms.db"
				want.Log.Format = "json"
				want.Relay = Relay{Linger: 0, MaxViewersPerCamera: 7}
				want.Metrics = Metrics{Public: false, Token: "tok"}
				if !reflect.DeepEqual(c, want) {
					t.Errorf("got %+v\nwant %+v", c, want)
				}
			},
		},
		{
			name: "secret from _FILE without the trailing newline",
			env:  map[string]string{"VMS_METRICS_TOKEN_FILE": tokenFile, "VMS_METRICS_PUBLIC": "false"},
			check: func(t *testing.T, c Config) {
				if c.Metrics.Token != "s3cret" {
					t.Errorf("token = %q", c.Metrics.Token)
				}
			},
		},
		{
			name: "ice servers from file and env JSON",
			yaml: "webrtc:\n  ice_servers:\n    - urls: ['stun:a.example:3478']\n",
			env:  map[string]string{"VMS_WEBRTC_ICE_SERVERS": `[{"urls":["turn:t.example:3478"],"username":"u","credential":"p"}]`},
			check: func(t *testing.T, c Config) {
				want := []ICEServer{{URLs: []string{"turn:t.example:3478"}, Username: "u", Credential: "p"}}
				if !reflect.DeepEqual(c.WebRTC.ICEServers, want) {
					t.Errorf("ice_servers = %+v", c.WebRTC.ICEServers)
				}
			},
		},
		{
			name: "empty env list clears the file's list",
			yaml: "webrtc:\n  public_ips: [1.2.3.4]\n",
			env:  map[string]string{"VMS_WEBRTC_PUBLIC_IPS": ""},
			check: func(t *testing.T, c Config) {
				if len(c.WebRTC.PublicIPs) != 0 {
					t.Errorf("public_ips = %v", c.WebRTC.PublicIPs)
				}
			},
		},
		{
			name: "null and empty file keep defaults",
			yaml: "http:\nrelay:\n  linger: ~\n",
			check: func(t *testing.T, c Config) {
				if !reflect.DeepEqual(c, Default()) {
					t.Errorf("got %+v", c)
				}
			},
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.yaml != "" {
				path = writeFile(t, "vms.yaml", tt.yaml)
			}
			cfg, err := Load(path, env(tt.env))
			if err != nil {
				t.Fatalf("Load: %v", err)
			}
			tt.check(t, cfg)
		})
	}
}

func TestLoadInvalid(t *testing.T) {
	tests := []struct {
		name string
		yaml string
		env  map[string]string
		want []string // substrings of the error
	}{
		{"unknown top-level key", "htpp:\n  listen: ':80'\n", nil, []string{`line 1: unknown key "htpp"`}},
		{"unknown nested key", "webrtc:\n  prot: 1\n", nil, []string{`unknown key "webrtc.prot"`}},
		{"unknown ice server key", "webrtc:\n  ice_servers:\n    - url: stun:x\n", nil, []string{`unknown key "webrtc.ice_servers[0].url"`}},
		{"duplicate key", "log:\n  level: info\n  level: debug\n", nil, []string{`key "log.level" set twice`}},
		{"port out of range", "webrtc:\n  port: 70000\n", nil, []string{"webrtc.port must be 0–65535, got 70000"}},
		{"negative port from env", "", map[string]string{"VMS_WEBRTC_PORT": "-1"}, []string{"webrtc.port must be 0–65535, got -1"}},
		{"port not a number", "webrtc:\n  port: abc\n", nil, []string{`line 2: webrtc.port: must be an integer, got "abc"`}},
		{"bad public ip", "webrtc:\n  public_ips: [1.2.3.4, abc]\n", nil, []string{`webrtc.public_ips[1]: "abc" is not an IP address`}},
		{"bad public ip from env", "", map[string]string{"VMS_WEBRTC_PUBLIC_IPS": "1.2.3.4,abc"}, []string{`webrtc.public_ips[1]: "abc" is not an IP address`}},
		{"public ips not a list", "webrtc:\n  public_ips: 1.2.3.4\n", nil, []string{"webrtc.public_ips: must be a list"}},
		{"log level", "log:\n  level: verbose\n", nil, []string{"log.level must be one of debug, info, warn, error"}},
		{"log format", "log:\n  format: xml\n", nil, []string{"log.format must be one of text, json"}},
		{"linger in file", "relay:\n  linger: x\n", nil, []string{`relay.linger: invalid duration "x"`}},
		{"linger from env", "", map[string]string{"VMS_RELAY_LINGER": "x"}, []string{`relay.linger (from VMS_RELAY_LINGER): invalid duration "x"`}},
		{"negative linger", "relay:\n  linger: -1s\n", nil, []string{"relay.linger must not be negative"}},
		{"max viewers zero", "relay:\n  max_viewers_per_camera: 0\n", nil, []string{"relay.max_viewers_per_camera must be at least 1"}},
		{"bool", "", map[string]string{"VMS_WEBRTC_TCP": "maybe"}, []string{`webrtc.tcp (from VMS_WEBRTC_TCP): must be true or false, got "maybe"`}},
		{"listen without port", "http:\n  listen: localhost\n", nil, []string{"http.listen: want host:port"}},
		{"listen bad port", "http:\n  listen: ':99999'\n", nil, []string{"http.listen: port must be 0–65535"}},
		{"tls half set", "http:\n  tls_cert: /c.pem\n", nil, []string{"http.tls_cert and http.tls_key must be set together"}},
		{"empty database path", "database:\n  path: ''\n", nil, []string{"database.path is required"}},
		{"secret twice", "", map[string]string{"VMS_METRICS_TOKEN": "a", "VMS_METRICS_TOKEN_FILE": "/x"}, []string{"set VMS_METRICS_TOKEN or VMS_METRICS_TOKEN_FILE, not both"}},
		{"secret file missing", "", map[string]string{"VMS_METRICS_TOKEN_FILE": "/nonexistent/token"}, []string{"metrics.token (from VMS_METRICS_TOKEN_FILE)", "no such file"}},
		{"ice server without urls", "webrtc:\n  ice_servers:\n    - username: u\n", nil, []string{"webrtc.ice_servers[0].urls: at least one URL is required"}},
		{"ice server bad scheme", "webrtc:\n  ice_servers:\n    - urls: [http://x]\n", nil, []string{`webrtc.ice_servers[0].urls[0]: "http://x" must start with stun:`}},
		{"turn without credential", "webrtc:\n  ice_servers:\n    - urls: [turn:x]\n", nil, []string{"webrtc.ice_servers[0]: TURN URL \"turn:x\" needs username and credential"}},
		{"ice servers env not JSON", "", map[string]string{"VMS_WEBRTC_ICE_SERVERS": "[{"}, []string{"webrtc.ice_servers (from VMS_WEBRTC_ICE_SERVERS): must be a JSON list"}},
		{"two documents", "log:\n  level: info\n---\nlog:\n  level: debug\n", nil, []string{"only one YAML document"}},
		{"malformed yaml", "http: [\n", nil, []string{"vms.yaml"}},
		{"section is a scalar", "http: 8080\n", nil, []string{"http: must be a mapping of keys"}},
		{"several errors at once", "webrtc:\n  port: 70000\nlog:\n  level: loud\n", nil, []string{"webrtc.port must be", "log.level must be"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			path := ""
			if tt.yaml != "" {
				path = writeFile(t, "vms.yaml", tt.yaml)
			}
			_, err := Load(path, env(tt.env))
			if err == nil {
				t.Fatal("Load succeeded, want error")
			}
			for _, w := range tt.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("error %q does not contain %q", err, w)
				}
			}
		})
	}
}

func TestLoadMissingFile(t *testing.T) {
	_, err := Load(filepath.Join(t.TempDir(), "nope.yaml"), nil)
	if err == nil || !strings.Contains(err.Error(), "nope.yaml") {
		t.Fatalf("err = %v, want it to name the file", err)
	}
}

func TestKeysEnvNames(t *testing.T) {
	want := map[string]string{
		"http.listen":                  "VMS_HTTP_LISTEN",
		"webrtc.port":                  "VMS_WEBRTC_PORT",
		"webrtc.public_ips":            "VMS_WEBRTC_PUBLIC_IPS",
		"webrtc.ice_servers":           "VMS_WEBRTC_ICE_SERVERS",
		"database.path":                "VMS_DATABASE_PATH",
		"log.level":                    "VMS_LOG_LEVEL",
		"relay.linger":                 "VMS_RELAY_LINGER",
		"relay.max_viewers_per_camera": "VMS_RELAY_MAX_VIEWERS_PER_CAMERA",
		"metrics.token":                "VMS_METRICS_TOKEN",
	}
	got := map[string]Key{}
	for _, k := range Keys() {
		got[k.Path] = k
	}
	for path, envName := range want {
		if got[path].Env != envName {
			t.Errorf("%s: env = %q, want %q", path, got[path].Env, envName)
		}
	}
	if !got["metrics.token"].Secret || got["http.listen"].Secret {
		t.Errorf("secret flags wrong: %+v", got)
	}
}
