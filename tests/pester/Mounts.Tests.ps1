# Kernel overlay mounts through the cmdlets, in a fresh pwsh against the built module.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force

    function New-Stack([string] $Root, [string[]] $Lowers, [switch] $Upper) {
        $s = @{ Lower = @(); MountPoint = Join-Path $Root 'mnt' }
        New-Item -ItemType Directory -Force -Path $s.MountPoint | Out-Null
        $i = 0
        foreach ($name in $Lowers) {
            # [IO.Directory] takes the name literally: New-Item would read '\' as a separator.
            $dir = "$Root/$name"
            [IO.Directory]::CreateDirectory($dir) | Out-Null
            [IO.File]::WriteAllText("$dir/file$i", $name)
            $s.Lower += $dir
            $i++
        }
        if ($Upper) {
            $s.Upper = "$Root/up"; $s.Work = "$Root/work"
            New-Item -ItemType Directory $s.Upper, $s.Work | Out-Null
        }
        $s
    }

    # Runs Mount-Overlay and returns its one error record.
    function Get-MountError([hashtable] $Params) {
        $err = $null
        Mount-Overlay @Params -ErrorAction SilentlyContinue -ErrorVariable err
        $err | Should -HaveCount 1
        Get-OverlayMount | Where-Object MountPoint -eq $Params.Path | Should -BeNullOrEmpty
        $err[0]
    }

    function Remove-TestDir([string] $Dir) {
        Get-OverlayMount | Where-Object MountPoint -like "$Dir/*" | Dismount-Overlay -Force -ErrorAction Ignore
        Remove-Item -LiteralPath $Dir -Recurse -Force -ErrorAction Ignore
    }
}

Describe 'Dismount-Overlay asks before unmounting an overlay this session did not mount' {
    BeforeEach { $d = New-TestDir 'ovlps-ask' }
    AfterEach { Remove-TestDir $d }

    It 'asks for a mount made by mount(8), and unmounts it with -Confirm:$false or -Force' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a', 'b')
        $opts = "lowerdir=$($s.Lower[0]):$($s.Lower[1])"
        # mount(8), not Mount-TestOverlay: the case is a mount this session did not make.
        mount -t overlay overlay -o $opts $s.MountPoint
        $LASTEXITCODE | Should -Be 0
        # A non-interactive pwsh cannot answer the question, so the unmount fails instead of happening.
        $probe = "Import-Module '$Manifest'; Get-OverlayMount | Where-Object MountPoint -eq '$($s.MountPoint)' | Dismount-Overlay"
        $out = timeout 120 dotnet pwsh -NoProfile -NonInteractive -Command $probe 2>&1
        ($out -join "`n") | Should -Match 'NonInteractive'
        (Get-OverlayMount -Path $s.MountPoint).MountPoint | Should -Be $s.MountPoint
        Dismount-Overlay $s.MountPoint -WhatIf
        (Get-OverlayMount -Path $s.MountPoint).MountPoint | Should -Be $s.MountPoint

        $gone = Dismount-Overlay $s.MountPoint -Confirm:$false -PassThru
        $gone.MountPoint | Should -Be $s.MountPoint
        $gone.LowerDir | Should -Be $s.Lower
        Get-OverlayMount | Where-Object MountPoint -eq $s.MountPoint | Should -BeNullOrEmpty

        mount -t overlay overlay -o $opts $s.MountPoint   # again made by another program
        Get-OverlayMount | Where-Object MountPoint -eq $s.MountPoint | Dismount-Overlay -Force
        Get-OverlayMount | Where-Object MountPoint -eq $s.MountPoint | Should -BeNullOrEmpty
    }

    It 'unmounts what Mount-Overlay mounted in the session without asking' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a', 'b')
        $probe = "Import-Module '$Manifest'; Mount-Overlay -Path '$($s.MountPoint)' -LowerDir '$($s.Lower[0])', '$($s.Lower[1])'; " +
            "Get-OverlayMount | Where-Object MountPoint -eq '$($s.MountPoint)' | Dismount-Overlay -PassThru | ForEach-Object MountPoint"
        $out = timeout 120 dotnet pwsh -NoProfile -NonInteractive -Command $probe 2>&1
        $out | Should -Be $s.MountPoint
        Get-OverlayMount | Where-Object MountPoint -eq $s.MountPoint | Should -BeNullOrEmpty
    }
}

