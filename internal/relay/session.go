package relay

import (
	"context"
	"crypto/rand"
	"encoding/hex"
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/pion/sdp/v3"
	"github.com/pion/webrtc/v4"

	"github.com/vms-project/vms/internal/rtsp"
)

// Errors a WHEP front end maps to HTTP statuses.
var (
	ErrCameraNotFound  = errors.New("camera not found")
	ErrSessionNotFound = errors.New("viewer session not found")
)

// OfferError is a WHEP offer the relay cannot answer (HTTP 400).
type OfferError struct{ Reason string }

func (e *OfferError) Error() string { return "invalid SDP offer: " + e.Reason }

// CodecError says the viewer's browser cannot play the camera's codec
// (HTTP 406): not a black tile, a reason the UI can show.
type CodecError struct {
	Codec  string
	Reason string
}

func (e *CodecError) Error() string { return e.Reason }

// Answer is the result of a successful WHEP offer.
type Answer struct {
	SDP       string
	SessionID string
}

// OpenViewer answers a WHEP offer for a camera's stream (StreamMain or
// StreamSub), starting the camera if it is idle. The new viewer gets the
// cached GOP at once, then live frames.
func (r *Relay) OpenViewer(ctx context.Context, camID int64, stream, offer string, who ViewerInfo) (Answer, error) {
	h, ok := r.hubFor(camID, stream)
	if !ok {
		return Answer{}, ErrCameraNotFound
	}
	offered, err := offeredCodecs(offer)
	if err != nil {
		return Answer{}, err
	}
	wctx, cancel := context.WithTimeout(ctx, r.opts.StreamTimeout)
	defer cancel()
	info, err := h.waitStream(wctx)
	if err != nil {
		return Answer{}, err
	}
	videoMime := webrtc.MimeTypeH264
	if info.Video.Codec == rtsp.CodecH265 {
		videoMime = webrtc.MimeTypeH265
	}
	if !offered[strings.ToLower(videoMime)] {
		return Answer{}, codecError(info.Video.Codec)
	}
	v, err := r.newViewer(h, info, offered, who)
	if err != nil {
		return Answer{}, err
	}
	answer, err := v.negotiate(ctx, offer)
	if err != nil {
		v.close()
		return Answer{}, err
	}
	if err := h.addViewer(v); err != nil {
		v.close()
		return Answer{}, err
	}
	r.mu.Lock()
	r.sessions[v.id] = v
	r.mu.Unlock()
	v.start()
	h.log.Info("viewer joined", "session", v.id, "user", who.Username, "remote", who.RemoteAddr)
	if r.hooks.OnViewStart != nil {
		r.hooks.OnViewStart(h.cfg, who)
	}
	return Answer{SDP: answer, SessionID: v.id}, nil
}

func codecError(codec string) *CodecError {
	if codec == rtsp.CodecH265 {
		return &CodecError{Codec: codec, Reason: "camera sends H.265 and this browser cannot play it over WebRTC; " +
			"use the camera's H.264 sub-stream or switch the camera to H.264"}
	}
	return &CodecError{Codec: codec, Reason: fmt.Sprintf("this browser did not offer %s video, which the camera sends", codec)}
}

// offeredCodecs lists the lower-case MIME types ("video/h264") in an offer.
func offeredCodecs(offer string) (map[string]bool, error) {
	var sd sdp.SessionDescription
	if err := sd.UnmarshalString(offer); err != nil {
		return nil, &OfferError{Reason: err.Error()}
	}
	out := map[string]bool{}
	hasVideo, receives := false, false
	for _, md := range sd.MediaDescriptions {
		kind := md.MediaName.Media
		if kind == "video" {
			hasVideo = true
			receives = receives || canReceive(md)
		}
		for _, a := range md.Attributes {
			if a.Key != "rtpmap" {
				continue
			}
			_, enc, ok := strings.Cut(a.Value, " ")
			if !ok {
				continue
			}
			name, _, _ := strings.Cut(enc, "/")
			out[strings.ToLower(kind+"/"+name)] = true
		}
	}
	if !hasVideo {
		return nil, &OfferError{Reason: "the offer has no video section"}
	}
	if !receives {
		return nil, &OfferError{Reason: "the offer's video section cannot receive (sendonly, inactive or port 0); " +
			"a WHEP viewer offers recvonly video"}
	}
	return out, nil
}

// canReceive reports whether the offerer accepts media in a section
// (RFC 8866 §6.7: sendrecv when no direction is given; port 0 rejects it).
func canReceive(md *sdp.MediaDescription) bool {
	if md.MediaName.Port.Value == 0 {
		return false
	}
	for _, a := range md.Attributes {
		if a.Key == "sendonly" || a.Key == "inactive" {
			return false
		}
	}
	return true
}

