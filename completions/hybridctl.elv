
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
            cand generate 'Generate shell completions, the man page or the CLI reference'
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
        &'hybridctl;generate;help'= {
            cand completions 'Shell completions on stdout'
            cand man 'The man page (roff) on stdout'
            cand cli-reference 'The CLI reference (Markdown) on stdout'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;generate;help;completions'= {
        }
        &'hybridctl;generate;help;man'= {
        }
        &'hybridctl;generate;help;cli-reference'= {
        }
        &'hybridctl;generate;help;help'= {
        }
        &'hybridctl;help'= {
            cand validate 'Check the topology file, offline: syntax, keys, weights, ARNs, references'
            cand generate 'Generate shell completions, the man page or the CLI reference'
            cand help 'Print this message or the help of the given subcommand(s)'
        }
        &'hybridctl;help;validate'= {
        }
        &'hybridctl;help;generate'= {
            cand completions 'Shell completions on stdout'
            cand man 'The man page (roff) on stdout'
            cand cli-reference 'The CLI reference (Markdown) on stdout'
        }
        &'hybridctl;help;generate;completions'= {
        }
        &'hybridctl;help;generate;man'= {
        }
        &'hybridctl;help;generate;cli-reference'= {
        }
        &'hybridctl;help;help'= {
        }
    ]
    $completions[$command]
}
