
use builtin;
use str;

set edit:completion:arg-completer[hybridctl] = {|@words|
    fn spaces {|n|
        builtin:repeat $n ' ' | str:join ''
    }
    fn cand {|text desc|
        edit:complex-candidate $text &display=$text' '(spaces (- 14 (wcswidth $text)))$desc
    }
    var command = 'hybridctl'
    for word $words[1..-1] {
        if (str:has-prefix $word '-') {
            break
        }
        set command = $command';'$word
    }
    var completions = [
        &'hybridctl'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand validate 'Check the topology file, offline: syntax, keys, weights, ARNs, references'
            cand status 'Where traffic goes, whether every site that gets traffic can serve it, replication and DR'
            cand shift-traffic 'Set ALB weights: `hybridctl shift-traffic onprem=20 aws=80`'
            cand failover 'Move the failover.from site''s traffic to failover.to (e.g. on-prem 40 / AWS 60 -> 0 / 100)'
            cand failback 'Return to the file''s normal weights, gated on health, DMS replication and the alarm'
            cand watch 'Watch the from-site and fail over (and back) by itself: a service, or --once for cron'
            cand lambda 'Run as the AWS Lambda function of the failover alarm (provided.al2023), or package it'
            cand dms 'DMS replication checks'
            cand dr 'The DR runbook: Route 53 stages, Terraform for the DR stack, readiness'
            cand lease 'Cross-host leases in the coordination table: who holds what, and breaking a stuck one'
            cand history 'Every change hybridctl made, newest first, from any host'
            cand init 'Draft a topology file from an ALB listener: its weighted forwards, on-prem vs AWS'
            cand iam-policy 'Print a least-privilege IAM policy for the given commands (default: all)'
            cand overflow 'Overflow to AWS when on-prem runs hot: evaluate each service''s Prometheus query once'
            cand drill 'Practise a failover: shift to failover.to, hold, judge, return to the weights before'
            cand generate 'Generate shell completions, the man page, the CLI reference or the topology file''s JSON Schema'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;validate'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;status'= {
            cand --service 'Show only this service (repeatable)'
            cand --watch 'Refresh every INTERVAL until Ctrl-C (default 5s)'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;shift-traffic'= {
            cand --service 'Act on this service (repeatable). Needed, or --all, when the file has several'
            cand --reason 'Why, for the journal and the rule''s tag'
            cand --step 'Move at most N percentage points per step (gradual shift)'
            cand --interval 'Wait this long between steps (with --step or failback steps), re-checking health gates'
            cand --on-failure 'What to do when a gate fails between steps: stop where it is, or roll back to the start'
            cand --lock-timeout 'How long to wait for another hybridctl run changing the same service on this host'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand --all 'Act on every service in the file'
            cand --dry-run 'Show the plan and the gates, change nothing (exit 0 when the gates pass, 1 when not)'
            cand -y 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --force 'Go ahead although safety gates fail; the journal records which were forced'
            cand --no-lease 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;failover'= {
            cand --service 'Act on this service (repeatable). Needed, or --all, when the file has several'
            cand --reason 'Why, for the journal and the rule''s tag'
            cand --step 'Move at most N percentage points per step (gradual shift)'
            cand --interval 'Wait this long between steps (with --step or failback steps), re-checking health gates'
            cand --on-failure 'What to do when a gate fails between steps: stop where it is, or roll back to the start'
            cand --lock-timeout 'How long to wait for another hybridctl run changing the same service on this host'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand --if-alarm 'Act only when the failover alarm is in ALARM; otherwise print "no action" and exit 0'
            cand --all 'Act on every service in the file'
            cand --dry-run 'Show the plan and the gates, change nothing (exit 0 when the gates pass, 1 when not)'
            cand -y 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --force 'Go ahead although safety gates fail; the journal records which were forced'
            cand --no-lease 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;failback'= {
            cand --if-ok-for 'Act only when the failover alarm has been OK this long and every gate passes; otherwise print "no action" and exit 0'
            cand --service 'Act on this service (repeatable). Needed, or --all, when the file has several'
            cand --reason 'Why, for the journal and the rule''s tag'
            cand --step 'Move at most N percentage points per step (gradual shift)'
            cand --interval 'Wait this long between steps (with --step or failback steps), re-checking health gates'
            cand --on-failure 'What to do when a gate fails between steps: stop where it is, or roll back to the start'
            cand --lock-timeout 'How long to wait for another hybridctl run changing the same service on this host'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand --all 'Act on every service in the file'
            cand --dry-run 'Show the plan and the gates, change nothing (exit 0 when the gates pass, 1 when not)'
            cand -y 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --force 'Go ahead although safety gates fail; the journal records which were forced'
            cand --no-lease 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;watch'= {
            cand --unlatch 'Clear a latch so the watcher acts again: `failover` (the default: the latch set after watch.max_auto_failovers) or `dr` (set once automatic DR fired, dr.auto)'
            cand --reason 'Why (journaled), with --unlatch'
            cand --listen 'Serve /metrics, /healthz and /readyz on IP:PORT (wins over watch.listen). A non-loopback address needs watch.listen_allow_remote: true in the file'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand --observe 'Decide and log, never write: no AWS change, and the shared state is left alone'
            cand --once 'One evaluation with the persisted state, then exit (cron). Exit 1 when an action was refused or failed, 3 when the state could not be read or written'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;lambda'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand package 'Build the deployable zip: bootstrap, the binary, the validated topology'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;lambda;package'= {
            cand --out 'Where to write the zip'
            cand --binary 'The binary to package (default: this one)'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;lambda;help'= {
            cand package 'Build the deployable zip: bootstrap, the binary, the validated topology'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;lambda;help;package'= {
        }
        &'hybridctl;lambda;help;help'= {
        }
        &'hybridctl;dms'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand check-binlog 'Prove the DMS source (RDS, Aurora or self-managed MySQL/MariaDB) can do CDC'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;dms;check-binlog'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand --sql 'Also connect to the source with SQL, even when replication.sql is not set (the DMS endpoint''s server and user, password from HYBRIDCTL_SQL_PASSWORD)'
            cand --no-sql 'Only the AWS API checks, even when replication.sql is set'
            cand --strict 'Fail (exit 1) on WARN too'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;dms;help'= {
            cand check-binlog 'Prove the DMS source (RDS, Aurora or self-managed MySQL/MariaDB) can do CDC'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;dms;help;check-binlog'= {
        }
        &'hybridctl;dms;help;help'= {
        }
        &'hybridctl;dr'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Route 53 weights, the named stage they match, health checks, the DR ready target group, and any provision in progress'
            cand provision 'Bring up DR: Route 53 to `building`, Terraform apply, wait until ready, Route 53 to `recovered`. Resumable'
            cand failback 'Back to the `normal` stage once the primary is healthy (its health check passes, or --force); --destroy then removes the DR stack with terraform destroy'
            cand pending 'Automatic DRs waiting for a person''s approval (dr.auto.approve), from the coordination table'
            cand approve 'Approve a pending automatic DR: the watcher starts `dr provision` at its next poll'
            cand deny 'Deny a pending automatic DR: the watcher aborts it and latches (watch --unlatch dr)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;dr;status'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;dr;provision'= {
            cand --reason 'Why, for the journal'
            cand --lock-timeout 'How long to wait for another hybridctl run changing the same thing on this host'
            cand --insync-timeout 'How long to wait for each Route 53 change to reach INSYNC (all of Route 53''s servers)'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand --dry-run 'Show the plan and run `terraform plan -json`; change nothing'
            cand -y 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --force 'Apply a stage even if all its weight goes to records whose health checks fail'
            cand --skip-terraform 'The DR stack was built out of band: do not run Terraform'
            cand --no-lease 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;dr;failback'= {
            cand --reason 'Why, for the journal'
            cand --lock-timeout 'How long to wait for another hybridctl run changing the same thing on this host'
            cand --insync-timeout 'How long to wait for each Route 53 change to reach INSYNC (all of Route 53''s servers)'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand --dry-run 'Show the plan and the gate; change nothing'
            cand -y 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --force 'Fail back although the primary''s health check fails'
            cand --destroy 'Then run terraform destroy for the DR stack'
            cand --no-lease 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;dr;pending'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;dr;approve'= {
            cand --reason 'Why, for the journal and the table'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;dr;deny'= {
            cand --reason 'Why, for the journal and the table'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;dr;help'= {
            cand status 'Route 53 weights, the named stage they match, health checks, the DR ready target group, and any provision in progress'
            cand provision 'Bring up DR: Route 53 to `building`, Terraform apply, wait until ready, Route 53 to `recovered`. Resumable'
            cand failback 'Back to the `normal` stage once the primary is healthy (its health check passes, or --force); --destroy then removes the DR stack with terraform destroy'
            cand pending 'Automatic DRs waiting for a person''s approval (dr.auto.approve), from the coordination table'
            cand approve 'Approve a pending automatic DR: the watcher starts `dr provision` at its next poll'
            cand deny 'Deny a pending automatic DR: the watcher aborts it and latches (watch --unlatch dr)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;dr;help;status'= {
        }
        &'hybridctl;dr;help;provision'= {
        }
        &'hybridctl;dr;help;failback'= {
        }
        &'hybridctl;dr;help;pending'= {
        }
        &'hybridctl;dr;help;approve'= {
        }
        &'hybridctl;dr;help;deny'= {
        }
        &'hybridctl;dr;help;help'= {
        }
        &'hybridctl;lease'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand status 'Every live lease: the resource, its holder (user@host, pid, command, reason), since, expiry and fencing generation'
            cand break 'Break a lease (a holder that cannot release it). Journaled; the holder''s next write stops because its lease is lost'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;lease;status'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;lease;break'= {
            cand --reason 'Why, for the journal (required)'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand --yes 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;lease;help'= {
            cand status 'Every live lease: the resource, its holder (user@host, pid, command, reason), since, expiry and fencing generation'
            cand break 'Break a lease (a holder that cannot release it). Journaled; the holder''s next write stops because its lease is lost'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;lease;help;status'= {
        }
        &'hybridctl;lease;help;break'= {
        }
        &'hybridctl;lease;help;help'= {
        }
        &'hybridctl;history'= {
            cand --service 'Only this service''s records'
            cand --since 'Only records this recent'
            cand --limit 'At most this many records'
            cand --kind 'Only records of this kind: drill (how each drill ended), change, intent, outcome, step, warning'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;init'= {
            cand --listener-arn 'The ALB listener to read (`arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/...`)'
            cand --rule-arn 'Only these rules of the listener (repeatable); default: every rule and the default action'
            cand --zone-id 'Draft a dns service instead, from the weighted records of --record in this Route 53 hosted zone (docs/dns.md)'
            cand --record 'The record name whose weighted records split the service (with --zone-id)'
            cand --type 'The record type (with --zone-id): A, AAAA or CNAME'
            cand --out 'Write the draft here (atomically) instead of stdout'
            cand --vpc-cidr 'A CIDR block of the load balancer''s VPC (repeatable; include secondary blocks)'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand --force 'Replace --out when it exists (without it, an existing file is refused, exit 2)'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;iam-policy'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;overflow'= {
            cand --service 'Evaluate only this service (repeatable); default: every service with overflow'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand --apply 'Make the change that is due, through the runbook (needs --yes)'
            cand -y 'Do not ask for confirmation (required with --apply)'
            cand --yes 'Do not ask for confirmation (required with --apply)'
            cand --dry-run 'Evaluate and print only: neither the state file nor AWS is changed'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;drill'= {
            cand --service 'Drill this service (repeatable). Needed, or --all, when the file has several'
            cand --share 'The % of traffic failover.to takes during the drill, 1..100 (default: drill.share, else 100)'
            cand --hold 'How long to hold the traffic there (default: drill.hold, else 30m)'
            cand --reason 'Why, for the journal and the rule''s tag'
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand --all 'Drill every service in the file, one after the other'
            cand --failover 'A full failover drill: failover.to takes all of failover.from''s traffic (share 100)'
            cand -y 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --yes 'Do not ask for confirmation (required when stdin is not a terminal)'
            cand --dry-run 'Preflight and show the shift''s plan; change nothing (exit 0 when it would start, 1 when not)'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;generate'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
            cand completions 'Shell completions on stdout'
            cand man 'The man page (roff) on stdout'
            cand cli-reference 'The CLI reference (Markdown) on stdout'
            cand schema 'The topology file''s JSON Schema on stdout, for editors (yaml-language-server)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;generate;completions'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;generate;man'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;generate;cli-reference'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;generate;schema'= {
            cand -c 'The topology file'
            cand --config 'The topology file'
            cand --profile 'AWS profile from the shared config files'
            cand --region 'AWS region of the deployment'
            cand --endpoint-url 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)'
            cand -o 'How to print results on stdout'
            cand --output 'How to print results on stdout'
            cand --color 'When to colour the output'
            cand -q 'Print only results and errors: no progress, no warnings'
            cand --quiet 'Print only results and errors: no progress, no warnings'
            cand -v 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand --verbose 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
            cand -h 'Print help (see more with ''--help'')'
            cand --help 'Print help (see more with ''--help'')'
            cand -V 'Print version'
            cand --version 'Print version'
        }
        &'hybridctl;generate;help'= {
            cand completions 'Shell completions on stdout'
            cand man 'The man page (roff) on stdout'
            cand cli-reference 'The CLI reference (Markdown) on stdout'
            cand schema 'The topology file''s JSON Schema on stdout, for editors (yaml-language-server)'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;generate;help;completions'= {
        }
        &'hybridctl;generate;help;man'= {
        }
        &'hybridctl;generate;help;cli-reference'= {
        }
        &'hybridctl;generate;help;schema'= {
        }
        &'hybridctl;generate;help;help'= {
        }
        &'hybridctl;help'= {
            cand validate 'Check the topology file, offline: syntax, keys, weights, ARNs, references'
            cand status 'Where traffic goes, whether every site that gets traffic can serve it, replication and DR'
            cand shift-traffic 'Set ALB weights: `hybridctl shift-traffic onprem=20 aws=80`'
            cand failover 'Move the failover.from site''s traffic to failover.to (e.g. on-prem 40 / AWS 60 -> 0 / 100)'
            cand failback 'Return to the file''s normal weights, gated on health, DMS replication and the alarm'
            cand watch 'Watch the from-site and fail over (and back) by itself: a service, or --once for cron'
            cand lambda 'Run as the AWS Lambda function of the failover alarm (provided.al2023), or package it'
            cand dms 'DMS replication checks'
            cand dr 'The DR runbook: Route 53 stages, Terraform for the DR stack, readiness'
            cand lease 'Cross-host leases in the coordination table: who holds what, and breaking a stuck one'
            cand history 'Every change hybridctl made, newest first, from any host'
            cand init 'Draft a topology file from an ALB listener: its weighted forwards, on-prem vs AWS'
            cand iam-policy 'Print a least-privilege IAM policy for the given commands (default: all)'
            cand overflow 'Overflow to AWS when on-prem runs hot: evaluate each service''s Prometheus query once'
            cand drill 'Practise a failover: shift to failover.to, hold, judge, return to the weights before'
            cand generate 'Generate shell completions, the man page, the CLI reference or the topology file''s JSON Schema'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;help;validate'= {
        }
        &'hybridctl;help;status'= {
        }
        &'hybridctl;help;shift-traffic'= {
        }
        &'hybridctl;help;failover'= {
        }
        &'hybridctl;help;failback'= {
        }
        &'hybridctl;help;watch'= {
        }
        &'hybridctl;help;lambda'= {
            cand package 'Build the deployable zip: bootstrap, the binary, the validated topology'
        }
        &'hybridctl;help;lambda;package'= {
        }
        &'hybridctl;help;dms'= {
            cand check-binlog 'Prove the DMS source (RDS, Aurora or self-managed MySQL/MariaDB) can do CDC'
        }
        &'hybridctl;help;dms;check-binlog'= {
        }
        &'hybridctl;help;dr'= {
            cand status 'Route 53 weights, the named stage they match, health checks, the DR ready target group, and any provision in progress'
            cand provision 'Bring up DR: Route 53 to `building`, Terraform apply, wait until ready, Route 53 to `recovered`. Resumable'
            cand failback 'Back to the `normal` stage once the primary is healthy (its health check passes, or --force); --destroy then removes the DR stack with terraform destroy'
            cand pending 'Automatic DRs waiting for a person''s approval (dr.auto.approve), from the coordination table'
            cand approve 'Approve a pending automatic DR: the watcher starts `dr provision` at its next poll'
            cand deny 'Deny a pending automatic DR: the watcher aborts it and latches (watch --unlatch dr)'
        }
        &'hybridctl;help;dr;status'= {
        }
        &'hybridctl;help;dr;provision'= {
        }
        &'hybridctl;help;dr;failback'= {
        }
        &'hybridctl;help;dr;pending'= {
        }
        &'hybridctl;help;dr;approve'= {
        }
        &'hybridctl;help;dr;deny'= {
        }
        &'hybridctl;help;lease'= {
            cand status 'Every live lease: the resource, its holder (user@host, pid, command, reason), since, expiry and fencing generation'
            cand break 'Break a lease (a holder that cannot release it). Journaled; the holder''s next write stops because its lease is lost'
        }
        &'hybridctl;help;lease;status'= {
        }
        &'hybridctl;help;lease;break'= {
        }
        &'hybridctl;help;history'= {
        }
        &'hybridctl;help;init'= {
        }
        &'hybridctl;help;iam-policy'= {
        }
        &'hybridctl;help;overflow'= {
        }
        &'hybridctl;help;drill'= {
        }
        &'hybridctl;help;generate'= {
            cand completions 'Shell completions on stdout'
            cand man 'The man page (roff) on stdout'
            cand cli-reference 'The CLI reference (Markdown) on stdout'
            cand schema 'The topology file''s JSON Schema on stdout, for editors (yaml-language-server)'
        }
        &'hybridctl;help;generate;completions'= {
        }
        &'hybridctl;help;generate;man'= {
        }
        &'hybridctl;help;generate;cli-reference'= {
        }
        &'hybridctl;help;generate;schema'= {
        }
        &'hybridctl;help;help'= {
        }
    ]
    $completions[$command]
}