Describe 'Mount-Overlay, Get-OverlayMount and Dismount-Overlay round trip' {
    BeforeEach { $d = New-TestDir 'ovlps-mnt' }
    AfterEach { Remove-TestDir $d }

    It 'mounts hostile names that Get-OverlayMount reads back unescaped and in order' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('with space', 'co:lon', 'com,ma', 'back\slash', "tab`there", 'ünï €') -Upper
        $m = Mount-Overlay -Path $s.MountPoint -LowerDir $s.Lower -UpperDir $s.Upper -WorkDir $s.Work -PassThru
        $m | Should -BeOfType ([OverlayPS.Core.Kernel.OverlayMount])
        $listed = Get-OverlayMount | Where-Object MountPoint -eq $s.MountPoint
        $listed.LowerDir | Should -Be $s.Lower
        $listed.UpperDir | Should -Be $s.Upper
        $listed.WorkDir | Should -Be $s.Work
        $listed.ReadOnly | Should -BeFalse
        [IO.File]::ReadAllText("$($s.MountPoint)/file3") | Should -Be 'back\slash'
        (Get-OverlayMount -Path "$($s.MountPoint)/file1").MountPoint | Should -Be $s.MountPoint

        $listed | Dismount-Overlay
        Get-OverlayMount | Where-Object MountPoint -eq $s.MountPoint | Should -BeNullOrEmpty

        # The object describes the stack well enough to mount it again.
        $again = $listed | Mount-Overlay -PassThru
        $again.LowerDir | Should -Be $s.Lower
        $again.UpperDir | Should -Be $s.Upper
        $again | Dismount-Overlay
    }

    It 'shows a mount in its table view' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a', 'b')
        Mount-Overlay $s.MountPoint $s.Lower
        $text = Get-OverlayMount -Path $s.MountPoint | Out-String -Width 200
        $text | Should -Match 'MountPoint'
        $text | Should -Match ([regex]::Escape($s.MountPoint))
        $text | Should -Match '\(\+1\)'   # the topmost lower and one more
        Dismount-Overlay $s.MountPoint
    }

    It 'passes overlay options and data-only layers through, and reads them back' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a', 'b', 'data') -Upper
        $lower = $s.Lower[0..1]; $data = $s.Lower[2]
        foreach ($strategy in 'MountSyscall', 'NewMountApi') {
            Remove-Item "$($s.Work)/*" -Recurse -Force -ErrorAction Ignore
            $m = Mount-Overlay $s.MountPoint $lower -UpperDir $s.Upper -WorkDir $s.Work -DataDir $data `
                -RedirectDir on -Metacopy -Index:$false -Volatile -Option 'xino=off' -Strategy $strategy -PassThru
            try {
                $m.LowerDir | Should -Be $lower
                $m.DataDir | Should -Be @($data)
                foreach ($o in 'redirect_dir=on', 'metacopy=on') { $m.Options | Should -Contain $o }
                # Linux 6.12+ shows volatile as fsync=volatile.
                $m.Options | Where-Object { $_ -in 'volatile', 'fsync=volatile' } | Should -Not -BeNullOrEmpty
                # index=off and xino=off are the defaults here, which mountinfo leaves out.
                $m.Options | Should -Not -Contain 'index=on'
                # A data-only layer is never listed: its file does not show.
                Test-Path "$($s.MountPoint)/file2" | Should -BeFalse
                Test-Path "$($s.MountPoint)/file1" | Should -BeTrue
            }
            finally { Dismount-Overlay $s.MountPoint }
        }
    }

    It 'shows the relative l/ lowers of a Docker-style mount as full paths' {
        Assert-RootOrSkip 'mounting an overlay'
        # dockerd's layout: <root>/l/<short id> -> ../<id>/diff, mounted from <root> with relative lowers.
        foreach ($id in 'base', 'mid', 'ctr') { New-Item -ItemType Directory "$d/$id/diff" | Out-Null }
        New-Item -ItemType Directory "$d/l", "$d/ctr/work", "$d/ctr/merged" | Out-Null
        Set-Content "$d/base/diff/from-base" 'b'
        New-Item -ItemType SymbolicLink "$d/l/AAAA" -Target '../mid/diff' | Out-Null
        New-Item -ItemType SymbolicLink "$d/l/BBBB" -Target '../base/diff' | Out-Null
        Push-Location $d
        # mount(8), not Mount-TestOverlay: relative lowers as dockerd passes them (Mount-Overlay
        # would make them absolute), which Get-OverlayMount must resolve.
        try { mount -t overlay overlay -o "lowerdir=l/AAAA:l/BBBB,upperdir=$d/ctr/diff,workdir=$d/ctr/work" "$d/ctr/merged" }
        finally { Pop-Location }
        try {
            $m = Get-OverlayMount -Path "$d/ctr/merged/from-base"
            $m.MountPoint | Should -Be "$d/ctr/merged"
            $m.LowerDir | Should -Be @("$d/l/AAAA", "$d/l/BBBB")
            $m.UpperDir | Should -Be "$d/ctr/diff"
        }
        finally { Dismount-Overlay "$d/ctr/merged" -Confirm:$false }   # mounted by mount(8), not by us
    }

    It 'mounts nothing under -WhatIf' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a', 'b')
        Mount-Overlay -Path $s.MountPoint -LowerDir $s.Lower -WhatIf
        Get-OverlayMount | Where-Object MountPoint -eq $s.MountPoint | Should -BeNullOrEmpty
    }

    It 'mounts 220 lowers with long paths through the new mount API' {
        Assert-RootOrSkip 'mounting an overlay'
        $names = 0..219 | ForEach-Object { "layer-$_-" + ('x' * 40) }
        $s = New-Stack $d $names
        $m = Mount-Overlay -Path $s.MountPoint -LowerDir $s.Lower -PassThru
        $m.LayerSyntax | Should -Be 'lowerdir+'
        $m.LowerDir.Count | Should -Be 220
        $m.LowerDir | Should -Be $s.Lower
        (Get-ChildItem $s.MountPoint).Count | Should -Be 220
        Dismount-Overlay $s.MountPoint
    }

    It 'detaches a busy mount only with -Force' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a') -Upper
        Mount-Overlay $s.MountPoint $s.Lower -UpperDir $s.Upper -WorkDir $s.Work
        $held = [IO.File]::Open("$($s.MountPoint)/held", 'Create')
        try {
            $err = $null
            Dismount-Overlay $s.MountPoint -ErrorAction SilentlyContinue -ErrorVariable err
            $err[0].FullyQualifiedErrorId | Should -BeLike 'ResourceBusy,*'
            $err[0].Exception.Message | Should -BeLike '*-Force*'
            Dismount-Overlay $s.MountPoint -Force
            Get-OverlayMount | Where-Object MountPoint -eq $s.MountPoint | Should -BeNullOrEmpty
        }
        finally { $held.Dispose() }
    }

    It 'pipes a mount into New-PSDrive, and the drive shows the same tree as the mount' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('top', 'middle', 'bottom')
        New-Item -ItemType Directory "$d/top/sub", "$d/bottom/sub", "$d/bottom/sub/deep" | Out-Null
        Set-Content "$d/top/sub/a" 'top a'
        Set-Content "$d/bottom/sub/a" 'bottom a'
        Set-Content "$d/bottom/sub/deep/b" 'b'
        Set-Content "$d/bottom/hidden" 'whited out above'
        mknod "$d/middle/hidden" c 0 0     # a whiteout: the name is gone in the merged view
        Mount-Overlay $s.MountPoint $s.Lower
        try {
            $drive = Get-OverlayMount -Path $s.MountPoint | New-PSDrive -Name ovmnt -PSProvider Overlay -Root /
            $drive.LowerDir | Should -Be $s.Lower
            $drive.UpperDir | Should -BeNullOrEmpty

            $viaMount = @(Get-ChildItem $s.MountPoint -Recurse -Force -Name | Sort-Object)
            $viaDrive = @(Get-ChildItem ovmnt:/ -Recurse -Force -Name | Sort-Object)
            $viaMount | Should -Not -Contain 'hidden'
            $viaDrive | Should -Be $viaMount
            foreach ($f in Get-ChildItem $s.MountPoint -Recurse -File -Name) {
                Get-Content "ovmnt:/$f" -Raw | Should -Be (Get-Content "$($s.MountPoint)/$f" -Raw) -Because $f
            }
        }
        finally {
            Remove-PSDrive ovmnt -ErrorAction Ignore
            Dismount-Overlay $s.MountPoint
        }
    }
}

Describe 'Mount-Overlay refuses bad input before the kernel sees it' {
    BeforeEach { $d = New-TestDir 'ovlps-bad' }
    AfterEach { Remove-TestDir $d }


    It 'names a missing lower dir' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a')
        $e = Get-MountError @{ Path = $s.MountPoint; LowerDir = @($s.Lower[0], "$d/missing") }
        $e.FullyQualifiedErrorId | Should -Be 'LayerStackMissing,OverlayPS.Commands.MountOverlayCommand'
        $e.CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $e.TargetObject | Should -Be "$d/missing"
    }

    It 'refuses a work dir that is not empty' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a') -Upper
        Set-Content "$($s.Work)/stray" 'x'
        $e = Get-MountError @{ Path = $s.MountPoint; LowerDir = $s.Lower; UpperDir = $s.Upper; WorkDir = $s.Work }
        $e.FullyQualifiedErrorId | Should -BeLike 'LayerStackWorkNotEmpty,*'
        $e.Exception.Message | Should -BeLike "*$($s.Work)*not empty*stray*"
    }

    It 'refuses a work dir on another filesystem than the upper' {
        Assert-RootOrSkip 'mounting a tmpfs'
        $s = New-Stack $d @('a') -Upper
        mount -t tmpfs tmpfs $s.Work
        try {
            $e = Get-MountError @{ Path = $s.MountPoint; LowerDir = $s.Lower; UpperDir = $s.Upper; WorkDir = $s.Work }
            $e.FullyQualifiedErrorId | Should -BeLike 'LayerStackWorkOnOtherFilesystem,*'
            $e.Exception.Message | Should -BeLike '*same filesystem*'
        }
        finally { umount $s.Work }
    }

    It 'refuses an upper dir inside a lower dir' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a', 'b')
        New-Item -ItemType Directory "$d/a/up", "$d/work" | Out-Null
        $e = Get-MountError @{ Path = $s.MountPoint; LowerDir = $s.Lower; UpperDir = "$d/a/up"; WorkDir = "$d/work" }
        $e.FullyQualifiedErrorId | Should -BeLike 'LayerStackNested,*'
        $e.Exception.Message | Should -BeLike "*'$d/a/up' is inside the lower directory '$d/a'*"
    }

    It 'refuses an upper dir inside a lower dir for an Overlay drive too (its files would show twice)' {
        $s = New-Stack $d @('a', 'b')
        New-Item -ItemType Directory "$d/a/up", "$d/work" | Out-Null
        New-PSDrive -Name nest -PSProvider Overlay -Root / -LowerDir $s.Lower -UpperDir "$d/a/up" -WorkDir "$d/work" -ErrorAction SilentlyContinue -ErrorVariable e
        Get-PSDrive nest -ErrorAction Ignore | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike 'LayerStackNested*'
        $e[0].Exception.Message | Should -BeLike "*'$d/a/up' is inside the lower directory '$d/a'*"
    }

    It 'warns when the upper dir is already in use by a mounted overlay' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a') -Upper
        Mount-Overlay $s.MountPoint $s.Lower -UpperDir $s.Upper -WorkDir $s.Work
        try {
            New-Item -ItemType Directory "$d/mnt2", "$d/work2" | Out-Null
            Mount-Overlay "$d/mnt2" $s.Lower -UpperDir $s.Upper -WorkDir "$d/work2" -WarningVariable w1 -WarningAction SilentlyContinue
            $w1.Message | Should -BeLike "*'$($s.Upper)' is already in use by the overlay mounted on '$($s.MountPoint)'*"
            Dismount-Overlay "$d/mnt2"
            New-PSDrive -Name inuse -PSProvider Overlay -Root / -LowerDir $s.Lower -UpperDir $s.Upper -WorkDir "$d/work2" -WarningVariable w2 -WarningAction SilentlyContinue | Out-Null
            Remove-PSDrive inuse
            $w2.Message | Should -BeLike "*'$($s.Upper)' is in use by the overlay mounted on '$($s.MountPoint)'*"
        }
        finally { Dismount-Overlay $s.MountPoint }
    }

    It 'refuses the same dir twice' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a', 'b')
        $e = Get-MountError @{ Path = $s.MountPoint; LowerDir = @($s.Lower[0], $s.Lower[1], $s.Lower[0]) }
        $e.FullyQualifiedErrorId | Should -BeLike 'LayerStackUsedTwice,*'
        $e.Exception.Message | Should -BeLike "*$($s.Lower[0])*twice*"
    }

    It 'refuses more than 500 lower dirs' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d (0..500 | ForEach-Object { "l$_" })
        $e = Get-MountError @{ Path = $s.MountPoint; LowerDir = $s.Lower }
        $e.FullyQualifiedErrorId | Should -BeLike 'LayerStackTooManyLayers,*'
        $e.CategoryInfo.Category | Should -Be 'LimitsExceeded'
        $e.Exception.Message | Should -BeLike '*at most 500*501*'
    }

    It 'refuses a read-only mount with a single lower' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('only')
        $e = Get-MountError @{ Path = $s.MountPoint; LowerDir = $s.Lower; ReadOnly = $true }
        $e.FullyQualifiedErrorId | Should -BeLike 'OverlayReadOnlyNeedsTwoLowers,*'
        $e.Exception.Message | Should -BeLike '*at least two lower*'
    }

    It 'reports a kernel refusal with its errno and the overlayfs log line' {
        Assert-RootOrSkip 'mounting an overlay'
        $s = New-Stack $d @('a', 'b')
        $e = Get-MountError @{ Path = $s.MountPoint; LowerDir = $s.Lower; Option = 'no_such_option' }
        $e.FullyQualifiedErrorId | Should -BeLike 'OverlayMountFailed,*'
        $e.Exception.Errno | Should -Be 'EINVAL'
        $e.Exception.Message | Should -BeLike "*Invalid argument*Kernel: overlay*no_such_option*"
    }

    It 'refuses to dismount a path that is not an overlay mount' {
        Assert-RootOrSkip 'mounting an overlay'
        $err = $null
        Dismount-Overlay $d -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -Be 'OverlayNotAnOverlayMount,OverlayPS.Commands.DismountOverlayCommand'
        $err[0].TargetObject | Should -Be $d
    }

    It 'needs root' {
        Assert-RootOrSkip 'dropping root with unshare'
        $s = New-Stack $d @('a', 'b')
        # A new user namespace without a mapping: this process is uid 65534 there.
        # From the repo root: 'dotnet pwsh' is a local tool found through ./dotnet-tools.json.
        Push-Location $RepoRoot
        try { $out = unshare -U dotnet pwsh -NoProfile -Command "Import-Module '$Manifest'; Mount-Overlay -Path '$($s.MountPoint)' -LowerDir '$($s.Lower[0])','$($s.Lower[1])'" 2>&1 }
        finally { Pop-Location }
        ($out -join "`n") | Should -BeLike '*needs root*-UserXattr*'
    }

    It 'needs -UserXattr in a user namespace, and mounts with it' {
        Assert-RootOrSkip 'creating a user namespace'
        $s = New-Stack $d @('a', 'b')
        $probe = "Import-Module '$Manifest'; Mount-Overlay -Path '$($s.MountPoint)' -LowerDir '$($s.Lower[0])','$($s.Lower[1])'; " +
            "(Mount-Overlay -Path '$($s.MountPoint)' -LowerDir '$($s.Lower[0])','$($s.Lower[1])' -UserXattr -PassThru).Options -join ','"
        Push-Location $RepoRoot
        try { $out = unshare -Urm dotnet pwsh -NoProfile -Command $probe 2>&1 }
        finally { Pop-Location }
        ($out -join "`n") | Should -BeLike '*user namespace*add -UserXattr*'
        ($out -join "`n") | Should -BeLike '*userxattr*'
    }
}

Describe 'Help for the mount cmdlets' {
    It 'has examples for each cmdlet and an about topic' {
        foreach ($c in 'Mount-Overlay', 'Dismount-Overlay', 'Get-OverlayMount') {
            $h = Get-Help $c
            $h.Synopsis | Should -Not -BeLike "*$c*[<]*"   # not the auto-generated syntax stub
            @($h.Examples.Example).Count | Should -BeGreaterThan 0 -Because $c
        }
        Get-Help about_Overlay_Mounts | Out-String | Should -BeLike '*lowerdir+*Linux 6.8*'
    }
}
