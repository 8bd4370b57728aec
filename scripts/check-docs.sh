#!/usr/bin/env bash
# Runs every example in README.md and docs/*.md, so that none can rot (called by scripts/test.sh).
# A fenced block's info string says how it is checked; any other fenced block is an error:
#   ```json                  parses as JSON
#   ```json config           `breakwater check-config` accepts it
#   ```json config serve     the same; and it is the config the `sh example` blocks run against:
#                            served with its polled venues pointed at a closed local port
#                            (scripts/offline-config.py) and a random token in every variable it names
#   ```sh example            run by bash (set -eo pipefail) in a scratch directory holding a copy of
#                            config.json, `breakwater` on PATH, against that server; must exit 0, and
#                            no curl in it may fail to connect or get a 5xx. A file's blocks run in
#                            order in one shell (a variable set in one is seen by the next). A status
#                            written in a comment (`curl ... # 404 ...`, or a `# 202 ...` line right
#                            after the command) is the status that request must get.
#   ```sh example demo       the same, against the demo the README's `sh server` block starts
#   ```sh server             started (with --port added); /healthz must answer 200
#   ```sh two-commands       the README's two commands: the serve line starts with ./config.json (its
#                            venues pointed at a closed local port) and /readyz answers 200; the test
#                            line is the command .ci/run runs
#   ```sh kubernetes         the namespace, Deployment and container it names exist in Deploy/kubernetes
#   ```python                compiles (scripts/deploy-checks.sh runs the api.md receiver)
# `127.0.0.1:8080` becomes the started server's address and `swift run -c release breakwater` the
# built binary. Also: every relative link (and #anchor) and every repo path written in the text
# exists, and every `breakwater SUBCOMMAND --flag` written names a real subcommand and flag.
# Usage: bash scripts/check-docs.sh [BINARY]     (default: .build/debug/breakwater)
#        CHECK_DOCS_VERBOSE=1 prints what every example printed.
set -euo pipefail
cd "$(dirname "$0")/.."
exec python3 - "${1:-.build/debug/breakwater}" <<'PY'
import glob, json, os, re, secrets, signal, socket, subprocess, sys, tempfile, time, urllib.request

ROOT = os.getcwd()
BIN = os.path.abspath(sys.argv[1])
FILES = ["README.md"] + sorted(glob.glob("docs/*.md"))
KINDS = {"json", "json config", "json config serve", "sh example", "sh example demo", "sh server",
         "sh two-commands", "sh kubernetes", "python"}
problems, started = [], []

def fail(where, msg): problems.append(f"{where}: {msg}")

def blocks(path):
    """(line of the opening fence, info string, body) of every fenced block."""
    out, lines, i = [], open(path).read().split("\n"), 0
    while i < len(lines):
        m = re.match(r"^```(.*)$", lines[i])
        if m:
            j = i + 1
            while j < len(lines) and not lines[j].startswith("```"): j += 1
            out.append((i + 1, m.group(1).strip(), "\n".join(lines[i + 1:j]) + "\n"))
            i = j
        i += 1
    return out

def free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0)); return s.getsockname()[1]

def answers(port, path, status=200):
    try:
        with urllib.request.urlopen(f"http://127.0.0.1:{port}{path}", timeout=2) as r: return r.status == status
    except Exception: return False

def start(cmd, where, port, path, env, cwd, seconds=60):
    """Starts a server in its own process group; waits until `path` answers 200."""
    log = open(os.path.join(cwd, f"server-{port}.log"), "w+")
    p = subprocess.Popen(["bash", "-c", cmd], cwd=cwd, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True)
    started.append(p)
    deadline = time.time() + seconds
    while time.time() < deadline:
        if answers(port, path): return p
        if p.poll() is not None: break
        time.sleep(0.2)
    log.seek(0)
    fail(where, f"`{cmd}` did not answer 200 on {path} (port {port}); its output:\n    " + log.read()[-1500:].replace("\n", "\n    "))
    return None

def stop(p):
    if p and p.poll() is None:
        os.killpg(p.pid, signal.SIGTERM)
        try: p.wait(15)
        except subprocess.TimeoutExpired: os.killpg(p.pid, signal.SIGKILL); p.wait()

def runnable(text, port):
    text = text.replace("swift run -c release breakwater", "breakwater")
    return text.replace("127.0.0.1:8080", f"127.0.0.1:{port}") if port else text

work = tempfile.mkdtemp(prefix="check-docs-")
os.makedirs(os.path.join(work, "bin"))
os.symlink(BIN, os.path.join(work, "bin", "breakwater"))
os.symlink(os.path.join(ROOT, "scripts"), os.path.join(work, "scripts"))
subprocess.run(["cp", "config.json", work], check=True)
env = dict(os.environ, PATH=os.path.join(work, "bin") + ":" + os.environ["PATH"])
env.pop("BREAKWATER_CONFIG", None); env.pop("BREAKWATER_PORT", None); env.pop("BREAKWATER_HOST", None)

