"""Runs a command with its stderr on a pseudo-terminal (stdout and stdin stay plain), the way an
operator's terminal would show progress. Prints {"code", "stdout", "stderr", "tty"} as JSON: the
exit code, what went to the plain stream(s), and every byte the terminal received (escape
sequences included).

Options before the command:
  --stdout     put stdout on the terminal instead (stderr then goes to a pipe, in "stderr")
  --cols N     the terminal's width in columns (rows: 50); without it the size is 0x0
"""
import fcntl
import json
import os
import pty
import struct
import subprocess
import sys
import termios
import threading

args = sys.argv[1:]
on_stdout, cols = False, None
while args and args[0].startswith("--"):
    opt = args.pop(0)
    if opt == "--stdout":
        on_stdout = True
    elif opt == "--cols":
        cols = int(args.pop(0))
    else:
        sys.exit(f"pty_run.py: unknown option {opt}")

master, slave = pty.openpty()
if cols is not None:
    fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 50, cols, 0, 0))
streams = {"stdout": slave, "stderr": subprocess.PIPE} if on_stdout else \
    {"stdout": subprocess.PIPE, "stderr": slave}
proc = subprocess.Popen(args, stdin=subprocess.DEVNULL, close_fds=True, **streams)
os.close(slave)
# The plain stream is read beside the terminal, so neither can fill up and block the child.
plain_stream, plain = (proc.stderr if on_stdout else proc.stdout), []
reader = threading.Thread(target=lambda: plain.append(plain_stream.read()))
reader.start()
tty = b""
while True:
    try:
        chunk = os.read(master, 65536)
    except OSError:  # EIO: the child closed the terminal's last writer
        break
    if not chunk:
        break
    tty += chunk
code = proc.wait()
reader.join()
plain = plain[0]
print(json.dumps({
    "code": code,
    "stdout": "" if on_stdout else plain.decode(),
    "stderr": plain.decode() if on_stdout else "",
    "tty": tty.decode("utf-8", "replace"),
}))
