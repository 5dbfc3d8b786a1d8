# Root opening layers written by a userxattr overlay (rootless podman) without -UserXattr reads
# none of their marks: hidden content shows. New-PSDrive and Mount-Overlay say so.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
}

Describe 'Layers whose marks are in the other xattr namespace' {
    BeforeEach {
        $script:D = New-TestDir 'ovlps-foreign'
        New-Item -ItemType Directory "$D/l2/cache", "$D/l1/cache", "$D/mnt" | Out-Null
        Set-Content "$D/l2/cache/old" 'hidden by the opaque dir above'
        Set-Content "$D/l1/cache/new" 'x'
    }
    AfterEach {
        Remove-PSDrive fx -ErrorAction Ignore
        if ((Get-Content /proc/self/mountinfo) -match [regex]::Escape(" $D/mnt ")) { Dismount-Overlay "$D/mnt" -Confirm:$false }
        Remove-Item -LiteralPath $D -Recurse -Force -ErrorAction Ignore
    }

    It 'warns on New-PSDrive and Mount-Overlay without -UserXattr, and not with it' {
        Assert-RootOrSkip 'setting user.overlay.* on a directory and mounting'
        [OverlayPS.Core.Posix.Xattrs]::Set("$D/l1/cache", 'user.overlay.opaque', 'y')

        $null = New-PSDrive -Name fx -PSProvider Overlay -Root / -LowerDir "$D/l1", "$D/l2" -WarningVariable w -WarningAction SilentlyContinue
        "$w" | Should -Match ([regex]::Escape("'$D/l1/cache' carries user.overlay.*"))
        "$w" | Should -Match '-UserXattr'
        (Get-ChildItem fx:/cache).Name | Should -Contain 'old'     # what the warning is about
        Remove-PSDrive fx

        $null = New-PSDrive -Name fx -PSProvider Overlay -Root / -LowerDir "$D/l1", "$D/l2" -UserXattr -WarningVariable w2
        $w2 | Should -BeNullOrEmpty
        (Get-ChildItem fx:/cache).Name | Should -Be 'new'

        Mount-Overlay -Path "$D/mnt" -LowerDir "$D/l1", "$D/l2" -WarningVariable w3 -WarningAction SilentlyContinue
        "$w3" | Should -Match 'user\.overlay\.\* marks'
    }

    It 'stays quiet over ordinary layers' {
        Assert-RootOrSkip 'reading trusted.* xattrs'
        $null = New-PSDrive -Name fx -PSProvider Overlay -Root / -LowerDir "$D/l1", "$D/l2" -WarningVariable w
        $w | Should -BeNullOrEmpty
    }
}