all_blocks = {f: blocks(f) for f in FILES}
try:
    # --- Every fenced block has a known kind; JSON parses; configs pass check-config; Python compiles.
    serve_config = None
    for f, bs in all_blocks.items():
        for line, info, body in bs:
            where = f"{f}:{line}"
            if info not in KINDS:
                fail(where, f"fenced block ```{info} is not one of: " + ", ".join(sorted(KINDS))); continue
            if info.startswith("json"):
                try: json.loads(body)
                except ValueError as e: fail(where, f"not JSON: {e}"); continue
            if info.startswith("json config"):
                path = os.path.join(work, f"config-{line}.json")
                open(path, "w").write(body)
                r = subprocess.run([BIN, "check-config", path], capture_output=True, text=True, env=env)
                if r.returncode != 0: fail(where, f"check-config exited {r.returncode}:\n    " + (r.stdout + r.stderr).strip().replace("\n", "\n    "))
                if info == "json config serve":
                    if serve_config: fail(where, f"a second `json config serve` block (the first is {serve_config[0]})")
                    else: serve_config = (where, path, body)
            if info == "python":
                try: compile(body, where, "exec")
                except SyntaxError as e: fail(where, f"Python does not compile: {e}")
            if info == "sh kubernetes":
                manifests = "\n".join(open(p).read() for p in glob.glob("Deploy/kubernetes/*.yaml"))
                for ns, name in re.findall(r"kubectl -n (\S+) .*?deploy/([\w-]+)", body):
                    if not re.search(rf"^namespace: {re.escape(ns)}$", manifests, re.M): fail(where, f"no namespace {ns} in Deploy/kubernetes")
                    if not re.search(rf"kind: Deployment\n(?:.*\n)*?  name: {re.escape(name)}\n", manifests): fail(where, f"no Deployment {name} in Deploy/kubernetes")
                for c in re.findall(r" -c ([\w-]+)", body):
                    if not re.search(rf"- name: {re.escape(c)}\n", manifests): fail(where, f"no container {c} in Deploy/kubernetes")

    # --- The README's two commands.
    for f, bs in all_blocks.items():
        for line, info, body in bs:
            if info != "sh two-commands": continue
            where = f"{f}:{line}"
            cmds = [l.split("#")[0].strip() for l in body.splitlines() if l.strip()]
            serve = [c for c in cmds if "breakwater serve" in c]
            tests = [c for c in cmds if c not in serve]
            ci = open(".ci/run").read().splitlines()
            for c in tests:
                if c not in ci: fail(where, f"`{c}` is not the test command .ci/run runs")
            if len(serve) != 1 or len(tests) != 1: fail(where, "expected one serve line and one test line"); continue
            # ./config.json with its venues pointed at a closed local port: nothing leaves 127.0.0.1.
            here = os.path.join(work, "two-commands")
            os.makedirs(here)
            os.symlink(os.path.join(ROOT, "scripts"), os.path.join(here, "scripts"))
            subprocess.run(["python3", os.path.join(ROOT, "scripts/offline-config.py"), "config.json",
                            os.path.join(here, "config.json"), str(free_port())], check=True)
            port = free_port()
            p = start(runnable(serve[0], None), where, port, "/readyz", dict(env, BREAKWATER_PORT=str(port)), here)
            stop(p)
            if p and p.returncode != 0: fail(where, f"serve exited {p.returncode} on SIGTERM")

    # --- Servers for the shell examples: the `json config serve` config, and the demo.
    ports = {}
    if serve_config:
        where, path, body = serve_config
        offline = os.path.join(work, "serve-config.json")
        subprocess.run(["python3", os.path.join(ROOT, "scripts/offline-config.py"), path, offline, str(free_port()),
                        os.path.join(work, "serve-state.sqlite")], check=True)
        for name in sorted(set(re.findall(r'"\w+Env"\s*:\s*"(\w+)"', body))): env[name] = secrets.token_hex(32)
        port = free_port()
        if start(f"exec breakwater serve --config {offline}", where, port, "/readyz", dict(env, BREAKWATER_PORT=str(port)), work):
            ports["sh example"] = port
    for f, bs in all_blocks.items():
        for line, info, body in bs:
            if info != "sh server": continue
            where, port = f"{f}:{line}", free_port()
            cmd = runnable(body.strip(), port)
            if "--port" not in cmd: cmd += f" --port {port}"
            if start(cmd, where, port, "/healthz", env, work): ports.setdefault("sh example demo", port)

    # --- Shell examples, per file, in order, in one shell.
    for f, bs in all_blocks.items():
        for kind in ("sh example", "sh example demo"):
            mine = [(l, b) for l, i, b in bs if i == kind]
            if not mine: continue
            if kind not in ports: fail(f, f"no server for its `{kind}` blocks"); continue
            script, origin = ["set -eo pipefail",
                              "curl() { command curl -w '%{stderr}check-docs-curl %{http_code} %{url_effective}\\n' \"$@\"; }",
                              "trap 'echo \"check-docs-line $LINENO\" >&2' ERR"], [None] * 3
            for line, body in mine:
                prev = ""
                for k, text in enumerate(runnable(body, ports[kind]).rstrip("\n").split("\n")):
                    script.append(text); origin.append(line + 1 + k)
                    # `curl ... # 404 ...`, or a `# 202 ...` line right after a command: the status it gets.
                    m = re.search(r"(?:^|\s)#\s*([1-5]\d\d)\b", text)
                    if m and ("curl" in text or (text.lstrip().startswith("#") and prev.strip() and not prev.lstrip().startswith("#"))):
                        script.append(f"echo 'check-docs-expect {m.group(1)} {line + 1 + k}' >&2"); origin.append(line + 1 + k)
                    prev = text
            try:
                r = subprocess.run(["bash", "-c", "\n".join(script)], cwd=work, env=env, capture_output=True, text=True, timeout=60)
                out, err, rc = r.stdout, r.stderr, r.returncode
            except subprocess.TimeoutExpired:
                out, err, rc = "", "timed out after 60 s", -1
            bad, last = [l for l in err.splitlines() if re.match(r"check-docs-curl (000|5\d\d) ", l)], None
            for l in err.splitlines():
                if l.startswith("check-docs-curl "): last = l.split()[1]
                elif l.startswith("check-docs-expect "):
                    want, at_line = l.split()[1:3]
                    if last != want: fail(f"{f}:{at_line}", f"the example says {want}; the request before it got {last}")
                    last = None
            at = re.findall(r"check-docs-line (\d+)", err)
            if rc != 0 or bad:
                line = origin[int(at[-1]) - 1] if at and int(at[-1]) <= len(origin) and origin[int(at[-1]) - 1] else mine[0][0]
                fail(f"{f}:{line}", f"`{kind}` exited {rc}" + (f"; curl without an answer or with a 5xx: {bad}" if bad else "")
                     + "\n    " + (out[-800:] + err[-1200:]).strip().replace("\n", "\n    "))
            else:
                print(f"check-docs: {f}: {len(mine)} `{kind}` block(s) ran, {len(re.findall('check-docs-curl', err))} requests answered, {len(re.findall('check-docs-expect', err))} of them with the status the example states")
                if os.environ.get("CHECK_DOCS_VERBOSE"): print("    " + (out + err).strip().replace("\n", "\n    "))

    # --- Links, paths and `breakwater` command lines written in the text.
    help_of = {}
    def helptext(sub):
        if sub not in help_of:
            r = subprocess.run([BIN] + ([sub] if sub else []) + ["--help"], capture_output=True, text=True)
            help_of[sub] = r.stdout if r.returncode == 0 else None
        return help_of[sub]
    subs = set(re.findall(r"^  ([a-z][\w-]*)", helptext("").split("SUBCOMMANDS:")[1], re.M))
    def slug(h): return re.sub(r"[^\w\- ]", "", h.strip().lower()).replace(" ", "-")
    for f in FILES:
        text, base = open(f).read(), os.path.dirname(f)
        for target in re.findall(r"\]\(([^)\s]+)\)", text):
            if re.match(r"[a-z]+:", target): continue
            path, _, anchor = target.partition("#")
            full = os.path.normpath(os.path.join(base, path)) if path else f
            if not os.path.exists(full): fail(f, f"link to {target}: {full} does not exist"); continue
            if anchor and full.endswith(".md"):
                heads = [slug(h) for h in re.findall(r"^#+ (.*)$", open(full).read(), re.M)]
                if anchor not in heads: fail(f, f"link to {target}: no heading #{anchor} in {full}")
        for p in re.findall(r"(?<![\w/.$-])((?:scripts|Benchmarks|Deploy|docs|Tests|Sources|\.ci)/[\w./-]*\w)", text):
            if not os.path.exists(p): fail(f, f"names {p}, which does not exist")
        spans = re.findall(r"`([^`\n]+)`", text) + [l for _, i, b in all_blocks[f] if i.startswith("sh") for l in b.splitlines()]
        for s in spans:
            for m in re.finditer(r"(?:^|&&\s*|;\s*|\|\s*|\$\(\s*|/|release\s+)breakwater\s+([a-z][\w-]*)([^|;&#)]*)", s.strip()):
                sub, rest = m.group(1), m.group(2)
                if sub not in subs: fail(f, f"`breakwater {sub}`: no such subcommand ({', '.join(sorted(subs))})"); continue
                for flag in re.findall(r"(?<![\w-])(--[a-z][\w-]*)", rest):
                    if flag not in (helptext(sub) or ""): fail(f, f"`breakwater {sub} {flag}`: no such option")
finally:
    for p in started: stop(p)
    subprocess.run(["rm", "-rf", work])

for p in problems: print("check-docs: FAIL: " + p, file=sys.stderr)
if problems: sys.exit(1)
print(f"check-docs: {sum(len(b) for b in all_blocks.values())} blocks in {len(FILES)} files checked, every link and path exists")
PY
