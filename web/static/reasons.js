// reasons.js: what the relay's camera error texts (internal/rtsp, the
// camera status "reason") mean, in the words of the catalogue's reason.*
// keys. The admin pages show it under a failed connection test, the live
// tiles and the wall under "camera offline".
'use strict';

(function () {
  const HINTS = [
    [/rejected the user name or password|401 Unauthorized/i, 'reason.auth'],
    [/no stream at this path|404 Not Found/i, 'reason.path'],
    [/461|Unsupported Transport/i, 'reason.transport'],
    [/refused the connection|connection refused/i, 'reason.refused'],
    [/no such host|lookup /i, 'reason.host'],
    [/unreachable|no route to host/i, 'reason.unreachable'],
    [/certificate|fingerprint|tls/i, 'reason.tls'],
    [/no H\.264 or H\.265 video/i, 'reason.codec'],
    [/no video keyframe/i, 'reason.keyframe'],
    [/did not answer in time|timeout|timed out|deadline|silent/i, 'reason.timeout'],
    [/disconnected|EOF|reset by peer/i, 'reason.dropped'],
  ];

  // hint returns the catalogue key explaining a camera error text, or ''.
  function hint(text) {
    const hit = HINTS.find(([re]) => re.test(text || ''));
    return hit ? hit[1] : '';
  }

  window.VMS_REASONS = Object.freeze({ hint });
})();
