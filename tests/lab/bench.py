"""Benchmark helpers: aws-cli scripts equivalent to `hybridctl status` and `hybridctl failover`,
and a runner that alternates commands and reports medians.

  bench.py awscli-status TOPOLOGY.yaml > status.sh       # the same reads, one aws call each
  bench.py awscli-failover TOPOLOGY.yaml > failover.sh   # read, check health, write, read back
  bench.py compare --runs N [--between CMD] --label A -- CMD_A... --label B -- CMD_B...
  bench.py lambda ENDPOINT ACCOUNT TOPOLOGY RUNS BINARY   # cold start; alarm event -> response
"""
import json
import os
import shlex
import statistics
import subprocess
import sys
import time

import yaml


def awscli_status(path):
    """A shell script making status's reads with the aws CLI, one after another, as a cron
    script would. Mirrors hybridctl: DescribeRules 20 ARNs a call, DescribeTargetHealth per
    target group, DescribeAlarms, DMS task, CDC metric, RDS instance, Route 53 records, DR group."""
    t = yaml.safe_load(open(path))
    ep = t["aws"]["endpoint_url"]
    region = t["aws"]["region"]
    aws = f"aws --endpoint-url {ep} --region {region} --output json"
    lines = ["#!/usr/bin/env bash", "set -euo pipefail", "exec >/dev/null"]
    rules = [s["rule_arn"] for s in t["services"].values() if s.get("rule_arn")]
    for i in range(0, len(rules), 20):
        lines.append(f"{aws} elbv2 describe-rules --rule-arns {' '.join(rules[i:i + 20])}")
        lines.append(f"{aws} elbv2 describe-tags --resource-arns {' '.join(rules[i:i + 20])}")
    groups = sorted({tg for s in t["services"].values() for tg in s["target_groups"].values()})
    for tg in groups:
        lines.append(f"{aws} elbv2 describe-target-health --target-group-arn {tg}")
    if t.get("failover", {}).get("alarm"):
        lines.append(f"{aws} cloudwatch describe-alarms --alarm-names {t['failover']['alarm']}")
    rep = t.get("replication")
    if rep:
        task = rep["dms_task_arn"]
        lines.append(f"{aws} dms describe-replication-tasks --without-settings "
                     f"--filters Name=replication-task-arn,Values={task}")
        task_id = task.split(":")[-1]
        query = (f"[{{\"Id\":\"target\",\"Expression\":\"SELECT MAX(CDCLatencyTarget) FROM SCHEMA(\\\"AWS/DMS\\\", "
                 f"ReplicationInstanceIdentifier, ReplicationTaskIdentifier) WHERE ReplicationTaskIdentifier = "
                 f"'{task_id}'\",\"Period\":60}}]")
        lines.append(f"{aws} cloudwatch get-metric-data --start-time $(date -u -d '-5 min' +%FT%TZ) "
                     f"--end-time $(date -u +%FT%TZ) --metric-data-queries {shlex.quote(query)}")
        if "rds_instance" in rep["source"]:
            lines.append(f"{aws} rds describe-db-instances --db-instance-identifier {rep['source']['rds_instance']}")
    dr = t.get("dr")
    if dr:
        lines.append(f"{aws} route53 list-resource-record-sets --hosted-zone-id {dr['dns']['zone_id']} "
                     f"--start-record-name {dr['dns']['record']} --start-record-type {dr['dns']['type']}")
        if dr.get("ready"):
            lines.append(f"aws --endpoint-url {ep} --region {dr['region']} --output json elbv2 describe-target-health "
                         f"--target-group-arn {dr['ready']['target_group_arn']}")
    return "\n".join(lines) + "\n"


