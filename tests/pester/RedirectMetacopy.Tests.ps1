# New-PSDrive -RedirectDir / -Metacopy: the drive writes what the kernel's redirect_dir=on and
# metacopy=on write, and a kernel mount with those options shows what the drive showed.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
}

Describe 'A drive that writes redirects and metacopy files' {
    BeforeEach {
        $script:B = New-TestDir 'ovlps-redirect'
        foreach ($d in 'l1/a/sub', 'up', 'work', 'mnt') { New-Item -ItemType Directory "$B/$d" -Force | Out-Null }
        Set-Content "$B/l1/a/sub/f" 'deep'
        Set-Content "$B/l1/file" 'data'
    }
    AfterEach {
        Remove-PSDrive rd -ErrorAction Ignore
        if (Get-OverlayMount | Where-Object MountPoint -EQ "$B/mnt") { Dismount-Overlay "$B/mnt" }
        Remove-Item -LiteralPath $B -Recurse -Force -ErrorAction Ignore
    }

    It 'renames a lower directory, and the kernel finds its content through the redirect' {
        Assert-RootOrSkip
        $null = New-PSDrive -Name rd -PSProvider Overlay -Root / -LowerDir "$B/l1" -UpperDir "$B/up" -WorkDir "$B/work" -RedirectDir
        Rename-Item rd:/a b
        Get-Content rd:/b/sub/f | Should -Be 'deep'
        Test-Path rd:/a | Should -BeFalse
        Remove-PSDrive rd
        $stack = [OverlayPS.Core.Layers.LayerStack]::new([string[]]"$B/l1", "$B/up", "$B/work", $null, $false)
        Mount-TestOverlay $stack "$B/mnt" @{ RedirectDir = 'on' }
        Get-Content "$B/mnt/b/sub/f" | Should -Be 'deep'
        Test-Path "$B/mnt/a" | Should -BeFalse
    }

    It 'refuses the same rename without -RedirectDir, as the kernel does by default' {
        Assert-RootOrSkip
        $null = New-PSDrive -Name rd -PSProvider Overlay -Root / -LowerDir "$B/l1" -UpperDir "$B/up" -WorkDir "$B/work"
        Rename-Item rd:/a b -ErrorAction SilentlyContinue -ErrorVariable e
        Assert-CleanError $e
        Test-Path rd:/a/sub/f | Should -BeTrue
    }

    It 'copies up metadata only with -Metacopy, and reads the data from below' {
        Assert-RootOrSkip
        $null = New-PSDrive -Name rd -PSProvider Overlay -Root / -LowerDir "$B/l1" -UpperDir "$B/up" -WorkDir "$B/work" -Metacopy
        Set-ItemProperty rd:/file -Name IsReadOnly -Value $true
        Get-Content rd:/file | Should -Be 'data'
        (Get-Item -LiteralPath "$B/up/file").Length | Should -Be 5         # sparse, full size
        Remove-PSDrive rd
        # A drive without -Metacopy refuses the file, as a default mount does.
        $null = New-PSDrive -Name rd -PSProvider Overlay -Root / -LowerDir "$B/l1" -UpperDir "$B/up" -WorkDir "$B/work"
        Get-Content rd:/file -ErrorAction SilentlyContinue -ErrorVariable e
        Assert-CleanError $e
    }
}
