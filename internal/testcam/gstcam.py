#!/usr/bin/python3
"""A live RTSP test camera on GStreamer's RTSP server, driven by internal/testcam.

Run with Debian's /usr/bin/python3 (it has gi). Serves rtsp://127.0.0.1:PORT/cam
from videotestsrc (live) through x264enc or x265enc, optionally with a second
audio stream, from one shared media factory.

Protocol on stdout, one line each, flushed:
  READY <port>          the server is listening
  BIND_FAILED <port>    the port could not be bound (exit status 3)
  PREPARE_FAILED        the pipeline could not start (exit status 5)
  CLIENT_CONNECTED      a new RTSP connection was accepted
  SESSION <id>          a client created an RTSP session (SETUP)
  MISSING <what>        gi, GstRtspServer or GStreamer elements are not installed
                        (exit status 4)
The password is read from the environment (TESTCAM_PASSWORD), not argv.
"""

import argparse
import os
import signal
import sys

try:
    import gi

    gi.require_version("Gst", "1.0")
    gi.require_version("GstRtsp", "1.0")
    gi.require_version("GstRtspServer", "1.0")
    from gi.repository import GLib, Gst, GstRtsp, GstRtspServer
except (ImportError, ValueError) as err:
    print("MISSING python3-gi/gir1.2-gst-rtsp-server-1.0:", err, flush=True)
    sys.exit(4)

VIDEO = {
    "h264": (
        ["x264enc", "rtph264pay"],
        "x264enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} bframes=0 bitrate={kbps} "
        "! rtph264pay name=pay0 pt=96 config-interval=-1",
    ),
    "h265": (
        ["x265enc", "rtph265pay"],
        "x265enc tune=zerolatency speed-preset=ultrafast key-int-max={gop} bitrate={kbps} "
        "option-string=bframes=0 ! rtph265pay name=pay0 pt=96 config-interval=-1",
    ),
}

AUDIO = {
    "": ([], ""),
    "pcma": (
        ["alawenc", "rtppcmapay"],
        "audio/x-raw,rate=8000,channels=1 ! alawenc ! rtppcmapay name=pay1 pt=8",
    ),
    "pcmu": (
        ["mulawenc", "rtppcmupay"],
        "audio/x-raw,rate=8000,channels=1 ! mulawenc ! rtppcmupay name=pay1 pt=0",
    ),
    "opus": (
        ["opusenc", "rtpopuspay"],
        "audio/x-raw,rate=48000,channels=2 ! opusenc ! rtpopuspay name=pay1 pt=97",
    ),
    "aac": (
        ["voaacenc", "rtpmp4gpay"],
        "audio/x-raw,rate=16000,channels=1 ! voaacenc ! rtpmp4gpay name=pay1 pt=97",
    ),
}

COMMON = ["videotestsrc", "timeoverlay", "audiotestsrc", "audioconvert", "audioresample"]


def say(*words):
    print(*words, flush=True)


def set_supported_methods(auth, methods):
    """Offers basic and digest (the default is basic only).

    C uses GstRTSPAuthMethod as flags, but PyGObject sees a plain enum and
    refuses BASIC|DIGEST, so the C function is called through ctypes.
    """
    import ctypes

    get_pointer = ctypes.pythonapi.PyCapsule_GetPointer
    get_pointer.restype = ctypes.c_void_p
    get_pointer.argtypes = [ctypes.py_object, ctypes.c_char_p]
    lib = ctypes.CDLL("libgstrtspserver-1.0.so.0")
    lib.gst_rtsp_auth_set_supported_methods.argtypes = [ctypes.c_void_p, ctypes.c_int]
    lib.gst_rtsp_auth_set_supported_methods(get_pointer(auth.__gpointer__, None), methods)


