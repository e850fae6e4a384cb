package faultcam

import (
	"bufio"
	"crypto/tls"
	"errors"
	"fmt"
	"io"
	"net"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
)

// request is one RTSP request (RFC 2326 §6).
type request struct {
	method, url string
	header      map[string]string // lower-case names
	body        []byte
}

// conn is one client connection and the session on it.
type conn struct {
	cam *Camera
	nc  net.Conn
	br  *bufio.Reader

	wmu sync.Mutex // serializes responses and interleaved frames

	// Read and written by the connection's goroutine only, except where
	// noted.
	session   string
	tracks    []*track
	player    *player
	lastAlive atomic.Int64 // unix nanos of the last accepted request after SETUP
	setupDone atomic.Bool

	closeOnce sync.Once
	done      chan struct{}
}

func newConn(cam *Camera, nc net.Conn) *conn {
	return &conn{cam: cam, nc: nc, br: bufio.NewReaderSize(nc, 8192), done: make(chan struct{})}
}

func (cn *conn) run() {
	defer cn.close()
	if cn.cam.cfg.DropSilent && cn.cam.cfg.SessionTimeout > 0 {
		go cn.watchdog()
	}
	for {
		req, err := cn.readRequest()
		if err != nil {
			return
		}
		cn.cam.count(func(s *Stats) { s.Requests[req.method]++ })
		if !cn.handle(req) {
			return
		}
	}
}

// watchdog drops a session that sent no accepted request for the
// session timeout, as cameras do (RFC 2326 §12.37).
func (cn *conn) watchdog() {
	t := time.NewTicker(50 * time.Millisecond)
	defer t.Stop()
	for {
		select {
		case <-cn.done:
			return
		case <-t.C:
		}
		if !cn.setupDone.Load() {
			continue
		}
		if time.Since(time.Unix(0, cn.lastAlive.Load())) > cn.cam.cfg.SessionTimeout {
			cn.cam.count(func(s *Stats) { s.Dropped++ })
			cn.reset()
			return
		}
	}
}

func (cn *conn) alive() { cn.lastAlive.Store(time.Now().UnixNano()) }

func (cn *conn) readRequest() (*request, error) {
	// Skip interleaved frames (the client's RTCP over TCP).
	for {
		b, err := cn.br.Peek(4)
		if err != nil {
			return nil, err
		}
		if b[0] != '$' {
			break
		}
		n := int(b[2])<<8 | int(b[3])
		frame := make([]byte, 4+n)
		if _, err := io.ReadFull(cn.br, frame); err != nil {
			return nil, err
		}
		if plis := countPLIs(frame[4:]); plis > 0 {
			cn.cam.count(func(s *Stats) { s.PLIs += plis })
		}
	}
	line, err := cn.readLine()
	if err != nil {
		return nil, err
	}
	parts := strings.SplitN(line, " ", 3)
	if len(parts) != 3 || !strings.HasPrefix(parts[2], "RTSP/") {
		return nil, fmt.Errorf("bad request line %q", line)
	}
	req := &request{method: parts[0], url: parts[1], header: map[string]string{}}
	for {
		l, err := cn.readLine()
		if err != nil {
			return nil, err
		}
		if l == "" {
			break
		}
		k, v, ok := strings.Cut(l, ":")
		if !ok {
			return nil, fmt.Errorf("bad header %q", l)
		}
		req.header[strings.ToLower(strings.TrimSpace(k))] = strings.TrimSpace(v)
	}
	if n, _ := strconv.Atoi(req.header["content-length"]); n > 0 && n < 1<<20 {
		req.body = make([]byte, n)
		if _, err := io.ReadFull(cn.br, req.body); err != nil {
			return nil, err
		}
	}
	return req, nil
}

// countPLIs counts picture loss indications (RFC 4585 §6.3.1: PT 206,
// FMT 1) in a compound RTCP packet.
func countPLIs(b []byte) int {
	n := 0
	for len(b) >= 4 {
		if b[1] == 206 && b[0]&0x1f == 1 {
			n++
		}
		l := 4 * (int(b[2])<<8 | int(b[3]) + 1)
		if l > len(b) {
			break
		}
		b = b[l:]
	}
	return n
}

func (cn *conn) readLine() (string, error) {
	var sb strings.Builder
	for sb.Len() < 8192 {
		l, isPrefix, err := cn.br.ReadLine()
		if err != nil {
			return "", err
		}
		sb.Write(l)
		if !isPrefix {
			return sb.String(), nil
		}
	}
	return "", errors.New("line too long")
}

var statusText = map[int]string{
	200: "OK", 302: "Moved Temporarily", 400: "Bad Request", 401: "Unauthorized", 404: "Not Found",
	405: "Method Not Allowed", 454: "Session Not Found", 455: "Method Not Valid in This State",
	461: "Unsupported Transport", 501: "Not Implemented",
}

// respond writes a response; headers are name/value pairs in order.
func (cn *conn) respond(req *request, status int, headers []string, body []byte) error {
	var b strings.Builder
	fmt.Fprintf(&b, "RTSP/1.0 %d %s\r\n", status, statusText[status])
	if cseq, ok := req.header["cseq"]; ok {
		fmt.Fprintf(&b, "CSeq: %s\r\n", cseq)
	}
	b.WriteString("Server: faultcam\r\n")
	for i := 0; i+1 < len(headers); i += 2 {
		fmt.Fprintf(&b, "%s: %s\r\n", headers[i], headers[i+1])
	}
	if len(body) > 0 {
		fmt.Fprintf(&b, "Content-Length: %d\r\n", len(body))
	}
	b.WriteString("\r\n")
	b.Write(body)
	return cn.write([]byte(b.String()))
}

// writeInterleaved sends one RTP or RTCP packet over the RTSP connection
// (RFC 2326 §10.12). Packets over 65535 bytes cannot be framed and fail.
func (cn *conn) writeInterleaved(channel int, pkt []byte) error {
	if len(pkt) > 0xffff {
		return fmt.Errorf("packet of %d bytes too large to interleave", len(pkt))
	}
	buf := make([]byte, 4+len(pkt))
	buf[0], buf[1], buf[2], buf[3] = '$', byte(channel), byte(len(pkt)>>8), byte(len(pkt))
	copy(buf[4:], pkt)
	return cn.write(buf)
}

func (cn *conn) write(b []byte) error {
	cn.wmu.Lock()
	defer cn.wmu.Unlock()
	_ = cn.nc.SetWriteDeadline(time.Now().Add(5 * time.Second))
	_, err := cn.nc.Write(b)
	if err != nil {
		// A client that stopped reading: give up on it.
		go cn.reset()
	}
	return err
}

// reset closes the connection with a TCP RST.
func (cn *conn) reset() {
	nc := cn.nc
	if tc, ok := nc.(*tls.Conn); ok {
		nc = tc.NetConn()
	}
	if tc, ok := nc.(*net.TCPConn); ok {
		_ = tc.SetLinger(0)
	}
	_ = cn.nc.Close()
}

func (cn *conn) close() {
	cn.closeOnce.Do(func() {
		close(cn.done)
		_ = cn.nc.Close()
		if cn.player != nil {
			cn.player.stop()
		}
		for _, t := range cn.tracks {
			t.close()
		}
	})
}
