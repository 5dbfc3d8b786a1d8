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

Describe 'New-LayerStack, the sample that builds the demo layers (and every Pester stack)' {
    BeforeAll {
        Import-Module $Manifest -Force
        $script:Layers = New-TestDir 'ovlps-layerstack'
    }
    AfterAll {
        if (Get-OverlayMount | Where-Object MountPoint -EQ "$Layers/mnt") { Dismount-Overlay "$Layers/mnt" }
        Remove-Item -LiteralPath $Layers -Recurse -Force -ErrorAction Ignore
    }

    It 'builds the demo description into layers the kernel mounts as described' {
        Assert-RootOrSkip 'mounting the demo layers'
        $spec = Get-Content -Raw "$RepoRoot/module/samples/demo-layers.txt"
        $stack = New-LayerStack -Description $spec -Root "$Layers/demo"
        $stack.Lowers | Should -HaveCount 3
        [OverlayPS.Core.Posix.Files]::LStat("$($stack.Lowers[0])/etc/motd").IsCharDevice00 | Should -BeTrue
        [OverlayPS.Core.Posix.Xattrs]::GetString("$($stack.Lowers[1])/var/cache", 'trusted.overlay.opaque') | Should -Be 'y'
        [IO.File]::ReadAllText("$($stack.Lowers[2])/usr/bin/tool") | Should -Be "#!/bin/sh`necho tool v1`n"
        (Get-Item "$($stack.Lowers[0])/usr/bin/tool-latest").LinkTarget | Should -Be 'tool'

        Mount-TestOverlay $stack "$Layers/mnt"
        $tree = Get-ChildItem "$Layers/mnt" -Recurse -Force -Name | ForEach-Object { "/$_" }
        Dismount-Overlay "$Layers/mnt"
        $tree | Should -Contain '/var/cache/fresh.txt'
        $tree | Should -Contain '/usr/bin/tool-latest'
        $tree | Should -Not -Contain '/var/cache/apt'          # below lower2's opaque dir
        $tree | Should -Not -Contain '/etc/motd'               # lower1's whiteout
        $tree | Should -Not -Contain '/opt/app/config.json'    # the upper's whiteout
    }

    It 'refuses <line> before writing anything' -ForEach @(
        @{ line = 'lower1 file relative/path x' }
        @{ line = 'middle file /a x' }
        @{ line = 'lower0 file /a x' }
        @{ line = 'lower1 file /a/../../escape x' }
        @{ line = 'lower1 gizmo /a' }
        @{ line = "lower1 link /l /tmp`nlower1 file /l/escape x" }
    ) {
        $root = "$Layers/bad-$([guid]::NewGuid().ToString('N'))"
        { New-LayerStack -Description "lower1 file /first x`n$line" -Root $root -UserXattr } | Should -Throw
        Test-Path -LiteralPath $root | Should -BeFalse
        Test-Path -LiteralPath "$Layers/escape" | Should -BeFalse
    }
}
