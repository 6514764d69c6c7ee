"""Runs a command with stdin and stderr on a pseudo-terminal (stdout stays a pipe), as an
operator at a terminal would, and answers its confirmation prompt when the test says so.

    pty_answer.py MARKER ANSWER COMMAND...

Once the terminal shows `[y/N]`, it creates MARKER + ".prompted"; it then waits (up to 120 s)
for MARKER + ".go" to exist and types ANSWER and a newline. Prints {"code", "stdout", "tty"} as
JSON when the command has exited."""
import json
import os
import pty
import select
import subprocess
import sys
import time

marker, answer, argv = sys.argv[1], sys.argv[2], sys.argv[3:]
master, slave = pty.openpty()
proc = subprocess.Popen(argv, stdin=slave, stdout=subprocess.PIPE, stderr=slave, close_fds=True)
os.close(slave)
tty = b""
prompted = answered = False
deadline = time.monotonic() + 120
while time.monotonic() < deadline:
    ready, _, _ = select.select([master], [], [], 0.05)
    if ready:
        try:
            chunk = os.read(master, 65536)
        except OSError:  # EIO: the child closed the terminal's last writer
            break
        if not chunk:
            break
        tty += chunk
    if not prompted and b"[y/N]" in tty:
        prompted = True
        open(marker + ".prompted", "w").close()
    if prompted and not answered and os.path.exists(marker + ".go"):
        answered = True
        os.write(master, answer.encode() + b"\n")
    if proc.poll() is not None and not ready:
        break
if proc.poll() is None:
    proc.kill()
stdout = proc.stdout.read()
code = proc.wait(timeout=60)
print(json.dumps({"code": code, "stdout": stdout.decode(), "tty": tty.decode("utf-8", "replace")}))
