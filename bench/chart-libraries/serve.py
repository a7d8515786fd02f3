#!/usr/bin/env python3
"""Serves one built bench page on loopback, opens it in WebKitGTK's MiniBrowser (the engine the
app's webview is), waits for the page to POST its timings to /result, prints them, and closes
the browser it started. Usage: serve.py <dist dir> <page.html> [timeout seconds]"""
import http.server
import functools
import subprocess
import sys
import threading

BROWSER = "/usr/lib/x86_64-linux-gnu/webkit2gtk-4.1/MiniBrowser"


def main() -> int:
    directory, page = sys.argv[1], sys.argv[2]
    timeout = float(sys.argv[3]) if len(sys.argv) > 3 else 60.0
    done = threading.Event()
    result: list[str] = []

    class Handler(http.server.SimpleHTTPRequestHandler):
        def do_POST(self):  # noqa: N802 (the http.server naming)
            body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
            result.append(body.decode())
            self.send_response(204)
            self.end_headers()
            done.set()

        def log_message(self, *_args):
            pass

    server = http.server.ThreadingHTTPServer(
        ("127.0.0.1", 0), functools.partial(Handler, directory=directory)
    )
    threading.Thread(target=server.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{server.server_address[1]}/{page}"
    browser = subprocess.Popen(
        [BROWSER, url], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    try:
        if not done.wait(timeout):
            print(f"no result from {url} within {timeout:.0f} s", file=sys.stderr)
            return 1
        print(result[0])
        return 0
    finally:
        browser.terminate()
        try:
            browser.wait(10)
        except subprocess.TimeoutExpired:
            browser.kill()
        server.shutdown()


if __name__ == "__main__":
    sys.exit(main())
