BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
}

Describe 'The demo of ./build.sh demo' {
    It 'builds the sample layers, mounts demo: and prints the merged tree with layers' {
        # Run as ./build.sh demo does, minus -NoExit: a fresh pwsh and the same script.
        $layers = New-TestDir 'demo'
        $out = & dotnet pwsh -NoLogo -NoProfile -File "$RepoRoot/module/samples/demo.ps1" -LayerRoot $layers 2>&1 | Out-String
        Remove-Item $layers -Recurse -Force
        $LASTEXITCODE | Should -Be 0
        $markers = $out.Substring($out.IndexOf('Why the other names are gone'))
        $out = $out.Substring(0, $out.IndexOf('Why the other names are gone'))
        $out = $out.Substring($out.IndexOf('The merged tree'))   # the tour's listing only
        # The markers table says which layer hid what.
        $markers | Should -Match 'lower1\s+whiteout\s+demo:/etc/motd'
        $markers | Should -Match 'lower2\s+opaque\s+everything below demo:/var/cache'
        $markers | Should -Match 'upper\s+whiteout\s+demo:/opt/app/config\.json'
        $markers | Should -Not -Match 'Exception|Error'
        $out | Should -Match 'Directory: demo:/etc'
        $out | Should -Match 'upper\s+hostname'          # the upper's copy wins
        $out | Should -Match 'lower3\s+os-release'
        $out | Should -Match 'lower2\s+fresh\.txt'       # opaque /var/cache shows lower2 only
        $out | Should -Match 'lower1\s+VERSION'
        $out | Should -Not -Match 'motd'                 # whited out in lower1
        $out | Should -Not -Match 'config\.json\s'       # whited out in the upper
        $out | Should -Not -Match 'pkgcache'             # hidden by the opaque dir
        $out | Should -Not -Match 'Exception|Error'
    }
}

Describe 'The interactive session the demo leaves open' {
    It 'keeps the default ErrorActionPreference, so an error does not abort the rest of a command line' {
        # ./build.sh demo runs the script with -NoExit: feed that session a command line on stdin.
        $layers = New-TestDir 'demo'
        $typed = 'Get-Item demo:/no-such-file; "ran {0}" -f "on"; "EAP=$ErrorActionPreference"; exit'
        $out = $typed | & dotnet pwsh -NoLogo -NoProfile -NoExit -File "$RepoRoot/module/samples/demo.ps1" -LayerRoot $layers 2>&1 | Out-String
        Remove-Item $layers -Recurse -Force
        $out | Should -Match 'no-such-file'          # the error was reported...
        $out | Should -Match 'ran on'                # ...and the next statement still ran
        $out | Should -Match 'EAP=Continue'
    }
}
