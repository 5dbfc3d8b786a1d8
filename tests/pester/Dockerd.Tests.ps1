# The private test dockerd (tests/daemon) from PowerShell: what Pester comparisons with docker use.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    . "$PSScriptRoot/../daemon/TestDockerd.ps1"
}

Describe 'The private test dockerd' {
    It 'starts in its own dir, imports a rootfs tarball, and stops leaving no mount beneath it' {
        Assert-RootOrSkip 'a private dockerd'
        $d = Start-TestDockerd
        if (-not $d) { return }
        try {
            $tar = New-TestRootfsTar (Join-Path $d.Dir 'rootfs.tar')
            $id = Invoke-TestDocker $d import $tar pester:1
            $id | Should -Match '^sha256:[0-9a-f]{64}$'
            Invoke-TestDocker $d image inspect --format '{{.Id}}' pester:1 | Should -Be $id
            Test-Path (Join-Path $d.DataRoot 'image/overlay2/repositories.json') | Should -BeTrue
        }
        finally { Stop-TestDockerd $d }
        Get-Content /proc/self/mountinfo | Where-Object { ($_ -split ' ')[4].StartsWith("$($d.Dir)/") } | Should -BeNullOrEmpty
        Test-Path $d.Dir | Should -BeFalse
    }
}