def awscli_failover(path):
    """The failover critical path by hand, as a careful script would do it: read the rule, check
    the AWS target group has a healthy target, write the weights, read back until they match."""
    t = yaml.safe_load(open(path))
    ep, region = t["aws"]["endpoint_url"], t["aws"]["region"]
    aws = f"aws --endpoint-url {ep} --region {region} --output json"
    svc = t["services"]["web"]
    onprem, awstg = svc["target_groups"]["onprem"], svc["target_groups"]["aws"]
    actions = json.dumps([{"Type": "forward", "ForwardConfig": {"TargetGroups": [
        {"TargetGroupArn": onprem, "Weight": 0}, {"TargetGroupArn": awstg, "Weight": 100}]}}])
    return "\n".join([
        "#!/usr/bin/env bash",
        "set -euo pipefail",
        f"{aws} elbv2 describe-rules --rule-arns {svc['rule_arn']} >/dev/null",
        f"healthy=$({aws} elbv2 describe-target-health --target-group-arn {awstg} "
        "--query \"length(TargetHealthDescriptions[?TargetHealth.State=='healthy'])\")",
        '[ "$healthy" -ge 1 ] || { echo "no healthy target" >&2; exit 1; }',
        f"{aws} elbv2 modify-rule --rule-arn {svc['rule_arn']} --actions {shlex.quote(actions)} >/dev/null",
        f"w=$({aws} elbv2 describe-rules --rule-arns {svc['rule_arn']} "
        "--query 'Rules[0].Actions[0].ForwardConfig.TargetGroups[0].Weight')",
        '[ "$w" = 0 ] || { echo "did not read back" >&2; exit 1; }',
    ]) + "\n"


