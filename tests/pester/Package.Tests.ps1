# ./build.sh package end to end, as a user installs a module: the .nupkg published into a local
# folder repository, registered and installed with PSResourceGet in a fresh user profile
# (HOME of its own, so nothing of this machine's profile is read or changed), imported by name
# in a fresh pwsh, and the demo drive opened from the installed copy.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    $script:Dir = New-TestDir 'ovlps-package'
    $script:Feed = Join-Path $Dir 'feed'
    $script:PackageFile = & "$RepoRoot/src/build/Build-Package.ps1" -OutputDirectory $Feed
    $script:Version = (Import-PowerShellDataFile $Manifest).ModuleVersion

    # A fresh pwsh with its own HOME: its PSResourceGet repositories and its user module path
    # ($HOME/.local/share/powershell/Modules) are the test's own.
    function Invoke-FreshPwsh([string] $Script) {
        $psi = [Diagnostics.ProcessStartInfo]::new('dotnet')
        foreach ($a in "$PSHOME/pwsh.dll", '-NoLogo', '-NoProfile', '-NonInteractive', '-Command', $Script) { $psi.ArgumentList.Add($a) }
        # HOME alone: PSResourceGet keeps its repository list under LocalApplicationData, which
        # .NET derives from HOME (with XDG_DATA_HOME also set, it was written relative to the
        # working directory instead); the working directory is the test's, to be sure.
        $psi.Environment['HOME'] = Join-Path $Dir 'home'
        $psi.Environment.Remove('XDG_DATA_HOME') | Out-Null
        $psi.Environment.Remove('XDG_CONFIG_HOME') | Out-Null
        $psi.WorkingDirectory = $Dir
        $psi.Environment.Remove('PSModulePath') | Out-Null
        $psi.RedirectStandardOutput = $true; $psi.RedirectStandardError = $true
        $p = [Diagnostics.Process]::Start($psi)
        $err = $p.StandardError.ReadToEndAsync()
        $out = $p.StandardOutput.ReadToEnd()
        $p.WaitForExit()
        [pscustomobject]@{ ExitCode = $p.ExitCode; Out = $out; Err = $err.Result }
    }
}
AfterAll {
    Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction Ignore
}

Describe './build.sh package' {
    It 'makes OverlayPS.<version>.nupkg with Mono.Posix for linux-x64 and linux-arm64' {
        $PackageFile.Name | Should -Be "OverlayPS.$Version.nupkg"
        $zip = [IO.Compression.ZipFile]::OpenRead($PackageFile.FullName)
        try {
            $names = $zip.Entries.FullName
            foreach ($rid in 'linux-x64', 'linux-arm64') {
                $names | Should -Contain "module/bin/runtimes/$rid/Mono.Posix.NETStandard.dll"
                $names | Should -Contain "module/bin/runtimes/$rid/libMonoPosixHelper.so"
            }
            $names | Should -Contain 'OverlayPS.psd1'
            $names | Should -Contain 'module/bin/OverlayPS.dll'
            $names | Should -Contain 'module/bin/en-US/OverlayPS.dll-Help.xml'
            $names | Should -Not -Contain 'module/bin/Mono.Posix.NETStandard.dll'   # never flat: one per architecture
            # ELF e_machine (offset 18): 62 = x86-64, 183 = AArch64.
            foreach ($case in @{ Rid = 'linux-x64'; Machine = 62 }, @{ Rid = 'linux-arm64'; Machine = 183 }) {
                $s = $zip.GetEntry("module/bin/runtimes/$($case.Rid)/libMonoPosixHelper.so").Open()
                try { $head = [byte[]]::new(20); $null = $s.ReadAtLeast($head, 20) } finally { $s.Dispose() }
                [BitConverter]::ToUInt16($head, 18) | Should -Be $case.Machine -Because $case.Rid
            }
        }
        finally { $zip.Dispose() }
    }

    It 'installs with PSResourceGet, imports by name in a fresh pwsh, and opens the demo drive' {
        $layers = Join-Path $Dir 'demo-layers'
        $r = Invoke-FreshPwsh @"
`$ErrorActionPreference = 'Stop'
Register-PSResourceRepository -Name local -Uri '$Feed' -Trusted
Install-PSResource OverlayPS -Repository local -Version '$Version' -Scope CurrentUser -TrustRepository
Import-Module OverlayPS
`$m = Get-Module OverlayPS
"BASE=`$(`$m.ModuleBase)"
& (Join-Path `$m.ModuleBase 'module/samples/demo.ps1') -LayerRoot '$layers' | Out-Null
"HOSTNAME=`$(Get-Content demo:/etc/hostname)"
"LAYER=`$((Get-Item demo:/etc/os-release).Layer)"
"MONO=`$(([AppDomain]::CurrentDomain.GetAssemblies() | Where-Object { `$_.GetName().Name -eq 'Mono.Posix.NETStandard' }).Location)"
"@
        $r.ExitCode | Should -Be 0 -Because $r.Err
        Test-Path (Join-Path $Dir 'home/.local/share/PSResourceGet/PSResourceRepository.xml') | Should -BeTrue   # its own list, not this machine's
        $base = ($r.Out -split "`n" | Where-Object { $_ -like 'BASE=*' }) -replace '^BASE=' | ForEach-Object Trim
        $base | Should -BeLike "$Dir/home/*/OverlayPS/$Version"
        $r.Out | Should -Match 'HOSTNAME=demo'
        $r.Out | Should -Match 'LAYER=lower3'
        $rid = if ([Runtime.InteropServices.RuntimeInformation]::ProcessArchitecture -eq 'Arm64') { 'linux-arm64' } else { 'linux-x64' }
        $r.Out | Should -Match ([regex]::Escape("MONO=$base/module/bin/runtimes/$rid/Mono.Posix.NETStandard.dll"))
    }
}
