package camera

import (
	"encoding/json"
	"time"
)

// cameraJSON is the only JSON shape of a camera the API sends. It has no
// password field by construction; HasPassword tells the UI whether one is
// set. The connection fields (RTSPURL, SubstreamURL, Username,
// TLSFingerprint: where the camera is and how to log in to it) are sent
// only when Connection is set, i.e. to callers who may update the camera;
// HasSubstream is sent to everybody.
type cameraJSON struct {
	ID             int64     `json:"id"`
	Name           string    `json:"name"`
	UnitCode       string    `json:"unit_code"`
	RTSPURL        string    `json:"rtsp_url"`
	SubstreamURL   string    `json:"substream_url"`
	HasSubstream   bool      `json:"has_substream"`
	Username       string    `json:"username"`
	HasPassword    bool      `json:"has_password"`
	Transport      string    `json:"transport"`
	OnDemand       bool      `json:"on_demand"`
	TLSFingerprint string    `json:"tls_fingerprint"`
	Enabled        bool      `json:"enabled"`
	CreatedAt      time.Time `json:"created_at"`
	UpdatedAt      time.Time `json:"updated_at"`
	Status         any       `json:"status,omitempty"`
	// Connection says whether the connection fields are encoded.
	Connection bool `json:"-"`
}

// MarshalJSON leaves the connection fields out unless Connection is set.
func (j cameraJSON) MarshalJSON() ([]byte, error) {
	type plain cameraJSON // without this method
	if j.Connection {
		return json.Marshal(plain(j))
	}
	// The outer fields shadow the embedded ones of the same JSON name, and
	// being nil they are omitted: the embedded values are never encoded.
	type hidden = *struct{}
	return json.Marshal(struct {
		plain
		RTSPURL        hidden `json:"rtsp_url,omitempty"`
		SubstreamURL   hidden `json:"substream_url,omitempty"`
		Username       hidden `json:"username,omitempty"`
		TLSFingerprint hidden `json:"tls_fingerprint,omitempty"`
	}{plain: plain(j)})
}

// toJSON builds the answer shape, with the connection fields if connection
// is set. URLs go through RedactURL although stored URLs carry no
// userinfo: some cameras take "password=" in the path.
func toJSON(c Camera, status any, connection bool) cameraJSON {
	j := cameraJSON{
		ID:           c.ID,
		Name:         c.Name,
		UnitCode:     c.UnitCode,
		HasSubstream: c.SubstreamURL != "",
		HasPassword:  c.Password != "",
		Transport:    c.Transport,
		OnDemand:     c.OnDemand,
		Enabled:      c.Enabled,
		CreatedAt:    c.CreatedAt,
		UpdatedAt:    c.UpdatedAt,
		Status:       status,
		Connection:   connection,
	}
	if connection {
		j.RTSPURL = RedactURL(c.RTSPURL)
		j.SubstreamURL = RedactURL(c.SubstreamURL)
		j.Username = c.Username
		j.TLSFingerprint = c.TLSFingerprint
	}
	return j
}
