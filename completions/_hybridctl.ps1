
using namespace System.Management.Automation
using namespace System.Management.Automation.Language

Register-ArgumentCompleter -Native -CommandName 'hybridctl' -ScriptBlock {
    param($wordToComplete, $commandAst, $cursorPosition)

    $commandElements = $commandAst.CommandElements
    $command = @(
        'hybridctl'
        for ($i = 1; $i -lt $commandElements.Count; $i++) {
            $element = $commandElements[$i]
            if ($element -isnot [StringConstantExpressionAst] -or
                $element.StringConstantType -ne [StringConstantType]::BareWord -or
                $element.Value.StartsWith('-') -or
                $element.Value -eq $wordToComplete) {
                break
        }
        $element.Value
    }) -join ';'

    $completions = @(switch ($command) {
        'hybridctl' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check the topology file, offline: syntax, keys, weights, ARNs, references')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Where traffic goes, whether every site that gets traffic can serve it, replication and DR')
            [CompletionResult]::new('shift-traffic', 'shift-traffic', [CompletionResultType]::ParameterValue, 'Set ALB weights: `hybridctl shift-traffic onprem=20 aws=80`')
            [CompletionResult]::new('failover', 'failover', [CompletionResultType]::ParameterValue, 'Move the failover.from site''s traffic to failover.to (e.g. on-prem 40 / AWS 60 -> 0 / 100)')
            [CompletionResult]::new('failback', 'failback', [CompletionResultType]::ParameterValue, 'Return to the file''s normal weights, gated on health, DMS replication and the alarm')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Watch the from-site and fail over (and back) by itself: a service, or --once for cron')
            [CompletionResult]::new('lambda', 'lambda', [CompletionResultType]::ParameterValue, 'Run as the AWS Lambda function of the failover alarm (provided.al2023), or package it')
            [CompletionResult]::new('dms', 'dms', [CompletionResultType]::ParameterValue, 'DMS replication checks')
            [CompletionResult]::new('dr', 'dr', [CompletionResultType]::ParameterValue, 'The DR runbook: Route 53 stages, Terraform for the DR stack, readiness')
            [CompletionResult]::new('lease', 'lease', [CompletionResultType]::ParameterValue, 'Cross-host leases in the coordination table: who holds what, and breaking a stuck one')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Every change hybridctl made, newest first, from any host')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Draft a topology file from an ALB listener: its weighted forwards, on-prem vs AWS')
            [CompletionResult]::new('iam-policy', 'iam-policy', [CompletionResultType]::ParameterValue, 'Print a least-privilege IAM policy for the given commands (default: all)')
            [CompletionResult]::new('overflow', 'overflow', [CompletionResultType]::ParameterValue, 'Overflow to AWS when on-prem runs hot: evaluate each service''s Prometheus query once')
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Practise a failover: shift to failover.to, hold, judge, return to the weights before')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate shell completions, the man page, the CLI reference or the topology file''s JSON Schema')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;validate' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;status' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Show only this service (repeatable)')
            [CompletionResult]::new('--watch', '--watch', [CompletionResultType]::ParameterName, 'Refresh every INTERVAL until Ctrl-C (default 5s)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;shift-traffic' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Act on this service (repeatable). Needed, or --all, when the file has several')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the journal and the rule''s tag')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Move at most N percentage points per step (gradual shift)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Wait this long between steps (with --step or failback steps), re-checking health gates')
            [CompletionResult]::new('--on-failure', '--on-failure', [CompletionResultType]::ParameterName, 'What to do when a gate fails between steps: stop where it is, or roll back to the start')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another hybridctl run changing the same service on this host')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Act on every service in the file')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and the gates, change nothing (exit 0 when the gates pass, 1 when not)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go ahead although safety gates fail; the journal records which were forced')
            [CompletionResult]::new('--no-lease', '--no-lease', [CompletionResultType]::ParameterName, 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;failover' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Act on this service (repeatable). Needed, or --all, when the file has several')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the journal and the rule''s tag')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Move at most N percentage points per step (gradual shift)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Wait this long between steps (with --step or failback steps), re-checking health gates')
            [CompletionResult]::new('--on-failure', '--on-failure', [CompletionResultType]::ParameterName, 'What to do when a gate fails between steps: stop where it is, or roll back to the start')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another hybridctl run changing the same service on this host')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--if-alarm', '--if-alarm', [CompletionResultType]::ParameterName, 'Act only when the failover alarm is in ALARM; otherwise print "no action" and exit 0')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Act on every service in the file')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and the gates, change nothing (exit 0 when the gates pass, 1 when not)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go ahead although safety gates fail; the journal records which were forced')
            [CompletionResult]::new('--no-lease', '--no-lease', [CompletionResultType]::ParameterName, 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;failback' {
            [CompletionResult]::new('--if-ok-for', '--if-ok-for', [CompletionResultType]::ParameterName, 'Act only when the failover alarm has been OK this long and every gate passes; otherwise print "no action" and exit 0')
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Act on this service (repeatable). Needed, or --all, when the file has several')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the journal and the rule''s tag')
            [CompletionResult]::new('--step', '--step', [CompletionResultType]::ParameterName, 'Move at most N percentage points per step (gradual shift)')
            [CompletionResult]::new('--interval', '--interval', [CompletionResultType]::ParameterName, 'Wait this long between steps (with --step or failback steps), re-checking health gates')
            [CompletionResult]::new('--on-failure', '--on-failure', [CompletionResultType]::ParameterName, 'What to do when a gate fails between steps: stop where it is, or roll back to the start')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another hybridctl run changing the same service on this host')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Act on every service in the file')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and the gates, change nothing (exit 0 when the gates pass, 1 when not)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Go ahead although safety gates fail; the journal records which were forced')
            [CompletionResult]::new('--no-lease', '--no-lease', [CompletionResultType]::ParameterName, 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;watch' {
            [CompletionResult]::new('--unlatch', '--unlatch', [CompletionResultType]::ParameterName, 'Clear a latch so the watcher acts again: `failover` (the default: the latch set after watch.max_auto_failovers) or `dr` (set once automatic DR fired, dr.auto)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why (journaled), with --unlatch')
            [CompletionResult]::new('--listen', '--listen', [CompletionResultType]::ParameterName, 'Serve /metrics, /healthz and /readyz on IP:PORT (wins over watch.listen). A non-loopback address needs watch.listen_allow_remote: true in the file')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--observe', '--observe', [CompletionResultType]::ParameterName, 'Decide and log, never write: no AWS change, and the shared state is left alone')
            [CompletionResult]::new('--once', '--once', [CompletionResultType]::ParameterName, 'One evaluation with the persisted state, then exit (cron). Exit 1 when an action was refused or failed, 3 when the state could not be read or written')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;lambda' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Build the deployable zip: bootstrap, the binary, the validated topology')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;lambda;package' {
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Where to write the zip')
            [CompletionResult]::new('--binary', '--binary', [CompletionResultType]::ParameterName, 'The binary to package (default: this one)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;lambda;help' {
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Build the deployable zip: bootstrap, the binary, the validated topology')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;lambda;help;package' {
            break
        }
        'hybridctl;lambda;help;help' {
            break
        }
        'hybridctl;dms' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('check-binlog', 'check-binlog', [CompletionResultType]::ParameterValue, 'Prove the DMS source (RDS, Aurora or self-managed MySQL/MariaDB) can do CDC')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;dms;check-binlog' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--sql', '--sql', [CompletionResultType]::ParameterName, 'Also connect to the source with SQL, even when replication.sql is not set (the DMS endpoint''s server and user, password from HYBRIDCTL_SQL_PASSWORD)')
            [CompletionResult]::new('--no-sql', '--no-sql', [CompletionResultType]::ParameterName, 'Only the AWS API checks, even when replication.sql is set')
            [CompletionResult]::new('--strict', '--strict', [CompletionResultType]::ParameterName, 'Fail (exit 1) on WARN too')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;dms;help' {
            [CompletionResult]::new('check-binlog', 'check-binlog', [CompletionResultType]::ParameterValue, 'Prove the DMS source (RDS, Aurora or self-managed MySQL/MariaDB) can do CDC')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;dms;help;check-binlog' {
            break
        }
        'hybridctl;dms;help;help' {
            break
        }
        'hybridctl;dr' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Route 53 weights, the named stage they match, health checks, the DR ready target group, and any provision in progress')
            [CompletionResult]::new('provision', 'provision', [CompletionResultType]::ParameterValue, 'Bring up DR: Route 53 to `building`, Terraform apply, wait until ready, Route 53 to `recovered`. Resumable')
            [CompletionResult]::new('failback', 'failback', [CompletionResultType]::ParameterValue, 'Back to the `normal` stage once the primary is healthy (its health check passes, or --force); --destroy then removes the DR stack with terraform destroy')
            [CompletionResult]::new('pending', 'pending', [CompletionResultType]::ParameterValue, 'Automatic DRs waiting for a person''s approval (dr.auto.approve), from the coordination table')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve a pending automatic DR: the watcher starts `dr provision` at its next poll')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny a pending automatic DR: the watcher aborts it and latches (watch --unlatch dr)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;dr;status' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;dr;provision' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the journal')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another hybridctl run changing the same thing on this host')
            [CompletionResult]::new('--insync-timeout', '--insync-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each Route 53 change to reach INSYNC (all of Route 53''s servers)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and run `terraform plan -json`; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Apply a stage even if all its weight goes to records whose health checks fail')
            [CompletionResult]::new('--skip-terraform', '--skip-terraform', [CompletionResultType]::ParameterName, 'The DR stack was built out of band: do not run Terraform')
            [CompletionResult]::new('--no-lease', '--no-lease', [CompletionResultType]::ParameterName, 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;dr;failback' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the journal')
            [CompletionResult]::new('--lock-timeout', '--lock-timeout', [CompletionResultType]::ParameterName, 'How long to wait for another hybridctl run changing the same thing on this host')
            [CompletionResult]::new('--insync-timeout', '--insync-timeout', [CompletionResultType]::ParameterName, 'How long to wait for each Route 53 change to reach INSYNC (all of Route 53''s servers)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Show the plan and the gate; change nothing')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Fail back although the primary''s health check fails')
            [CompletionResult]::new('--destroy', '--destroy', [CompletionResultType]::ParameterName, 'Then run terraform destroy for the DR stack')
            [CompletionResult]::new('--no-lease', '--no-lease', [CompletionResultType]::ParameterName, 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;dr;pending' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;dr;approve' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the journal and the table')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;dr;deny' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the journal and the table')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;dr;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Route 53 weights, the named stage they match, health checks, the DR ready target group, and any provision in progress')
            [CompletionResult]::new('provision', 'provision', [CompletionResultType]::ParameterValue, 'Bring up DR: Route 53 to `building`, Terraform apply, wait until ready, Route 53 to `recovered`. Resumable')
            [CompletionResult]::new('failback', 'failback', [CompletionResultType]::ParameterValue, 'Back to the `normal` stage once the primary is healthy (its health check passes, or --force); --destroy then removes the DR stack with terraform destroy')
            [CompletionResult]::new('pending', 'pending', [CompletionResultType]::ParameterValue, 'Automatic DRs waiting for a person''s approval (dr.auto.approve), from the coordination table')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve a pending automatic DR: the watcher starts `dr provision` at its next poll')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny a pending automatic DR: the watcher aborts it and latches (watch --unlatch dr)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;dr;help;status' {
            break
        }
        'hybridctl;dr;help;provision' {
            break
        }
        'hybridctl;dr;help;failback' {
            break
        }
        'hybridctl;dr;help;pending' {
            break
        }
        'hybridctl;dr;help;approve' {
            break
        }
        'hybridctl;dr;help;deny' {
            break
        }
        'hybridctl;dr;help;help' {
            break
        }
        'hybridctl;lease' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Every live lease: the resource, its holder (user@host, pid, command, reason), since, expiry and fencing generation')
            [CompletionResult]::new('break', 'break', [CompletionResultType]::ParameterValue, 'Break a lease (a holder that cannot release it). Journaled; the holder''s next write stops because its lease is lost')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;lease;status' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;lease;break' {
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the journal (required)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;lease;help' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Every live lease: the resource, its holder (user@host, pid, command, reason), since, expiry and fencing generation')
            [CompletionResult]::new('break', 'break', [CompletionResultType]::ParameterValue, 'Break a lease (a holder that cannot release it). Journaled; the holder''s next write stops because its lease is lost')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;lease;help;status' {
            break
        }
        'hybridctl;lease;help;break' {
            break
        }
        'hybridctl;lease;help;help' {
            break
        }
        'hybridctl;history' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Only this service''s records')
            [CompletionResult]::new('--since', '--since', [CompletionResultType]::ParameterName, 'Only records this recent')
            [CompletionResult]::new('--limit', '--limit', [CompletionResultType]::ParameterName, 'At most this many records')
            [CompletionResult]::new('--kind', '--kind', [CompletionResultType]::ParameterName, 'Only records of this kind: drill (how each drill ended), change, intent, outcome, step, warning')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;init' {
            [CompletionResult]::new('--listener-arn', '--listener-arn', [CompletionResultType]::ParameterName, 'The ALB listener to read (`arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/...`)')
            [CompletionResult]::new('--rule-arn', '--rule-arn', [CompletionResultType]::ParameterName, 'Only these rules of the listener (repeatable); default: every rule and the default action')
            [CompletionResult]::new('--zone-id', '--zone-id', [CompletionResultType]::ParameterName, 'Draft a dns service instead, from the weighted records of --record in this Route 53 hosted zone (docs/dns.md)')
            [CompletionResult]::new('--record', '--record', [CompletionResultType]::ParameterName, 'The record name whose weighted records split the service (with --zone-id)')
            [CompletionResult]::new('--type', '--type', [CompletionResultType]::ParameterName, 'The record type (with --zone-id): A, AAAA or CNAME')
            [CompletionResult]::new('--out', '--out', [CompletionResultType]::ParameterName, 'Write the draft here (atomically) instead of stdout')
            [CompletionResult]::new('--vpc-cidr', '--vpc-cidr', [CompletionResultType]::ParameterName, 'A CIDR block of the load balancer''s VPC (repeatable; include secondary blocks)')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--force', '--force', [CompletionResultType]::ParameterName, 'Replace --out when it exists (without it, an existing file is refused, exit 2)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;iam-policy' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;overflow' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Evaluate only this service (repeatable); default: every service with overflow')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--apply', '--apply', [CompletionResultType]::ParameterName, 'Make the change that is due, through the runbook (needs --yes)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required with --apply)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required with --apply)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Evaluate and print only: neither the state file nor AWS is changed')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;drill' {
            [CompletionResult]::new('--service', '--service', [CompletionResultType]::ParameterName, 'Drill this service (repeatable). Needed, or --all, when the file has several')
            [CompletionResult]::new('--share', '--share', [CompletionResultType]::ParameterName, 'The % of traffic failover.to takes during the drill, 1..100 (default: drill.share, else 100)')
            [CompletionResult]::new('--hold', '--hold', [CompletionResultType]::ParameterName, 'How long to hold the traffic there (default: drill.hold, else 30m)')
            [CompletionResult]::new('--reason', '--reason', [CompletionResultType]::ParameterName, 'Why, for the journal and the rule''s tag')
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('--all', '--all', [CompletionResultType]::ParameterName, 'Drill every service in the file, one after the other')
            [CompletionResult]::new('--failover', '--failover', [CompletionResultType]::ParameterName, 'A full failover drill: failover.to takes all of failover.from''s traffic (share 100)')
            [CompletionResult]::new('-y', '-y', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--yes', '--yes', [CompletionResultType]::ParameterName, 'Do not ask for confirmation (required when stdin is not a terminal)')
            [CompletionResult]::new('--dry-run', '--dry-run', [CompletionResultType]::ParameterName, 'Preflight and show the shift''s plan; change nothing (exit 0 when it would start, 1 when not)')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;generate' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Shell completions on stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'The man page (roff) on stdout')
            [CompletionResult]::new('cli-reference', 'cli-reference', [CompletionResultType]::ParameterValue, 'The CLI reference (Markdown) on stdout')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'The topology file''s JSON Schema on stdout, for editors (yaml-language-server)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;generate;completions' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;generate;man' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;generate;cli-reference' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;generate;schema' {
            [CompletionResult]::new('-c', '-c', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--config', '--config', [CompletionResultType]::ParameterName, 'The topology file')
            [CompletionResult]::new('--profile', '--profile', [CompletionResultType]::ParameterName, 'AWS profile from the shared config files')
            [CompletionResult]::new('--region', '--region', [CompletionResultType]::ParameterName, 'AWS region of the deployment')
            [CompletionResult]::new('--endpoint-url', '--endpoint-url', [CompletionResultType]::ParameterName, 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)')
            [CompletionResult]::new('-o', '-o', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--output', '--output', [CompletionResultType]::ParameterName, 'How to print results on stdout')
            [CompletionResult]::new('--color', '--color', [CompletionResultType]::ParameterName, 'When to colour the output')
            [CompletionResult]::new('-q', '-q', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('--quiet', '--quiet', [CompletionResultType]::ParameterName, 'Print only results and errors: no progress, no warnings')
            [CompletionResult]::new('-v', '-v', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('--verbose', '--verbose', [CompletionResultType]::ParameterName, 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals')
            [CompletionResult]::new('-h', '-h', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('--help', '--help', [CompletionResultType]::ParameterName, 'Print help (see more with ''--help'')')
            [CompletionResult]::new('-V', '-V ', [CompletionResultType]::ParameterName, 'Print version')
            [CompletionResult]::new('--version', '--version', [CompletionResultType]::ParameterName, 'Print version')
            break
        }
        'hybridctl;generate;help' {
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Shell completions on stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'The man page (roff) on stdout')
            [CompletionResult]::new('cli-reference', 'cli-reference', [CompletionResultType]::ParameterValue, 'The CLI reference (Markdown) on stdout')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'The topology file''s JSON Schema on stdout, for editors (yaml-language-server)')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;generate;help;completions' {
            break
        }
        'hybridctl;generate;help;man' {
            break
        }
        'hybridctl;generate;help;cli-reference' {
            break
        }
        'hybridctl;generate;help;schema' {
            break
        }
        'hybridctl;generate;help;help' {
            break
        }
        'hybridctl;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check the topology file, offline: syntax, keys, weights, ARNs, references')
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Where traffic goes, whether every site that gets traffic can serve it, replication and DR')
            [CompletionResult]::new('shift-traffic', 'shift-traffic', [CompletionResultType]::ParameterValue, 'Set ALB weights: `hybridctl shift-traffic onprem=20 aws=80`')
            [CompletionResult]::new('failover', 'failover', [CompletionResultType]::ParameterValue, 'Move the failover.from site''s traffic to failover.to (e.g. on-prem 40 / AWS 60 -> 0 / 100)')
            [CompletionResult]::new('failback', 'failback', [CompletionResultType]::ParameterValue, 'Return to the file''s normal weights, gated on health, DMS replication and the alarm')
            [CompletionResult]::new('watch', 'watch', [CompletionResultType]::ParameterValue, 'Watch the from-site and fail over (and back) by itself: a service, or --once for cron')
            [CompletionResult]::new('lambda', 'lambda', [CompletionResultType]::ParameterValue, 'Run as the AWS Lambda function of the failover alarm (provided.al2023), or package it')
            [CompletionResult]::new('dms', 'dms', [CompletionResultType]::ParameterValue, 'DMS replication checks')
            [CompletionResult]::new('dr', 'dr', [CompletionResultType]::ParameterValue, 'The DR runbook: Route 53 stages, Terraform for the DR stack, readiness')
            [CompletionResult]::new('lease', 'lease', [CompletionResultType]::ParameterValue, 'Cross-host leases in the coordination table: who holds what, and breaking a stuck one')
            [CompletionResult]::new('history', 'history', [CompletionResultType]::ParameterValue, 'Every change hybridctl made, newest first, from any host')
            [CompletionResult]::new('init', 'init', [CompletionResultType]::ParameterValue, 'Draft a topology file from an ALB listener: its weighted forwards, on-prem vs AWS')
            [CompletionResult]::new('iam-policy', 'iam-policy', [CompletionResultType]::ParameterValue, 'Print a least-privilege IAM policy for the given commands (default: all)')
            [CompletionResult]::new('overflow', 'overflow', [CompletionResultType]::ParameterValue, 'Overflow to AWS when on-prem runs hot: evaluate each service''s Prometheus query once')
            [CompletionResult]::new('drill', 'drill', [CompletionResultType]::ParameterValue, 'Practise a failover: shift to failover.to, hold, judge, return to the weights before')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate shell completions, the man page, the CLI reference or the topology file''s JSON Schema')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;help;validate' {
            break
        }
        'hybridctl;help;status' {
            break
        }
        'hybridctl;help;shift-traffic' {
            break
        }
        'hybridctl;help;failover' {
            break
        }
        'hybridctl;help;failback' {
            break
        }
        'hybridctl;help;watch' {
            break
        }
        'hybridctl;help;lambda' {
            [CompletionResult]::new('package', 'package', [CompletionResultType]::ParameterValue, 'Build the deployable zip: bootstrap, the binary, the validated topology')
            break
        }
        'hybridctl;help;lambda;package' {
            break
        }
        'hybridctl;help;dms' {
            [CompletionResult]::new('check-binlog', 'check-binlog', [CompletionResultType]::ParameterValue, 'Prove the DMS source (RDS, Aurora or self-managed MySQL/MariaDB) can do CDC')
            break
        }
        'hybridctl;help;dms;check-binlog' {
            break
        }
        'hybridctl;help;dr' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Route 53 weights, the named stage they match, health checks, the DR ready target group, and any provision in progress')
            [CompletionResult]::new('provision', 'provision', [CompletionResultType]::ParameterValue, 'Bring up DR: Route 53 to `building`, Terraform apply, wait until ready, Route 53 to `recovered`. Resumable')
            [CompletionResult]::new('failback', 'failback', [CompletionResultType]::ParameterValue, 'Back to the `normal` stage once the primary is healthy (its health check passes, or --force); --destroy then removes the DR stack with terraform destroy')
            [CompletionResult]::new('pending', 'pending', [CompletionResultType]::ParameterValue, 'Automatic DRs waiting for a person''s approval (dr.auto.approve), from the coordination table')
            [CompletionResult]::new('approve', 'approve', [CompletionResultType]::ParameterValue, 'Approve a pending automatic DR: the watcher starts `dr provision` at its next poll')
            [CompletionResult]::new('deny', 'deny', [CompletionResultType]::ParameterValue, 'Deny a pending automatic DR: the watcher aborts it and latches (watch --unlatch dr)')
            break
        }
        'hybridctl;help;dr;status' {
            break
        }
        'hybridctl;help;dr;provision' {
            break
        }
        'hybridctl;help;dr;failback' {
            break
        }
        'hybridctl;help;dr;pending' {
            break
        }
        'hybridctl;help;dr;approve' {
            break
        }
        'hybridctl;help;dr;deny' {
            break
        }
        'hybridctl;help;lease' {
            [CompletionResult]::new('status', 'status', [CompletionResultType]::ParameterValue, 'Every live lease: the resource, its holder (user@host, pid, command, reason), since, expiry and fencing generation')
            [CompletionResult]::new('break', 'break', [CompletionResultType]::ParameterValue, 'Break a lease (a holder that cannot release it). Journaled; the holder''s next write stops because its lease is lost')
            break
        }
        'hybridctl;help;lease;status' {
            break
        }
        'hybridctl;help;lease;break' {
            break
        }
        'hybridctl;help;history' {
            break
        }
        'hybridctl;help;init' {
            break
        }
        'hybridctl;help;iam-policy' {
            break
        }
        'hybridctl;help;overflow' {
            break
        }
        'hybridctl;help;drill' {
            break
        }
        'hybridctl;help;generate' {
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Shell completions on stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'The man page (roff) on stdout')
            [CompletionResult]::new('cli-reference', 'cli-reference', [CompletionResultType]::ParameterValue, 'The CLI reference (Markdown) on stdout')
            [CompletionResult]::new('schema', 'schema', [CompletionResultType]::ParameterValue, 'The topology file''s JSON Schema on stdout, for editors (yaml-language-server)')
            break
        }
        'hybridctl;help;generate;completions' {
            break
        }
        'hybridctl;help;generate;man' {
            break
        }
        'hybridctl;help;generate;cli-reference' {
            break
        }
        'hybridctl;help;generate;schema' {
            break
        }
        'hybridctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
