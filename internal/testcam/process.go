package testcam

import (
	"bufio"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"strconv"
	"strings"
	"sync"
	"syscall"
	"time"
)

// readyTimeout bounds how long the script may take to print READY.
const readyTimeout = 20 * time.Second

// process is one run of the camera script.
type process struct {
	cmd    *exec.Cmd
	done   chan struct{} // closed when stdout hits EOF: the process is gone
	killed sync.Once
}

// launchResult says how one launch went: proc is set on success.
type launchResult struct {
	proc       *process
	bindFailed bool
	missing    string
	err        error
}

// launch runs the script on port and waits for READY, for the process to
// exit, or for readyTimeout.
func (c *Camera) launch(port int) launchResult {
	o := c.opts
	args := []string{c.script,
		"--port", strconv.Itoa(port),
		"--width", strconv.Itoa(o.Width),
		"--height", strconv.Itoa(o.Height),
		"--fps", strconv.Itoa(o.FPS),
		"--bitrate", strconv.Itoa(o.BitrateKbps),
		"--gop", strconv.Itoa(o.GOPFrames),
		"--codec", o.Codec,
		"--audio", o.Audio,
	}
	if o.Username != "" {
		args = append(args, "--user", o.Username)
	}
	cmd := exec.Command(python, args...)
	// The password stays out of argv, where ps would show it.
	cmd.Env = append(os.Environ(), "TESTCAM_PASSWORD="+o.Password)
	// Its own process group, so Stop reaches anything GStreamer spawns.
	cmd.SysProcAttr = &syscall.SysProcAttr{Setpgid: true}
	cmd.Stderr = &c.stderr
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		return launchResult{err: err}
	}
	if err := cmd.Start(); err != nil {
		if errors.Is(err, exec.ErrNotFound) || errors.Is(err, os.ErrNotExist) {
			return launchResult{missing: python + " not found"}
		}
		return launchResult{err: err}
	}

	p := &process{cmd: cmd, done: make(chan struct{})}
	ready := make(chan struct{})
	var mu sync.Mutex // guards res while the reader runs
	var res launchResult
	go func() {
		defer close(p.done)
		sc := bufio.NewScanner(stdout)
		for sc.Scan() {
			word, rest, _ := strings.Cut(sc.Text(), " ")
			switch word {
			case "READY":
				close(ready)
			case "CLIENT_CONNECTED":
				c.clients.Add(1)
			case "SESSION":
				c.sessions.Add(1)
			case "BIND_FAILED":
				mu.Lock()
				res.bindFailed = true
				mu.Unlock()
			case "MISSING":
				mu.Lock()
				res.missing = rest
				mu.Unlock()
			}
		}
	}()

	timer := time.NewTimer(readyTimeout)
	defer timer.Stop()
	select {
	case <-ready:
		return launchResult{proc: p}
	case <-p.done:
		err := cmd.Wait()
		mu.Lock()
		defer mu.Unlock()
		res.err = fmt.Errorf("camera script exited before READY: %w", err)
		return res
	case <-timer.C:
		p.kill()
		return launchResult{err: fmt.Errorf("camera script not READY after %v", readyTimeout)}
	}
}

// kill ends the process group and waits for the process. Safe to call twice.
func (p *process) kill() {
	p.killed.Do(func() {
		_ = syscall.Kill(-p.cmd.Process.Pid, syscall.SIGKILL)
		<-p.done
		_ = p.cmd.Wait()
	})
}

// tailBuffer keeps the last bytes written to it; safe for concurrent use.
type tailBuffer struct {
	mu  sync.Mutex
	buf []byte
}

const tailMax = 64 << 10

func (b *tailBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	b.buf = append(b.buf, p...)
	if len(b.buf) > tailMax {
		b.buf = append(b.buf[:0], b.buf[len(b.buf)-tailMax:]...)
	}
	return len(p), nil
}

func (b *tailBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return string(b.buf)
}
