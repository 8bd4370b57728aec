#!/usr/bin/env python3
"""For scripts/status-page-check.sh: headless Chromium lays --dump-dom out at least 500 px wide, so
the page is measured in an iframe of the wanted width. Serves GET /frame?width=W&open=ID (a page
that frames the status page at W px, then copies the framed page's body, with its attributes, into
its own for --dump-dom) and passes every other request through to UPSTREAM (same origin, so the
frame can be read).

usage: status-page-frame.py PORT UPSTREAM
"""
import http.server
import sys
import urllib.error
import urllib.parse
import urllib.request

if len(sys.argv) != 3:
    sys.exit(__doc__)
port, upstream = int(sys.argv[1]), sys.argv[2]
FRAME = """<!doctype html><html><body style="margin:0">
<iframe id="f" src="/#open=%s" style="width:%dpx;height:1200px;border:0"></iframe><div id="out"></div>
<script>
document.getElementById('f').addEventListener('load', () => setTimeout(() => {
  const body = document.getElementById('f').contentDocument.body, out = document.getElementById('out');
  for (const a of body.attributes) out.setAttribute(a.name, a.value);
  out.dataset.innerWidth = document.getElementById('f').contentWindow.innerWidth;
  out.innerHTML = body.innerHTML;
  document.getElementById('f').remove();
}, 4000));
</script></body></html>"""


class Handler(http.server.BaseHTTPRequestHandler):
    def do_GET(self):
        url = urllib.parse.urlsplit(self.path)
        if url.path == "/frame":
            q = urllib.parse.parse_qs(url.query)
            body = (FRAME % (urllib.parse.quote(q["open"][0]), int(q["width"][0]))).encode()
            code, kind = 200, "text/html"
        else:
            try:
                with urllib.request.urlopen(upstream + self.path) as r:
                    body, code, kind = r.read(), r.status, r.headers["Content-Type"]
            except urllib.error.HTTPError as e:
                body, code, kind = e.read(), e.code, e.headers["Content-Type"]
        self.send_response(code)
        self.send_header("Content-Type", kind or "application/octet-stream")
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)

    def log_message(self, *args):
        pass


http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler).serve_forever()
