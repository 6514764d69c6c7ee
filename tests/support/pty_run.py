"""Runs a command with its stderr on a pseudo-terminal (stdout and stdin stay plain), the way an
operator's terminal would show progress. Prints {"code", "stdout", "tty"} as JSON: the exit code,
what went to stdout, and every byte the terminal received (escape sequences included)."""
import json
import os
import pty
import subprocess
import sys

master, slave = pty.openpty()
proc = subprocess.Popen(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
                        stderr=slave, close_fds=True)
os.close(slave)
tty = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the child closed the terminal's last writer
        break
    if not chunk:
        break
    tty += chunk
stdout = proc.stdout.read()
code = proc.wait()
print(json.dumps({"code": code, "stdout": stdout.decode(), "tty": tty.decode("utf-8", "replace")}))
