#!/usr/bin/env python3
"""A TCP proxy that times Fetch requests between a client and one broker.

usage: fetch_timing_proxy.py LISTEN_PORT BROKER_PORT OUT_FILE

Start the broker advertising LISTEN_PORT (Tansu: --advertised-listener-url
tcp://127.0.0.1:LISTEN_PORT) so the client's every connection goes through
here. For each Fetch (API key 1) it writes one line when the request
passes and one when its response passes, with a monotonic timestamp:

    <seconds> fetch_req v=<Fetch version>
    <seconds> fetch_rtt_ms=<ms> size=<response bytes>

From these, the gap between a response and the next request shows how
quickly a client fetches again (its own delay), and the round trip shows
the broker's wait; neither depends on the client's own logging.
"""
import socket
import struct
import sys
import threading
import time


def relay_frames(src, dst, on_frame):
    """Copies src to dst unchanged, calling on_frame for each complete
    size-prefixed Kafka frame."""
    pending = b""
    try:
        while True:
            data = src.recv(65536)
            if not data:
                break
            dst.sendall(data)
            pending += data
            while len(pending) >= 4:
                size = struct.unpack(">i", pending[:4])[0]
                if len(pending) < 4 + size:
                    break
                on_frame(pending[4 : 4 + size])
                pending = pending[4 + size :]
    except OSError:
        pass
    finally:
        try:
            dst.shutdown(socket.SHUT_WR)
        except OSError:
            pass


def serve_connection(client, broker, out, lock):
    sent_at = {}  # correlation id -> (api key, time)

    def on_request(frame):
        api_key, version, correlation = struct.unpack(">hhi", frame[:8])
        now = time.monotonic()
        sent_at[correlation] = (api_key, now)
        if api_key == 1:
            with lock:
                out.write(f"{now:.4f} fetch_req v={version}\n")
                out.flush()

    def on_response(frame):
        correlation = struct.unpack(">i", frame[:4])[0]
        api_key, sent = sent_at.pop(correlation, (None, None))
        if api_key == 1:
            now = time.monotonic()
            with lock:
                out.write(f"{now:.4f} fetch_rtt_ms={(now - sent) * 1000:.1f} size={len(frame)}\n")
                out.flush()

    threading.Thread(target=relay_frames, args=(client, broker, on_request), daemon=True).start()
    threading.Thread(target=relay_frames, args=(broker, client, on_response), daemon=True).start()


def main():
    listen_port, broker_port, out_path = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3]
    out, lock = open(out_path, "w"), threading.Lock()
    server = socket.socket()
    server.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    server.bind(("127.0.0.1", listen_port))
    server.listen(16)
    while True:
        client, _ = server.accept()
        broker = socket.create_connection(("127.0.0.1", broker_port))
        serve_connection(client, broker, out, lock)


if __name__ == "__main__":
    main()