def launch_line(a):
    video = VIDEO[a.codec][1].format(gop=a.gop, kbps=a.bitrate)
    line = (
        "( videotestsrc is-live=true horizontal-speed=4 "
        f"! video/x-raw,width={a.width},height={a.height},framerate={a.fps}/1 "
        '! timeoverlay halignment=left valignment=bottom font-desc="Sans 32" '
        f"! {video}"
    )
    if a.audio:
        line += (
            " audiotestsrc is-live=true wave=sine freq=440 volume=0.2 "
            f"! audioconvert ! audioresample ! {AUDIO[a.audio][1]}"
        )
    return line + " )"


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--port", type=int, required=False, default=0)
    p.add_argument("--width", type=int, default=1280)
    p.add_argument("--height", type=int, default=720)
    p.add_argument("--fps", type=int, default=25)
    p.add_argument("--bitrate", type=int, default=2000, help="kbit/s")
    p.add_argument("--gop", type=int, default=50, help="frames between keyframes")
    p.add_argument("--codec", choices=sorted(VIDEO), default="h264")
    p.add_argument("--audio", choices=sorted(AUDIO), default="")
    p.add_argument("--user", default="")
    p.add_argument("--check", action="store_true", help="only report missing elements")
    a = p.parse_args()

    Gst.init(None)
    need = COMMON + VIDEO[a.codec][0] + AUDIO[a.audio][0]
    missing = [e for e in need if Gst.ElementFactory.find(e) is None]
    if a.check or missing:
        say("MISSING", *missing) if missing else say("OK")
        return 4 if missing else 0

    server = GstRtspServer.RTSPServer()
    server.set_address("127.0.0.1")
    server.set_service(str(a.port))

    factory = GstRtspServer.RTSPMediaFactory()
    factory.set_launch(launch_line(a))
    # One pipeline for every client, as a camera has one encoder.
    factory.set_shared(True)

    if a.user:
        password = os.environ.get("TESTCAM_PASSWORD", "")
        auth = GstRtspServer.RTSPAuth()
        set_supported_methods(auth, int(GstRtsp.RTSPAuthMethod.BASIC) | int(GstRtsp.RTSPAuthMethod.DIGEST))
        token = GstRtspServer.RTSPToken()
        token.set_string(GstRtspServer.RTSP_TOKEN_MEDIA_FACTORY_ROLE, "user")
        auth.add_basic(GstRtspServer.RTSPAuth.make_basic(a.user, password), token)
        auth.add_digest(a.user, password, token)
        server.set_auth(auth)
        factory.add_role_from_structure(Gst.Structure.new_from_string(
            "user, media.factory.access=(boolean)true, media.factory.construct=(boolean)true"))

    server.get_mount_points().add_factory("/cam", factory)

    def on_session(_client, session):
        say("SESSION", session.get_sessionid())

    def on_client(_server, client):
        say("CLIENT_CONNECTED")
        client.connect("new-session", on_session)

    server.connect("client-connected", on_client)

    if server.attach(None) == 0:
        say("BIND_FAILED", a.port)
        return 3
    port = server.get_bound_port()

    # Prepare the shared media now and hold one prepare count on it for the
    # life of the process, like a camera whose encoder is always there.
    # Otherwise the media is unprepared whenever its last client leaves, and
    # a client arriving during that teardown gets 503 Service Unavailable.
    ok, url = GstRtsp.rtsp_url_parse(f"rtsp://127.0.0.1:{port}/cam")
    media = factory.construct(url) if ok == GstRtsp.RTSPResult.OK else None
    thread = server.get_thread_pool().get_thread(
        GstRtspServer.RTSPThreadType.MEDIA, GstRtspServer.RTSPContext())
    if media is None or thread is None or not media.prepare(thread):
        say("PREPARE_FAILED")
        return 5

    say("READY", port)

    loop = GLib.MainLoop()
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGTERM, loop.quit)
    GLib.unix_signal_add(GLib.PRIORITY_DEFAULT, signal.SIGINT, loop.quit)
    loop.run()
    return 0


if __name__ == "__main__":
    sys.exit(main())