def compare(argv):
    runs = 5
    between = None
    if argv[:1] == ["--runs"]:
        runs, argv = int(argv[1]), argv[2:]
    if argv[:1] == ["--between"]:
        between, argv = shlex.split(argv[1]), argv[2:]
    cmds = []
    while argv:
        assert argv[0] == "--label", "usage: compare [--runs N] --label A -- CMD... --label B -- CMD..."
        label, argv = argv[1], argv[3:]
        end = argv.index("--label") if "--label" in argv else len(argv)
        cmds.append((label, argv[:end]))
        argv = argv[end:]
    times = {label: [] for label, _ in cmds}
    for label, cmd in cmds:  # warm-up: moto's lazy imports, page cache
        if between:
            subprocess.run(between, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        for label, cmd in cmds:  # alternate, so drift in the machine hits both alike
            if between:  # untimed reset, e.g. back to the normal weights
                subprocess.run(between, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True)
            start = time.perf_counter()
            p = subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
            elapsed = time.perf_counter() - start
            if p.returncode not in (0, 1):
                sys.exit(f"{label} failed ({p.returncode}): {p.stderr.decode(errors='replace')[-2000:]}")
            times[label].append(elapsed)
    for label, ts in times.items():
        print(f"{label}\tmedian {statistics.median(ts) * 1000:.0f} ms\tmin {min(ts) * 1000:.0f} ms"
              f"\tmax {max(ts) * 1000:.0f} ms\truns {len(ts)}")
    labels = list(times)
    if len(labels) == 2:
        a, b = (statistics.median(times[x]) for x in labels)
        print(f"ratio\t{labels[1]} / {labels[0]} = {b / a:.1f}x")


def _ctl(endpoint, what, body):
    import json
    import urllib.request
    req = urllib.request.Request(f"{endpoint}/_lab/{what}", data=json.dumps(body).encode(),
                                 headers={"Content-Type": "application/json"}, method="POST")
    with urllib.request.urlopen(req, timeout=60) as r:
        return json.load(r)


def _lines(proc, sink):
    for line in proc.stdout:
        sink.put((time.perf_counter(), line))


def watch_latency(argv):
    """A running `hybridctl watch -o json`; each run marks the on-prem targets unhealthy and
    times until the watcher reports the failover applied (written and read back), then resets
    (targets healthy, weights back to normal) untimed."""
    import json
    import queue
    import threading
    endpoint, account, topology, runs = argv[0], argv[1], argv[2], int(argv[3])
    groups, binary = json.loads(argv[4]), argv[5]
    cmd = [binary, "-c", topology, "watch", "-o", "json"]
    proc = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True)
    sink = queue.Queue()
    threading.Thread(target=_lines, args=(proc, sink), daemon=True).start()

    def next_line(pred, secs=120):
        deadline = time.perf_counter() + secs
        while True:
            at, line = sink.get(timeout=max(0.1, deadline - time.perf_counter()))
            v = json.loads(line)
            if pred(v):
                return at, v

    def health(state):
        for tg, ids in groups.items():
            for tid in ids:
                _ctl(endpoint, "target-health", {"account": account, "target_group_arn": tg,
                                                 "target_id": tid, "state": state, "reason": "Target.Timeout",
                                                 "description": "bench"})
    times = []
    try:
        next_line(lambda v: v["role"] == "active")
        for _ in range(runs):
            health("unhealthy")
            start = time.perf_counter()
            at, v = next_line(lambda v: (v.get("action") or {}).get("outcome") == "applied")
            times.append(at - start)
            health("healthy")
            subprocess.run([binary, "-q", "-c", topology, "failback", "--all", "--yes", "--force",
                                        "--reason", "bench reset"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            # The watcher sees the services back and good before the next run starts.
            next_line(lambda v: all(s["poll"] == "good" and s["failed_over_since"] is None
                                    for s in v["services"]))
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    print(f"unhealthy -> failover verified\tmedian {statistics.median(times) * 1000:.0f} ms"
          f"\tmin {min(times) * 1000:.0f} ms\tmax {max(times) * 1000:.0f} ms\truns {len(times)}")


def _alarm_event(name, state):
    return {"version": "0", "id": "bench", "detail-type": "CloudWatch Alarm State Change",
            "source": "aws.cloudwatch", "detail": {"alarmName": name, "state": {
                "value": state, "reason": "bench"}}}


def lambda_bench(argv):
    """`hybridctl lambda` on the lab's Runtime API. Cold start: the process is started with an
    event already queued (another alarm: handled without an AWS call) and timed until its
    response is posted; the Runtime API's first /next poll marks the end of the init. Failover:
    a warm function gets the ALARM event; timed from the enqueue to the posted report (written
    and read back at 0/100), then reset untimed (failback, alarm OK)."""
    import boto3
    endpoint, account, topology, runs, binary = argv[0], argv[1], argv[2], int(argv[3]), argv[4]
    alarm = yaml.safe_load(open(topology))["failover"]["alarm"]
    region = yaml.safe_load(open(topology))["aws"]["region"]
    cw = boto3.client("cloudwatch", endpoint_url=endpoint, region_name=region,
                      aws_access_key_id=f"LAB{account}", aws_secret_access_key="lab")

    def ctl(what, body):
        return _ctl(endpoint, f"lambda/{what}", dict(body, account=account))

    def start(fn):
        env = dict(os.environ, AWS_LAMBDA_RUNTIME_API=fn["runtime_api"],
                   AWS_LAMBDA_FUNCTION_NAME="hybridctl-bench", AWS_LAMBDA_FUNCTION_MEMORY_SIZE="256",
                   AWS_LAMBDA_FUNCTION_VERSION="$LATEST", HYBRIDCTL_CONFIG=topology)
        return subprocess.Popen([binary, "lambda"], env=env, stdout=subprocess.DEVNULL,
                                stderr=subprocess.DEVNULL)

    def answer(fn, event):
        rid = ctl("enqueue", {"function": fn["function"], "event": event})["request_id"]
        r = ctl("result", {"function": fn["function"], "request_id": rid, "wait_s": 60})
        if not r["done"] or r["kind"] != "response":
            sys.exit(f"bench: no response: {r}")
        return r

    cold, init, e2e = [], [], []
    for _ in range(runs):
        fn = ctl("open", {})
        rid = ctl("enqueue", {"function": fn["function"], "event": _alarm_event("bench-other", "ALARM")})
        t0 = time.time()
        proc = start(fn)
        r = ctl("result", {"function": fn["function"], "request_id": rid["request_id"], "wait_s": 60})
        cold.append(r["times"]["answered"] - t0)
        init.append(ctl("state", {"function": fn["function"]})["first_next_at"] - t0)
        proc.kill()
        proc.wait()
        ctl("close", {"function": fn["function"]})
    fn = ctl("open", {})
    proc = start(fn)
    try:
        answer(fn, _alarm_event("bench-other", "ALARM"))  # warm
        for _ in range(runs):
            cw.set_alarm_state(AlarmName=alarm, StateValue="ALARM", StateReason="bench")
            r = answer(fn, _alarm_event(alarm, "ALARM"))
            if r["body"].get("outcome") != "applied":
                sys.exit(f"bench: the failover was not applied: {r['body']}")
            e2e.append(r["times"]["answered"] - r["times"]["enqueued"])
            cw.set_alarm_state(AlarmName=alarm, StateValue="OK", StateReason="bench")
            subprocess.run([binary, "-q", "-c", topology, "failback", "--all", "--yes", "--force",
                            "--reason", "bench reset"], check=True,
                           stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    finally:
        proc.kill()
        proc.wait()
        ctl("close", {"function": fn["function"]})

    def line(label, xs):
        print(f"{label}\tmedian {statistics.median(xs) * 1000:.0f} ms\tmin {min(xs) * 1000:.0f} ms"
              f"\tmax {max(xs) * 1000:.0f} ms\truns {len(xs)}")
    line("cold start: process start -> first /next (init done)", init)
    line("cold start: process start -> first event's response", cold)
    line("ALARM event enqueued -> failover report posted (verified 0/100)", e2e)


def idle(argv):
    """RSS and CPU time of an idle `hybridctl watch` over SECONDS, from /proc."""
    secs, cmd = float(argv[0]), argv[1:]
    proc = subprocess.Popen(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    tick = os.sysconf("SC_CLK_TCK")

    def sample():
        with open(f"/proc/{proc.pid}/stat") as f:
            fields = f.read().rsplit(")", 1)[1].split()
        cpu = (int(fields[11]) + int(fields[12])) / tick
        with open(f"/proc/{proc.pid}/status") as f:
            rss = next(int(l.split()[1]) for l in f if l.startswith("VmRSS:"))
        return cpu, rss
    try:
        time.sleep(15)  # start-up and the first polls are not idle
        cpu0, _ = sample()
        start = time.perf_counter()
        peak = 0
        while time.perf_counter() - start < secs:
            time.sleep(5)
            _, rss = sample()
            peak = max(peak, rss)
        cpu1, rss = sample()
        elapsed = time.perf_counter() - start
    finally:
        proc.terminate()
        proc.wait(timeout=30)
    per_hour = (cpu1 - cpu0) * 3600 / elapsed
    print(f"idle watcher\tmeasured {elapsed:.0f} s\tCPU {cpu1 - cpu0:.2f} s"
          f" ({per_hour:.1f} s per hour, {per_hour / 36:.3f} % of one core)"
          f"\tRSS {rss / 1024:.1f} MiB (peak {peak / 1024:.1f} MiB)")


if __name__ == "__main__":
    if sys.argv[1] == "awscli-status":
        sys.stdout.write(awscli_status(sys.argv[2]))
    elif sys.argv[1] == "awscli-failover":
        sys.stdout.write(awscli_failover(sys.argv[2]))
    elif sys.argv[1] == "compare":
        compare(sys.argv[2:])
    elif sys.argv[1] == "watch-latency":
        watch_latency(sys.argv[2:])
    elif sys.argv[1] == "idle":
        idle(sys.argv[2:])
    elif sys.argv[1] == "lambda":
        lambda_bench(sys.argv[2:])
    else:
        sys.exit(__doc__)
