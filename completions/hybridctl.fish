# Print an optspec for argparse to handle cmd's options that are independent of any subcommand.
function __fish_hybridctl_global_optspecs
    string join \n c/config= profile= region= endpoint-url= o/output= color= q/quiet v/verbose h/help V/version
end

function __fish_hybridctl_needs_command
    # Figure out if the current invocation already has a command.
    set -l cmd (commandline -opc)
    set -e cmd[1]
    argparse -s (__fish_hybridctl_global_optspecs) -- $cmd 2>/dev/null
    or return
    if set -q argv[1]
        # Also print the command, so this can be used to figure out what it is.
        echo $argv[1]
        return 1
    end
    return 0
end

function __fish_hybridctl_using_subcommand
    set -l cmd (__fish_hybridctl_needs_command)
    test -z "$cmd"
    and return 1
    contains -- $cmd[1] $argv
end

complete -c hybridctl -n "__fish_hybridctl_needs_command" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_needs_command" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_needs_command" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_needs_command" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_needs_command" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_needs_command" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_needs_command" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "validate" -d 'Check the topology file, offline: syntax, keys, weights, ARNs, references'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "status" -d 'Where traffic goes, whether every site that gets traffic can serve it, replication and DR'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "shift-traffic" -d 'Set ALB weights: `hybridctl shift-traffic onprem=20 aws=80`'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "failover" -d 'Move the failover.from site\'s traffic to failover.to (e.g. on-prem 40 / AWS 60 -> 0 / 100)'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "failback" -d 'Return to the file\'s normal weights, gated on health, DMS replication and the alarm'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "watch" -d 'Watch the from-site and fail over (and back) by itself: a service, or --once for cron'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "lambda" -d 'Run as the AWS Lambda function of the failover alarm (provided.al2023), or package it'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "dms" -d 'DMS replication checks'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "dr" -d 'The DR runbook: Route 53 stages, Terraform for the DR stack, readiness'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "lease" -d 'Cross-host leases in the coordination table: who holds what, and breaking a stuck one'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "history" -d 'Every change hybridctl made, newest first, from any host'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "init" -d 'Draft a topology file from an ALB listener: its weighted forwards, on-prem vs AWS'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "iam-policy" -d 'Print a least-privilege IAM policy for the given commands (default: all)'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "overflow" -d 'Overflow to AWS when on-prem runs hot: evaluate each service\'s Prometheus query once'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "drill" -d 'Practise a failover: shift to failover.to, hold, judge, return to the weights before'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "generate" -d 'Generate shell completions, the man page, the CLI reference or the topology file\'s JSON Schema'
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand validate" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand validate" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand validate" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand validate" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand validate" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand validate" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand validate" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand validate" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand validate" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand validate" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -l service -d 'Show only this service (repeatable)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -l watch -d 'Refresh every INTERVAL until Ctrl-C (default 5s)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand status" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l service -d 'Act on this service (repeatable). Needed, or --all, when the file has several' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l reason -d 'Why, for the journal and the rule\'s tag' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l step -d 'Move at most N percentage points per step (gradual shift)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l interval -d 'Wait this long between steps (with --step or failback steps), re-checking health gates' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l on-failure -d 'What to do when a gate fails between steps: stop where it is, or roll back to the start' -r -f -a "stop\t''
rollback\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l lock-timeout -d 'How long to wait for another hybridctl run changing the same service on this host' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l all -d 'Act on every service in the file'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l dry-run -d 'Show the plan and the gates, change nothing (exit 0 when the gates pass, 1 when not)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -s y -l yes -d 'Do not ask for confirmation (required when stdin is not a terminal)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l force -d 'Go ahead although safety gates fail; the journal records which were forced'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -l no-lease -d 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand shift-traffic" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l service -d 'Act on this service (repeatable). Needed, or --all, when the file has several' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l reason -d 'Why, for the journal and the rule\'s tag' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l step -d 'Move at most N percentage points per step (gradual shift)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l interval -d 'Wait this long between steps (with --step or failback steps), re-checking health gates' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l on-failure -d 'What to do when a gate fails between steps: stop where it is, or roll back to the start' -r -f -a "stop\t''
rollback\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l lock-timeout -d 'How long to wait for another hybridctl run changing the same service on this host' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l if-alarm -d 'Act only when the failover alarm is in ALARM; otherwise print "no action" and exit 0'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l all -d 'Act on every service in the file'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l dry-run -d 'Show the plan and the gates, change nothing (exit 0 when the gates pass, 1 when not)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -s y -l yes -d 'Do not ask for confirmation (required when stdin is not a terminal)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l force -d 'Go ahead although safety gates fail; the journal records which were forced'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -l no-lease -d 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failover" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l if-ok-for -d 'Act only when the failover alarm has been OK this long and every gate passes; otherwise print "no action" and exit 0' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l service -d 'Act on this service (repeatable). Needed, or --all, when the file has several' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l reason -d 'Why, for the journal and the rule\'s tag' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l step -d 'Move at most N percentage points per step (gradual shift)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l interval -d 'Wait this long between steps (with --step or failback steps), re-checking health gates' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l on-failure -d 'What to do when a gate fails between steps: stop where it is, or roll back to the start' -r -f -a "stop\t''
rollback\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l lock-timeout -d 'How long to wait for another hybridctl run changing the same service on this host' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l all -d 'Act on every service in the file'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l dry-run -d 'Show the plan and the gates, change nothing (exit 0 when the gates pass, 1 when not)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -s y -l yes -d 'Do not ask for confirmation (required when stdin is not a terminal)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l force -d 'Go ahead although safety gates fail; the journal records which were forced'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -l no-lease -d 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand failback" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -l unlatch -d 'Clear a latch so the watcher acts again: `failover` (the default: the latch set after watch.max_auto_failovers) or `dr` (set once automatic DR fired, dr.auto)' -r -f -a "failover\t'The automatic failovers\' latch (watch.max_auto_failovers)'
dr\t'Automatic DR\'s latch (dr.auto fires once per outage)'"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -l reason -d 'Why (journaled), with --unlatch' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -l listen -d 'Serve /metrics, /healthz and /readyz on IP:PORT (wins over watch.listen). A non-loopback address needs watch.listen_allow_remote: true in the file' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -l observe -d 'Decide and log, never write: no AWS change, and the shared state is left alone'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -l once -d 'One evaluation with the persisted state, then exit (cron). Exit 1 when an action was refused or failed, 3 when the state could not be read or written'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand watch" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -f -a "package" -d 'Build the deployable zip: bootstrap, the binary, the validated topology'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and not __fish_seen_subcommand_from package help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -l out -d 'Where to write the zip' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -l binary -d 'The binary to package (default: this one)' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from package" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from help" -f -a "package" -d 'Build the deployable zip: bootstrap, the binary, the validated topology'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lambda; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -f -a "check-binlog" -d 'Prove the DMS source (RDS, Aurora or self-managed MySQL/MariaDB) can do CDC'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and not __fish_seen_subcommand_from check-binlog help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -l sql -d 'Also connect to the source with SQL, even when replication.sql is not set (the DMS endpoint\'s server and user, password from HYBRIDCTL_SQL_PASSWORD)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -l no-sql -d 'Only the AWS API checks, even when replication.sql is set'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -l strict -d 'Fail (exit 1) on WARN too'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from check-binlog" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from help" -f -a "check-binlog" -d 'Prove the DMS source (RDS, Aurora or self-managed MySQL/MariaDB) can do CDC'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dms; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -f -a "status" -d 'Route 53 weights, the named stage they match, health checks, the DR ready target group, and any provision in progress'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -f -a "provision" -d 'Bring up DR: Route 53 to `building`, Terraform apply, wait until ready, Route 53 to `recovered`. Resumable'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -f -a "failback" -d 'Back to the `normal` stage once the primary is healthy (its health check passes, or --force); --destroy then removes the DR stack with terraform destroy'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -f -a "pending" -d 'Automatic DRs waiting for a person\'s approval (dr.auto.approve), from the coordination table'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -f -a "approve" -d 'Approve a pending automatic DR: the watcher starts `dr provision` at its next poll'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -f -a "deny" -d 'Deny a pending automatic DR: the watcher aborts it and latches (watch --unlatch dr)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and not __fish_seen_subcommand_from status provision failback pending approve deny help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from status" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from status" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from status" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from status" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from status" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from status" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -l reason -d 'Why, for the journal' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -l lock-timeout -d 'How long to wait for another hybridctl run changing the same thing on this host' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -l insync-timeout -d 'How long to wait for each Route 53 change to reach INSYNC (all of Route 53\'s servers)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -l dry-run -d 'Show the plan and run `terraform plan -json`; change nothing'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -s y -l yes -d 'Do not ask for confirmation (required when stdin is not a terminal)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -l force -d 'Apply a stage even if all its weight goes to records whose health checks fail'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -l skip-terraform -d 'The DR stack was built out of band: do not run Terraform'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -l no-lease -d 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from provision" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -l reason -d 'Why, for the journal' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -l lock-timeout -d 'How long to wait for another hybridctl run changing the same thing on this host' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -l insync-timeout -d 'How long to wait for each Route 53 change to reach INSYNC (all of Route 53\'s servers)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -l dry-run -d 'Show the plan and the gate; change nothing'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -s y -l yes -d 'Do not ask for confirmation (required when stdin is not a terminal)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -l force -d 'Fail back although the primary\'s health check fails'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -l destroy -d 'Then run terraform destroy for the DR stack'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -l no-lease -d 'Break glass: change without the cross-host lease when DynamoDB itself cannot be reached'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from failback" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from pending" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from pending" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from pending" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from pending" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from pending" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from pending" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from pending" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from pending" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from pending" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from pending" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from approve" -l reason -d 'Why, for the journal and the table' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from approve" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from approve" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from approve" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from approve" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from approve" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from approve" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from approve" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from approve" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from approve" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from approve" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from deny" -l reason -d 'Why, for the journal and the table' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from deny" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from deny" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from deny" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from deny" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from deny" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from deny" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from deny" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from deny" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from deny" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from deny" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from help" -f -a "status" -d 'Route 53 weights, the named stage they match, health checks, the DR ready target group, and any provision in progress'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from help" -f -a "provision" -d 'Bring up DR: Route 53 to `building`, Terraform apply, wait until ready, Route 53 to `recovered`. Resumable'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from help" -f -a "failback" -d 'Back to the `normal` stage once the primary is healthy (its health check passes, or --force); --destroy then removes the DR stack with terraform destroy'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from help" -f -a "pending" -d 'Automatic DRs waiting for a person\'s approval (dr.auto.approve), from the coordination table'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from help" -f -a "approve" -d 'Approve a pending automatic DR: the watcher starts `dr provision` at its next poll'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from help" -f -a "deny" -d 'Deny a pending automatic DR: the watcher aborts it and latches (watch --unlatch dr)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand dr; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -f -a "status" -d 'Every live lease: the resource, its holder (user@host, pid, command, reason), since, expiry and fencing generation'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -f -a "break" -d 'Break a lease (a holder that cannot release it). Journaled; the holder\'s next write stops because its lease is lost'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and not __fish_seen_subcommand_from status break help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from status" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from status" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from status" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from status" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from status" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from status" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from status" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from status" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from status" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from status" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -l reason -d 'Why, for the journal (required)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -l yes -d 'Do not ask for confirmation (required when stdin is not a terminal)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from break" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from help" -f -a "status" -d 'Every live lease: the resource, its holder (user@host, pid, command, reason), since, expiry and fencing generation'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from help" -f -a "break" -d 'Break a lease (a holder that cannot release it). Journaled; the holder\'s next write stops because its lease is lost'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand lease; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -l service -d 'Only this service\'s records' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -l since -d 'Only records this recent' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -l limit -d 'At most this many records' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -l kind -d 'Only records of this kind: drill (how each drill ended), change, intent, outcome, step, warning' -r -f -a "drill\t''
change\t''
intent\t''
outcome\t''
step\t''
warning\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand history" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l listener-arn -d 'The ALB listener to read (`arn:aws:elasticloadbalancing:REGION:ACCOUNT:listener/app/...`)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l rule-arn -d 'Only these rules of the listener (repeatable); default: every rule and the default action' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l zone-id -d 'Draft a dns service instead, from the weighted records of --record in this Route 53 hosted zone (docs/dns.md)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l record -d 'The record name whose weighted records split the service (with --zone-id)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l type -d 'The record type (with --zone-id): A, AAAA or CNAME' -r -f -a "A\t''
AAAA\t''
CNAME\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l out -d 'Write the draft here (atomically) instead of stdout' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l vpc-cidr -d 'A CIDR block of the load balancer\'s VPC (repeatable; include secondary blocks)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -l force -d 'Replace --out when it exists (without it, an existing file is refused, exit 2)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand init" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand iam-policy" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand iam-policy" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand iam-policy" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand iam-policy" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand iam-policy" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand iam-policy" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand iam-policy" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand iam-policy" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand iam-policy" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand iam-policy" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -l service -d 'Evaluate only this service (repeatable); default: every service with overflow' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -l apply -d 'Make the change that is due, through the runbook (needs --yes)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -s y -l yes -d 'Do not ask for confirmation (required with --apply)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -l dry-run -d 'Evaluate and print only: neither the state file nor AWS is changed'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand overflow" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -l service -d 'Drill this service (repeatable). Needed, or --all, when the file has several' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -l share -d 'The % of traffic failover.to takes during the drill, 1..100 (default: drill.share, else 100)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -l hold -d 'How long to hold the traffic there (default: drill.hold, else 30m)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -l reason -d 'Why, for the journal and the rule\'s tag' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -l all -d 'Drill every service in the file, one after the other'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -l failover -d 'A full failover drill: failover.to takes all of failover.from\'s traffic (share 100)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -s y -l yes -d 'Do not ask for confirmation (required when stdin is not a terminal)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -l dry-run -d 'Preflight and show the shift\'s plan; change nothing (exit 0 when it would start, 1 when not)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand drill" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -f -a "completions" -d 'Shell completions on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -f -a "man" -d 'The man page (roff) on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -f -a "cli-reference" -d 'The CLI reference (Markdown) on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -f -a "schema" -d 'The topology file\'s JSON Schema on stdout, for editors (yaml-language-server)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference schema help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from completions" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from completions" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from completions" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from completions" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from completions" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from completions" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from completions" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from completions" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from completions" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from completions" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from man" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from man" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from man" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from man" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from man" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from man" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from man" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from man" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from man" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from man" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from cli-reference" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from cli-reference" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from cli-reference" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from cli-reference" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from cli-reference" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from cli-reference" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from cli-reference" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from cli-reference" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from cli-reference" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from cli-reference" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from schema" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from schema" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from schema" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from schema" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from schema" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from schema" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from schema" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from schema" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from schema" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from schema" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "completions" -d 'Shell completions on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "man" -d 'The man page (roff) on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "cli-reference" -d 'The CLI reference (Markdown) on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "schema" -d 'The topology file\'s JSON Schema on stdout, for editors (yaml-language-server)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "validate" -d 'Check the topology file, offline: syntax, keys, weights, ARNs, references'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "status" -d 'Where traffic goes, whether every site that gets traffic can serve it, replication and DR'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "shift-traffic" -d 'Set ALB weights: `hybridctl shift-traffic onprem=20 aws=80`'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "failover" -d 'Move the failover.from site\'s traffic to failover.to (e.g. on-prem 40 / AWS 60 -> 0 / 100)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "failback" -d 'Return to the file\'s normal weights, gated on health, DMS replication and the alarm'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "watch" -d 'Watch the from-site and fail over (and back) by itself: a service, or --once for cron'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "lambda" -d 'Run as the AWS Lambda function of the failover alarm (provided.al2023), or package it'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "dms" -d 'DMS replication checks'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "dr" -d 'The DR runbook: Route 53 stages, Terraform for the DR stack, readiness'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "lease" -d 'Cross-host leases in the coordination table: who holds what, and breaking a stuck one'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "history" -d 'Every change hybridctl made, newest first, from any host'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "init" -d 'Draft a topology file from an ALB listener: its weighted forwards, on-prem vs AWS'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "iam-policy" -d 'Print a least-privilege IAM policy for the given commands (default: all)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "overflow" -d 'Overflow to AWS when on-prem runs hot: evaluate each service\'s Prometheus query once'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "drill" -d 'Practise a failover: shift to failover.to, hold, judge, return to the weights before'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "generate" -d 'Generate shell completions, the man page, the CLI reference or the topology file\'s JSON Schema'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate status shift-traffic failover failback watch lambda dms dr lease history init iam-policy overflow drill generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from lambda" -f -a "package" -d 'Build the deployable zip: bootstrap, the binary, the validated topology'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from dms" -f -a "check-binlog" -d 'Prove the DMS source (RDS, Aurora or self-managed MySQL/MariaDB) can do CDC'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from dr" -f -a "status" -d 'Route 53 weights, the named stage they match, health checks, the DR ready target group, and any provision in progress'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from dr" -f -a "provision" -d 'Bring up DR: Route 53 to `building`, Terraform apply, wait until ready, Route 53 to `recovered`. Resumable'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from dr" -f -a "failback" -d 'Back to the `normal` stage once the primary is healthy (its health check passes, or --force); --destroy then removes the DR stack with terraform destroy'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from dr" -f -a "pending" -d 'Automatic DRs waiting for a person\'s approval (dr.auto.approve), from the coordination table'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from dr" -f -a "approve" -d 'Approve a pending automatic DR: the watcher starts `dr provision` at its next poll'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from dr" -f -a "deny" -d 'Deny a pending automatic DR: the watcher aborts it and latches (watch --unlatch dr)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from lease" -f -a "status" -d 'Every live lease: the resource, its holder (user@host, pid, command, reason), since, expiry and fencing generation'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from lease" -f -a "break" -d 'Break a lease (a holder that cannot release it). Journaled; the holder\'s next write stops because its lease is lost'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "completions" -d 'Shell completions on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "man" -d 'The man page (roff) on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "cli-reference" -d 'The CLI reference (Markdown) on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "schema" -d 'The topology file\'s JSON Schema on stdout, for editors (yaml-language-server)'
