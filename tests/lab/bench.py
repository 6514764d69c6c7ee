"""Benchmark helpers: the aws-cli script equivalent to `hybridctl status`, and a runner that
alternates two commands and reports medians.

  bench.py awscli-status TOPOLOGY.yaml > status.sh   # the same reads, one aws call each
  bench.py compare --runs N --label A -- CMD_A... --label B -- CMD_B...
"""
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


def compare(argv):
    runs = 5
    if argv[:1] == ["--runs"]:
        runs, argv = int(argv[1]), argv[2:]
    cmds = []
    while argv:
        assert argv[0] == "--label", "usage: compare [--runs N] --label A -- CMD... --label B -- CMD..."
        label, argv = argv[1], argv[3:]
        end = argv.index("--label") if "--label" in argv else len(argv)
        cmds.append((label, argv[:end]))
        argv = argv[end:]
    times = {label: [] for label, _ in cmds}
    for label, cmd in cmds:  # warm-up: moto's lazy imports, page cache
        subprocess.run(cmd, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    for _ in range(runs):
        for label, cmd in cmds:  # alternate, so drift in the machine hits both alike
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


if __name__ == "__main__":
    if sys.argv[1] == "awscli-status":
        sys.stdout.write(awscli_status(sys.argv[2]))
    elif sys.argv[1] == "compare":
        compare(sys.argv[2:])
    else:
        sys.exit(__doc__)
