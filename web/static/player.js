// player.js: VMS.Player plays one camera in one <video> over WHEP
// (RFC 9725) and knows why it does not, in one of a few stable reasons.
//
// state:  idle        nothing to play
//         connecting  WHEP exchange or ICE in progress, no frame yet
//         live        framesDecoded (getStats) grows
//         waiting     was live, no new frame for a few seconds
//         retry       failed; a new attempt is scheduled (retryAt)
//         failed      failed for a reason a retry cannot fix
// reason (while not live): offline | camera_error | codec | forbidden |
//         network | nodata | server | busy | webrtc_unsupported | browser
//         | unknown ('' when there is nothing to explain)
//
// Retries back off 1 s → 30 s and reset once frames flow; retryNow()
// skips the wait (the page calls it when the camera comes back online).
// stop() ends the WHEP session (DELETE on its Location) and closes the
// peer connection; the <video> element is kept for the next camera.
'use strict';

(function () {
  const VMS = (window.VMS = window.VMS || {});
  const api = VMS.api;

  const STATS_MS = 1000;
  const WAITING_MS = 3000; // live → waiting after this long without a frame
  const NO_FRAMES_MS = 12000; // no (new) frame for this long: start again
  const ICE_GATHER_MAX_MS = 2000;
  const BACKOFF_MIN_MS = 1000;
  const BACKOFF_MAX_MS = 30000;

  // Reasons no retry can fix.
  const PERMANENT = new Set(['codec', 'forbidden', 'webrtc_unsupported']);

  let nextId = 1;

  class Player {
    constructor(video, onChange) {
      this.id = nextId++;
      this.video = video;
      this.video.muted = true;
      this.video.autoplay = true;
      this.video.playsInline = true;
      this.onChange = onChange || (() => {});
      this.camId = null;
      this.stream = 'main';
      this.state = 'idle';
      this.reason = '';
      this.detail = ''; // the server's own words, small print
      this.httpStatus = 0;
      this.retryAt = 0;
      this.frames = 0; // framesDecoded of the current session
      this.fps = 0;
      this.reconnects = 0;
      this.firstFrameMs = null;
      this.gen = 0;
      this.pc = null;
      this.location = '';
      this.abort = null;
      this.timer = 0;
      this.statsTimer = 0;
      this.backoff = BACKOFF_MIN_MS;
      this.lastProgressAt = 0;
      this.startedAt = 0;
      this.lastStatsAt = 0;
    }

    get active() {
      return this.camId !== null;
    }

    // play starts camId on stream ("main" or "sub"); the same camera and
    // stream again is a no-op unless it failed.
    play(camId, stream) {
      const s = stream === 'sub' ? 'sub' : 'main';
      if (this.camId === camId && this.stream === s && this.state !== 'failed' && this.state !== 'idle') return;
      this.teardown();
      this.camId = camId;
      this.stream = s;
      this.backoff = BACKOFF_MIN_MS;
      this.reconnects = 0;
      this.reason = '';
      this.detail = '';
      this.connect();
    }

    stop() {
      this.teardown();
      this.camId = null;
      this.reason = '';
      this.detail = '';
      this.set('idle');
    }

    // retryNow cuts a pending backoff short (or restarts a stalled one).
    retryNow() {
      if (this.camId === null) return;
      if (this.state === 'retry') {
        this.teardown();
        this.backoff = BACKOFF_MIN_MS;
        this.reconnects += 1;
        this.connect();
      }
    }

    // restart forces a new session even for a permanent failure (e.g.
    // after the camera was changed by an administrator).
    restart() {
      if (this.camId === null) return;
      const id = this.camId;
      const s = this.stream;
      this.camId = null;
      this.play(id, s);
    }

    get framesDecoded() {
      return this.frames;
    }

    set(state) {
      this.state = state;
      this.onChange(this);
    }

    teardown() {
      this.gen += 1;
      window.clearTimeout(this.timer);
      window.clearInterval(this.statsTimer);
      this.timer = 0;
      this.statsTimer = 0;
      this.retryAt = 0;
      if (this.abort) this.abort.abort();
      this.abort = null;
      if (this.location) {
        api.request('DELETE', this.location, { keepalive: true }).catch(() => {
          // The server also frees sessions whose ICE goes away.
        });
      }
      this.location = '';
      if (this.pc) {
        this.pc.ontrack = null;
        this.pc.onconnectionstatechange = null;
        try {
          this.pc.close();
        } catch (_) {
          // Already closed.
        }
      }
      this.pc = null;
      if (this.video.srcObject) this.video.srcObject = null;
      this.frames = 0;
      this.fps = 0;
    }

    // fail records why and schedules the next attempt (unless futile).
    fail(reason, detail, retryAfterMs) {
      this.teardown();
      this.reason = reason;
      this.detail = detail || '';
      if (PERMANENT.has(reason)) {
        this.set('failed');
        return;
      }
      const wait = Math.max(this.backoff, Math.min(retryAfterMs || 0, BACKOFF_MAX_MS));
      this.backoff = Math.min(this.backoff * 2, BACKOFF_MAX_MS);
      this.retryAt = Date.now() + wait;
      const gen = this.gen;
      this.timer = window.setTimeout(() => {
        if (gen !== this.gen) return;
        this.timer = 0;
        this.retryAt = 0;
        this.reconnects += 1;
        this.connect();
      }, wait);
      this.set('retry');
    }

    async connect() {
      const camId = this.camId;
      if (camId === null) return;
      if (typeof window.RTCPeerConnection !== 'function') {
        this.fail('webrtc_unsupported');
        return;
      }
      const gen = this.gen;
      const stale = () => gen !== this.gen;
      this.set('connecting');
      let pc;
      try {
        pc = new RTCPeerConnection({ iceServers: [], bundlePolicy: 'max-bundle' });
      } catch (e) {
        this.fail('browser', String((e && e.message) || e));
        return;
      }
      this.pc = pc;
      const media = new MediaStream();
      pc.ontrack = (ev) => {
        if (stale()) return;
        media.addTrack(ev.track);
        if (this.video.srcObject !== media) this.video.srcObject = media;
        const p = this.video.play();
        if (p && p.catch) p.catch(() => {});
      };
      pc.onconnectionstatechange = () => {
        if (stale()) return;
        if (pc.connectionState === 'failed') this.fail('network');
      };
      try {
        pc.addTransceiver('video', { direction: 'recvonly' });
        const offer = await pc.createOffer();
        await pc.setLocalDescription(offer);
        await waitIceGathering(pc);
      } catch (e) {
        if (!stale()) this.fail('browser', String((e && e.message) || e));
        return;
      }
      if (stale()) return;

      const ac = new AbortController();
      this.abort = ac;
      const url = '/api/v1/cameras/' + encodeURIComponent(camId) + '/whep' + (this.stream === 'sub' ? '?stream=sub' : '');
      const postAt = performance.now();
      let res;
      try {
        res = await api.request('POST', url, {
          headers: { 'Content-Type': 'application/sdp' },
          body: pc.localDescription.sdp,
          signal: ac.signal,
        });
      } catch (e) {
        if (!stale()) this.fail('server', String((e && e.message) || e));
        return;
      }
      const loc = res.headers.get('Location');
      const location = res.status === 201 && loc ? new URL(loc, window.location.href).pathname : '';
      if (stale()) {
        if (location) api.request('DELETE', location, { keepalive: true }).catch(() => {});
        return;
      }
      this.abort = null;
      this.httpStatus = res.status;
      if (res.status !== 201) {
        const body = await api.readJSON(res);
        if (stale()) return;
        this.failHTTP(res, body);
        return;
      }
      this.location = location;
      let answer;
      try {
        answer = await res.text();
        if (stale()) return;
        await pc.setRemoteDescription({ type: 'answer', sdp: answer });
      } catch (e) {
        if (!stale()) this.fail('browser', String((e && e.message) || e));
        return;
      }
      if (stale()) return;
      this.startedAt = performance.now();
      this.lastProgressAt = this.startedAt;
      this.watch(gen, postAt);
    }

    failHTTP(res, body) {
      const kind = typeof body.kind === 'string' ? body.kind : '';
      const text = typeof body.error === 'string' ? body.error : '';
      const ra = parseInt(res.headers.get('Retry-After') || '', 10);
      const retryAfter = ra > 0 ? ra * 1000 : 0;
      const s = res.status;
      if (s === 406 || kind === 'codec_unsupported') return this.fail('codec', text);
      if (s === 401) return this.fail('server', text, 30000); // the page shows its login
      if (s === 403 || s === 404) return this.fail('forbidden', text);
      if (kind === 'camera_offline') return this.fail('offline', text, retryAfter);
      if (kind === 'camera_error') return this.fail('camera_error', text, retryAfter);
      if (kind === 'camera_connecting' || kind === 'camera_idle') return this.fail('', text, 0);
      if (kind === 'too_many_viewers') return this.fail('busy', text, retryAfter);
      if (s >= 500) return this.fail('server', text, retryAfter);
      this.reason = 'unknown';
      this.fail('unknown', text, retryAfter);
      return undefined;
    }

    // watch polls getStats once a second: frames must keep coming.
    watch(gen, postAt) {
      this.statsTimer = window.setInterval(async () => {
        const pc = this.pc;
        if (gen !== this.gen || !pc) return;
        let frames = null;
        try {
          const report = await pc.getStats();
          report.forEach((s) => {
            if (s.type === 'inbound-rtp' && (s.kind === 'video' || s.mediaType === 'video')) {
              frames = (frames || 0) + (s.framesDecoded || 0);
            }
          });
        } catch (_) {
          // Closed meanwhile; the generation check ends the loop.
        }
        if (gen !== this.gen) return;
        const now = performance.now();
        if (frames !== null && frames > this.frames) {
          const dt = this.lastStatsAt ? (now - this.lastStatsAt) / 1000 : 0;
          this.fps = dt > 0 ? (frames - this.frames) / dt : 0;
          this.frames = frames;
          this.lastProgressAt = now;
          this.lastStatsAt = now;
          if (this.state !== 'live') {
            if (this.firstFrameMs === null) this.firstFrameMs = Math.round(now - postAt);
            this.backoff = BACKOFF_MIN_MS;
            this.reason = '';
            this.detail = '';
            this.set('live');
          }
          return;
        }
        this.lastStatsAt = now;
        const quiet = now - this.lastProgressAt;
        if (this.state === 'live' && quiet >= WAITING_MS) this.set('waiting');
        if (quiet >= NO_FRAMES_MS) {
          const ice = pc.iceConnectionState;
          const connected = ice === 'connected' || ice === 'completed';
          const neverLive = this.frames === 0;
          this.fail(neverLive && !connected ? 'network' : 'nodata');
        }
      }, STATS_MS);
    }
  }

  function waitIceGathering(pc) {
    if (pc.iceGatheringState === 'complete') return Promise.resolve();
    return new Promise((resolve) => {
      const done = () => {
        window.clearTimeout(timer);
        pc.removeEventListener('icegatheringstatechange', onState);
        resolve();
      };
      const onState = () => {
        if (pc.iceGatheringState === 'complete') done();
      };
      const timer = window.setTimeout(done, ICE_GATHER_MAX_MS);
      pc.addEventListener('icegatheringstatechange', onState);
    });
  }

  Player.NO_FRAMES_S = NO_FRAMES_MS / 1000;
  VMS.Player = Player;
})();