func (r *Relay) newViewer(h *Hub, info rtsp.StreamInfo, offered map[string]bool, who ViewerInfo) (*viewer, error) {
	pc, err := r.rtc.api.NewPeerConnection(webrtc.Configuration{})
	if err != nil {
		return nil, fmt.Errorf("create peer connection: %w", err)
	}
	id := randomID()
	stream := fmt.Sprintf("camera-%d", h.cfg.ID)
	videoMime := webrtc.MimeTypeH264
	if info.Video.Codec == rtsp.CodecH265 {
		videoMime = webrtc.MimeTypeH265
	}
	ctx, cancel := context.WithCancel(context.Background())
	v := &viewer{
		id:        id,
		hub:       h,
		info:      who,
		log:       h.log.With("session", id),
		pc:        pc,
		video:     newOutTrack(webrtc.RTPCodecTypeVideo, videoMime, "video", stream),
		q:         newViewerQueue(r.opts.QueueFrames),
		ctx:       ctx,
		cancel:    cancel,
		connected: make(chan struct{}),
		started:   time.Now(),
		burstRate: burstRate(h.Status().BitrateKbps),
	}
	if _, err := pc.AddTransceiverFromTrack(v.video, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
		v.close()
		return nil, fmt.Errorf("add video track: %w", err)
	}
	if a := info.Audio; a != nil && a.Playable {
		mime := map[string]string{rtsp.CodecPCMA: webrtc.MimeTypePCMA, rtsp.CodecPCMU: webrtc.MimeTypePCMU, rtsp.CodecOpus: webrtc.MimeTypeOpus}[a.Codec]
		if mime != "" && offered[strings.ToLower(mime)] {
			v.audio = newOutTrack(webrtc.RTPCodecTypeAudio, mime, "audio", stream)
			if _, err := pc.AddTransceiverFromTrack(v.audio, webrtc.RTPTransceiverInit{Direction: webrtc.RTPTransceiverDirectionSendonly}); err != nil {
				v.close()
				return nil, fmt.Errorf("add audio track: %w", err)
			}
		}
	}
	pc.OnConnectionStateChange(func(s webrtc.PeerConnectionState) {
		switch s {
		case webrtc.PeerConnectionStateConnected:
			v.markConnected()
		case webrtc.PeerConnectionStateFailed, webrtc.PeerConnectionStateClosed:
			h.removeViewer(v, "connection "+s.String())
		}
	})
	return v, nil
}

// burstRate paces the instant-start burst at five times the camera's
// bitrate, and never slower than 8 Mbit/s.
func burstRate(kbps float64) float64 {
	return max(5*kbps*1000/8, 1e6)
}

// negotiate applies the offer and returns the answer with every ICE
// candidate in it (no trickle: one round trip, as WHEP clients expect).
func (v *viewer) negotiate(ctx context.Context, offer string) (string, error) {
	if err := v.pc.SetRemoteDescription(webrtc.SessionDescription{Type: webrtc.SDPTypeOffer, SDP: offer}); err != nil {
		return "", &OfferError{Reason: err.Error()}
	}
	answer, err := v.pc.CreateAnswer(nil)
	if err != nil {
		return "", &OfferError{Reason: err.Error()}
	}
	gathered := webrtc.GatheringCompletePromise(v.pc)
	if err := v.pc.SetLocalDescription(answer); err != nil {
		return "", &OfferError{Reason: err.Error()}
	}
	select {
	case <-gathered:
	case <-ctx.Done():
		return "", ctx.Err()
	}
	return v.pc.LocalDescription().SDP, nil
}

// CloseViewer ends a WHEP session of a camera (the DELETE on its resource).
func (r *Relay) CloseViewer(camID int64, sessionID string) error {
	r.mu.Lock()
	v, ok := r.sessions[sessionID]
	r.mu.Unlock()
	if !ok || v.hub.cfg.ID != camID {
		return ErrSessionNotFound
	}
	v.hub.removeViewer(v, "viewer ended the session")
	return nil
}

// SessionOwner returns who opened a session, for authorization of DELETE.
func (r *Relay) SessionOwner(sessionID string) (ViewerInfo, bool) {
	r.mu.Lock()
	defer r.mu.Unlock()
	v, ok := r.sessions[sessionID]
	if !ok {
		return ViewerInfo{}, false
	}
	return v.info, true
}

func randomID() string {
	var b [16]byte
	_, _ = rand.Read(b[:])
	return hex.EncodeToString(b[:])
}
