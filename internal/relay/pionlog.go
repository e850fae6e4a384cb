package relay

import (
	"context"
	"fmt"
	"log/slog"
	"strings"

	"github.com/pion/logging"
)

// pionLoggerFactory bridges pion's logging to slog. Pion's info chatter
// goes to debug level, and so do the warnings and errors it logs about
// normal events (benign, below); trace is dropped.
type pionLoggerFactory struct{ log *slog.Logger }

// NewLogger implements logging.LoggerFactory.
func (f pionLoggerFactory) NewLogger(scope string) logging.LeveledLogger {
	return pionLogger{log: f.log.With("scope", scope)}
}

type pionLogger struct{ log *slog.Logger }

// benign are pion messages about normal events that it logs as warnings
// or errors: an ICE agent of a viewer that never connected pings several
// times a second until it times out; the one UDP port is bound to every
// interface on purpose (webrtc.port); sockets and streams closed when a
// viewer or the server goes away.
var benign = []string{
	"Failed to ping without candidate pairs",
	"should not listening on unspecified address",
	"use of closed network connection",
	// A viewer's connection closed under its readers (hang-up, logout).
	"read/write on closed pipe",
	"is already closed",
}

func (l pionLogger) out(level slog.Level, msg string) {
	if level > slog.LevelDebug {
		for _, b := range benign {
			if strings.Contains(msg, b) {
				level = slog.LevelDebug
				break
			}
		}
	}
	if l.log.Enabled(context.Background(), level) {
		l.log.Log(context.Background(), level, msg)
	}
}

func (l pionLogger) Trace(string)              {}
func (l pionLogger) Tracef(string, ...any)     {}
func (l pionLogger) Debug(m string)            { l.out(slog.LevelDebug, m) }
func (l pionLogger) Debugf(f string, a ...any) { l.out(slog.LevelDebug, fmt.Sprintf(f, a...)) }
func (l pionLogger) Info(m string)             { l.out(slog.LevelDebug, m) }
func (l pionLogger) Infof(f string, a ...any)  { l.out(slog.LevelDebug, fmt.Sprintf(f, a...)) }
func (l pionLogger) Warn(m string)             { l.out(slog.LevelWarn, m) }
func (l pionLogger) Warnf(f string, a ...any)  { l.out(slog.LevelWarn, fmt.Sprintf(f, a...)) }
func (l pionLogger) Error(m string)            { l.out(slog.LevelError, m) }
func (l pionLogger) Errorf(f string, a ...any) { l.out(slog.LevelError, fmt.Sprintf(f, a...)) }
