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
complete -c hybridctl -n "__fish_hybridctl_needs_command" -f -a "generate" -d 'Generate shell completions, the man page or the CLI reference'
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
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -s c -l config -d 'The topology file' -r -F
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -l profile -d 'AWS profile from the shared config files' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -l region -d 'AWS region of the deployment' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -l endpoint-url -d 'Send every AWS call to this endpoint (a lab, a VPC endpoint, a proxy)' -r
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -s o -l output -d 'How to print results on stdout' -r -f -a "table\t''
json\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -l color -d 'When to colour the output' -r -f -a "auto\t''
always\t''
never\t''"
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -s q -l quiet -d 'Print only results and errors: no progress, no warnings'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -s v -l verbose -d 'Log more to stderr: -v shows each AWS call and its duration, -vv adds SDK internals'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -s h -l help -d 'Print help (see more with \'--help\')'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -s V -l version -d 'Print version'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -f -a "completions" -d 'Shell completions on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -f -a "man" -d 'The man page (roff) on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -f -a "cli-reference" -d 'The CLI reference (Markdown) on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and not __fish_seen_subcommand_from completions man cli-reference help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
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
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "completions" -d 'Shell completions on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "man" -d 'The man page (roff) on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "cli-reference" -d 'The CLI reference (Markdown) on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand generate; and __fish_seen_subcommand_from help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate generate help" -f -a "validate" -d 'Check the topology file, offline: syntax, keys, weights, ARNs, references'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate generate help" -f -a "generate" -d 'Generate shell completions, the man page or the CLI reference'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and not __fish_seen_subcommand_from validate generate help" -f -a "help" -d 'Print this message or the help of the given subcommand(s)'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "completions" -d 'Shell completions on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "man" -d 'The man page (roff) on stdout'
complete -c hybridctl -n "__fish_hybridctl_using_subcommand help; and __fish_seen_subcommand_from generate" -f -a "cli-reference" -d 'The CLI reference (Markdown) on stdout'
