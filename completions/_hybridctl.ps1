
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
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate shell completions, the man page or the CLI reference')
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
        'hybridctl;generate;help' {
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Shell completions on stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'The man page (roff) on stdout')
            [CompletionResult]::new('cli-reference', 'cli-reference', [CompletionResultType]::ParameterValue, 'The CLI reference (Markdown) on stdout')
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
        'hybridctl;generate;help;help' {
            break
        }
        'hybridctl;help' {
            [CompletionResult]::new('validate', 'validate', [CompletionResultType]::ParameterValue, 'Check the topology file, offline: syntax, keys, weights, ARNs, references')
            [CompletionResult]::new('generate', 'generate', [CompletionResultType]::ParameterValue, 'Generate shell completions, the man page or the CLI reference')
            [CompletionResult]::new('help', 'help', [CompletionResultType]::ParameterValue, 'Print this message or the help of the given subcommand(s)')
            break
        }
        'hybridctl;help;validate' {
            break
        }
        'hybridctl;help;generate' {
            [CompletionResult]::new('completions', 'completions', [CompletionResultType]::ParameterValue, 'Shell completions on stdout')
            [CompletionResult]::new('man', 'man', [CompletionResultType]::ParameterValue, 'The man page (roff) on stdout')
            [CompletionResult]::new('cli-reference', 'cli-reference', [CompletionResultType]::ParameterValue, 'The CLI reference (Markdown) on stdout')
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
        'hybridctl;help;help' {
            break
        }
    })

    $completions.Where{ $_.CompletionText -like "$wordToComplete*" } |
        Sort-Object -Property ListItemText
}
