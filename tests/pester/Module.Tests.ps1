BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
}

Describe 'The module loads from its manifest' {
    It 'imports the built dll named as RootModule' {
        $m = Get-Module OverlayPS
        $m | Should -Not -BeNullOrEmpty
        $m.ModuleType | Should -Be 'Binary'
        (Split-Path $m.Path -Leaf) | Should -Be 'OverlayPS.dll'
    }

    It 'registers the Overlay provider' {
        (Get-PSProvider Overlay).Name | Should -Be 'Overlay'
    }

    It 'loads Mono.Posix and its native helper inside pwsh' {
        # lstat through Mono.Posix: fails with DllNotFoundException when libMonoPosixHelper.so
        # is not found beside the managed dll.
        $st = [OverlayPS.Core.Posix.Files]::LStat('/')
        $st.Kind | Should -Be 'Directory'
        $dir = New-TestDir
        try {
            [OverlayPS.Core.Posix.Files]::Symlink('target', "$dir/link")
            [OverlayPS.Core.Posix.Files]::ReadLink("$dir/link") | Should -Be 'target'
        }
        finally { Remove-Item $dir -Recurse -Force }
    }
}

Describe 'New-PSDrive -PSProvider Overlay rejects a bad stack' {
    BeforeEach {
        $d = New-TestDir
        New-Item -ItemType Directory "$d/l1", "$d/l2", "$d/u", "$d/w" | Out-Null
    }
    AfterEach { Remove-Item $d -Recurse -Force -ErrorAction Ignore }

    It 'creates a drive over good dirs' {
        $drive = New-PSDrive -Name okdrv -PSProvider Overlay -Root / -LowerDir "$d/l1", "$d/l2" -UpperDir "$d/u" -WorkDir "$d/w"
        $drive.LowerDir | Should -Be @("$d/l1", "$d/l2")
        $drive.UpperDir | Should -Be "$d/u"
        Remove-PSDrive okdrv
    }

    It 'names a missing lower dir' {
        { New-PSDrive -Name bad1 -PSProvider Overlay -Root / -LowerDir "$d/nope" -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*$d/nope*does not exist*"
        $err = $null
        New-PSDrive -Name bad1 -PSProvider Overlay -Root / -LowerDir "$d/nope" -ErrorAction SilentlyContinue -ErrorVariable err | Out-Null
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].TargetObject | Should -Be "$d/nope"
    }

    It 'refuses an upper dir without a work dir' {
        { New-PSDrive -Name bad2 -PSProvider Overlay -Root / -LowerDir "$d/l1" -UpperDir "$d/u" -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*$d/u*work directory*"
    }

    It 'refuses the same dir twice' {
        { New-PSDrive -Name bad3 -PSProvider Overlay -Root / -LowerDir "$d/l1", "$d/l1" -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*$d/l1*twice*"
    }

    It 'refuses a file given as a dir' {
        Set-Content "$d/file" 'x'
        { New-PSDrive -Name bad4 -PSProvider Overlay -Root / -LowerDir "$d/file" -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*$d/file*not a directory*"
    }

    It 'refuses an unreadable dir' {
        chmod 000 "$d/l2"
        $probe = "Import-Module '$Manifest'; New-PSDrive -Name bad5 -PSProvider Overlay -Root / -LowerDir '$d/l2' -ErrorAction Stop"
        if ($IsRoot) {
            # root reads any dir; without the DAC override capabilities it is bound by modes
            # like everybody else, which is what this check is about.
            $out = setpriv --bounding-set=-dac_override,-dac_read_search dotnet pwsh -NoProfile -Command $probe 2>&1
        }
        else {
            $out = dotnet pwsh -NoProfile -Command $probe 2>&1
        }
        ($out -join "`n") | Should -BeLike "*$d/l2*cannot be read*"
    }

    It 'refuses a work dir on another filesystem than the upper' {
        Assert-RootOrSkip 'mounting a tmpfs'
        New-Item -ItemType Directory "$d/other" | Out-Null
        mount -t tmpfs tmpfs "$d/other"
        try {
            { New-PSDrive -Name bad6 -PSProvider Overlay -Root / -LowerDir "$d/l1" -UpperDir "$d/u" -WorkDir "$d/other" -ErrorAction Stop } |
                Should -Throw -ExpectedMessage "*$d/other*same filesystem*"
        }
        finally { umount "$d/other" }
    }
}
