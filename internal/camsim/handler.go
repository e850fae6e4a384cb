package camsim

import (
	"github.com/bluenviron/gortsplib/v4"
	"github.com/bluenviron/gortsplib/v4/pkg/base"
	"github.com/bluenviron/gortsplib/v4/pkg/liberrors"
)

// handler answers RTSP requests for the Sim's paths.
type handler struct {
	sim        *Sim
	user, pass string
}

var (
	_ gortsplib.ServerHandlerOnDescribe = (*handler)(nil)
	_ gortsplib.ServerHandlerOnSetup    = (*handler)(nil)
	_ gortsplib.ServerHandlerOnPlay     = (*handler)(nil)
)

// OnConnOpen logs a new RTSP connection.
func (h *handler) OnConnOpen(ctx *gortsplib.ServerHandlerOnConnOpenCtx) {
	h.sim.log.Debug("rtsp conn opened", "remote", ctx.Conn.NetConn().RemoteAddr().String())
}

// OnConnClose logs a closed RTSP connection.
func (h *handler) OnConnClose(ctx *gortsplib.ServerHandlerOnConnCloseCtx) {
	h.sim.log.Debug("rtsp conn closed", "remote", ctx.Conn.NetConn().RemoteAddr().String(), "err", ctx.Error)
}

// OnDescribe returns the path's stream, whose SDP carries SPS/PPS.
func (h *handler) OnDescribe(ctx *gortsplib.ServerHandlerOnDescribeCtx) (*base.Response, *gortsplib.ServerStream, error) {
	return h.lookup(ctx.Conn, ctx.Request, ctx.Path)
}

// OnSetup attaches the session to the path's stream.
func (h *handler) OnSetup(ctx *gortsplib.ServerHandlerOnSetupCtx) (*base.Response, *gortsplib.ServerStream, error) {
	return h.lookup(ctx.Conn, ctx.Request, ctx.Path)
}

// OnPlay accepts PLAY; packets flow from the path's sender.
func (h *handler) OnPlay(ctx *gortsplib.ServerHandlerOnPlayCtx) (*base.Response, error) {
	h.sim.log.Debug("rtsp play", "path", ctx.Path, "transport", ctx.Session.SetuppedTransport())
	return &base.Response{StatusCode: base.StatusOK}, nil
}

func (h *handler) lookup(conn *gortsplib.ServerConn, req *base.Request, path string) (
	*base.Response, *gortsplib.ServerStream, error,
) {
	if h.user != "" && !conn.VerifyCredentials(req, h.user, h.pass) {
		return &base.Response{StatusCode: base.StatusUnauthorized}, nil, liberrors.ErrServerAuth{}
	}
	paths := h.sim.paths.Load()
	if paths == nil {
		return &base.Response{StatusCode: base.StatusServiceUnavailable}, nil, nil
	}
	p, ok := (*paths)[path]
	if !ok {
		return &base.Response{StatusCode: base.StatusNotFound}, nil, nil
	}
	return &base.Response{StatusCode: base.StatusOK}, p.stream, nil
}
