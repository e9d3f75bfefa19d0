"""A stand-in for the DeepRacer car's device console, for Paddock's tests.

Speaks the documented protocol (spec section 9) over HTTPS with a self-signed certificate made
with openssl: the login page's CSRF token and session cookie, POST /login, and the /api calls
for uploading, listing, loading and the throttle. Binds 127.0.0.1 on a free port, prints
{"port": N} and serves until killed. Each request is appended to LOG as a JSON line.

    python3 stand_in_car.py DIRECTORY PASSWORD [--fail-load] [--drop-uploads]
"""
import email.parser
import email.policy
import json
import os
import secrets
import ssl
import subprocess
import sys
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

directory, password = sys.argv[1], sys.argv[2]
fail_load = "--fail-load" in sys.argv
drop_uploads = "--drop-uploads" in sys.argv
os.makedirs(directory, exist_ok=True)
certificate = os.path.join(directory, "car.pem")
key = os.path.join(directory, "car.key")
subprocess.run(
    ["openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-keyout", key, "-out", certificate,
     "-days", "1", "-subj", "/CN=deepracer.aws"],
    check=True, capture_output=True)
log_path = os.path.join(directory, "requests.log")
state = {"csrf": secrets.token_hex(16), "session": secrets.token_hex(8), "token": None, "models": [],
         "loading": None, "polls": 0, "mode": "manual", "throttle": None}


class Car(BaseHTTPRequestHandler):
    def log_message(self, *args):
        pass

    def cookies(self):
        found = {}
        for part in self.headers.get("Cookie", "").split(";"):
            if "=" in part:
                name, value = part.strip().split("=", 1)
                found[name] = value
        return found

    def reply(self, status, body, content_type="application/json", cookies=()):
        data = body.encode() if isinstance(body, str) else body
        self.send_response(status)
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(data)))
        for cookie in cookies:
            self.send_header("Set-Cookie", cookie)
        self.end_headers()
        self.wfile.write(data)

    def body(self):
        length = int(self.headers.get("Content-Length", "0"))
        return self.rfile.read(length) if length else b""

    def record(self, extra=None):
        entry = {"method": self.command, "path": self.path}
        entry.update(extra or {})
        with open(log_path, "a") as handle:
            handle.write(json.dumps(entry) + "\n")

    def authorised(self):
        good = (self.cookies().get("deepracer_token") == state["token"] and state["token"] is not None
                and self.headers.get("X-CSRFToken") == state["csrf"])
        if not good:
            self.reply(401, json.dumps({"success": False, "reason": "not logged in"}))
        return good

    def do_GET(self):
        self.record()
        if self.path == "/":
            page = ('<html><head><meta name="csrf-token" content="%s"></head>'
                    "<body>AWS DeepRacer</body></html>" % state["csrf"])
            self.reply(200, page, "text/html", ["session=%s; Path=/; Secure; HttpOnly" % state["session"]])
        elif self.path == "/api/models":
            if self.authorised():
                models = [{"model_folder_name": name, "model_sensors": ["FRONT_FACING_CAMERA"]}
                          for name in state["models"]]
                self.reply(200, json.dumps({"models": models, "success": True}))
        elif self.path == "/api/isModelLoading":
            if self.authorised():
                state["polls"] += 1
                status = state["loading"] or "loaded"
                if status == "loading" and state["polls"] >= 2:
                    status = state["loading"] = "error" if fail_load else "loaded"
                self.reply(200, json.dumps({"isModelLoading": status, "success": True}))
        else:
            self.reply(404, "not found", "text/plain")

    def do_POST(self):
        body = self.body()
        if self.path != "/login":
            self.reply(404, "not found", "text/plain")
            return
        fields = dict(pair.split("=", 1) for pair in body.decode().split("&") if "=" in pair)
        from urllib.parse import unquote_plus
        given = unquote_plus(fields.get("password", ""))
        self.record({"csrf_ok": self.headers.get("X-CSRFToken") == state["csrf"]})
        if (self.headers.get("X-CSRFToken") != state["csrf"]
                or self.cookies().get("session") != state["session"] or given != password):
            self.reply(200, "failure", "text/plain")
            return
        state["token"] = secrets.token_hex(16)
        self.reply(200, json.dumps({"redirect": "/home"}), cookies=["deepracer_token=%s; Path=/; Secure" % state["token"]])

    def do_PUT(self):
        body = self.body()
        if not self.authorised():
            return
        if self.path == "/api/uploadModels":
            message = email.parser.BytesParser(policy=email.policy.default).parsebytes(
                b"Content-Type: " + self.headers.get("Content-Type", "").encode() + b"\r\n\r\n" + body)
            files = [part for part in message.iter_parts() if part.get_param("name", header="content-disposition") == "file"]
            if not files or not (files[0].get_filename() or "").endswith(".tar.gz"):
                self.reply(400, json.dumps({"success": False, "reason": "send a .tar.gz as the file field"}))
                return
            name = files[0].get_filename()[: -len(".tar.gz")]
            size = len(files[0].get_payload(decode=True))
            self.record({"uploaded": name, "bytes": size})
            if not drop_uploads:
                state["models"].append(name)
            self.reply(200, json.dumps({"success": True, "message": "upload successful"}))
        elif self.path == "/api/drive_mode":
            state["mode"] = json.loads(body or b"{}").get("drive_mode")
            self.record({"drive_mode": state["mode"]})
            self.reply(200, json.dumps({"success": True}))
        elif self.path.startswith("/api/models/") and self.path.endswith("/model"):
            name = self.path[len("/api/models/"): -len("/model")]
            self.record({"load": name, "mode": state["mode"]})
            if name not in state["models"] or state["mode"] != "auto":
                self.reply(400, json.dumps({"success": False, "reason": "no such model, or not in autonomous mode"}))
                return
            state["loading"] = "loading"
            state["polls"] = 0
            self.reply(200, json.dumps({"success": True}))
        elif self.path == "/api/max_nav_throttle":
            state["throttle"] = json.loads(body or b"{}").get("throttle")
            self.record({"throttle": state["throttle"]})
            self.reply(200, json.dumps({"success": True}))
        else:
            self.reply(404, "not found", "text/plain")


server = ThreadingHTTPServer(("127.0.0.1", 0), Car)
context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
context.load_cert_chain(certificate, key)
server.socket = context.wrap_socket(server.socket, server_side=True)
print(json.dumps({"port": server.server_address[1]}), flush=True)
server.serve_forever()
