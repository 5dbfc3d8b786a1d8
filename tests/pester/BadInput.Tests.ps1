# Bad input on the Overlay drive and the module's cmdlets: every failure is an ErrorRecord with a
# stable id, a category and the path as target, written per item so the rest of the pipeline
# goes on; nothing half-written.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force

    $script:B = New-TestDir 'ovlps-badinput'
    foreach ($d in 'l1', 'l2', 'up', 'work') { New-Item -ItemType Directory "$B/$d" | Out-Null }
    Set-Content "$B/l2/f" 'lower'
    New-Item -ItemType Directory "$B/l2/dir" | Out-Null
    ln -s loop "$B/l1/loop"
    $null = New-PSDrive -Name bi -PSProvider Overlay -Root / -LowerDir "$B/l1", "$B/l2" -UpperDir "$B/up" -WorkDir "$B/work" -Scope Global
    $null = New-PSDrive -Name biro -PSProvider Overlay -Root / -LowerDir "$B/l1", "$B/l2" -Scope Global
}
AfterAll {
    Remove-PSDrive bi, biro -Force -ErrorAction Ignore
    Remove-Item $B -Recurse -Force -ErrorAction Ignore
}

Describe 'Set-Content where the item cannot be written' {
    It 'reports a read-only drive per path, as a WriteError, and goes on' {
        Assert-RootOrSkip
        Set-Content biro:/f, biro:/new x -ErrorAction SilentlyContinue -ErrorVariable e
        $e.Count | Should -Be 2
        Assert-CleanError $e 'ReadOnlyOverlay' 'biro:/f'
        $e[1].TargetObject | Should -Be 'biro:/new'
        Get-Content "$B/l2/f" | Should -Be 'lower'
    }

    It 'reports a directory and a loop, and still writes the file given with them' {
        Assert-RootOrSkip
        Set-Content bi:/dir, bi:/loop, bi:/f 'written' -ErrorAction SilentlyContinue -ErrorVariable e
        $e.Count | Should -Be 2
        Assert-CleanError $e[0] 'IsADirectory' 'bi:/dir'
        Assert-CleanError $e[1] 'TooManySymlinks' 'bi:/loop'
        Get-Content bi:/f | Should -Be 'written'
        Get-Content "$B/l2/f" | Should -Be 'lower'
    }

    It 'refuses Set-Content through a dangling link, as FileSystem does; Add-Content creates the target' {
        Assert-RootOrSkip
        New-Item bi:/dangling -ItemType SymbolicLink -Value /nodir/file | Out-Null
        New-Item bi:/creatable -ItemType SymbolicLink -Value made | Out-Null
        # Set-Content clears first, and PowerShell makes the clear's error terminating.
        { Set-Content bi:/dangling x -ErrorAction Stop } | Should -Throw '*Cannot find path*bi:/dangling*'
        { Set-Content bi:/creatable 'through the link' -ErrorAction Stop } | Should -Throw
        Test-Path "$B/up/made" | Should -BeFalse
        Add-Content bi:/creatable 'through the link'
        Get-Content "$B/up/made" | Should -Be 'through the link'
    }
}

Describe 'Names the kernel refuses or that need care' {
    It 'refuses a name over 255 bytes with ENAMETOOLONG, for every writing cmdlet' {
        Assert-RootOrSkip
        $long = 'n' * 256
        $e = @()
        Set-Content "bi:/$long" x -ErrorAction SilentlyContinue -ErrorVariable +e
        New-Item "bi:/$long" -ItemType Directory -ErrorAction SilentlyContinue -ErrorVariable +e
        New-Item "bi:/$long" -ItemType SymbolicLink -Value f -ErrorAction SilentlyContinue -ErrorVariable +e
        Copy-Item bi:/f "bi:/$long" -ErrorAction SilentlyContinue -ErrorVariable +e
        Rename-Item bi:/f $long -ErrorAction SilentlyContinue -ErrorVariable +e
        Copy-OverlayItem "$B/l2/f" -Destination "bi:/$long" -ErrorAction SilentlyContinue -ErrorVariable +e
        # As FileSystem reports it (ErrnoParity.Tests): Set-Content's two existence checks and its
        # writer, New-Item -ItemType Directory's existence check, a link as access denied.
        $e.Count | Should -Be 8
        Assert-CleanError $e
        $e | ForEach-Object { $_.FullyQualifiedErrorId -replace ',.*' } | Sort-Object -Unique |
            Should -Be 'AccessException', 'ErrnoENAMETOOLONG', 'ItemExistsPathTooLongError'
        $e | ForEach-Object { $_.Exception.Message | Should -Match 'too long' }
        # 255 bytes is allowed (multi-byte characters count by their UTF-8 bytes).
        Set-Content "bi:/$('é' * 127)x" 'ok'
        Test-Path -LiteralPath "$B/up/$('é' * 127)x" | Should -BeTrue
        Get-ChildItem "$B/up" | Where-Object Name -like 'nnnn*' | Should -BeNullOrEmpty
    }

    It 'refuses a path over 4096 bytes cleanly' {
        Assert-RootOrSkip
        $deep = 'bi:/' + ((1..30 | ForEach-Object { 'd' * 150 }) -join '/')
        New-Item $deep -ItemType Directory -Force -ErrorAction SilentlyContinue -ErrorVariable e1
        Assert-CleanError $e1
        Get-Item $deep -ErrorAction SilentlyContinue -ErrorVariable e2
        Assert-CleanError $e2
    }

    It 'round-trips spaces, brackets, unicode and a newline in a name' {
        Assert-RootOrSkip
        foreach ($n in '  lead and trail  ', 'br[1].txt', 'ünï 😀.txt', "new`nline") {
            New-Item -Path "bi:/x" -Name $n -ItemType Directory -Force -ErrorAction Stop | Out-Null
        }
        foreach ($n in '  lead and trail  ', 'br[1].txt', 'ünï 😀.txt', "new`nline") {
            Set-Content -LiteralPath "bi:/x/$n/file" $n
            Get-Content -LiteralPath "bi:/x/$n/file" | Should -Be ($n -split "`n")
            Test-Path -LiteralPath "$B/up/x/$n/file" | Should -BeTrue
        }
        (Get-ChildItem -LiteralPath bi:/x).Name | Sort-Object | Should -Be (@('  lead and trail  ', 'br[1].txt', 'ünï 😀.txt', "new`nline") | Sort-Object)
    }

    It 'gives a proper error for a file used as a directory' {
        Assert-RootOrSkip
        $e = @()
        New-Item bi:/f/child -Value x -ErrorAction SilentlyContinue -ErrorVariable +e
        Set-Content bi:/f/child x -ErrorAction SilentlyContinue -ErrorVariable +e
        Get-Content bi:/f/child -ErrorAction SilentlyContinue -ErrorVariable +e
        Copy-Item bi:/f bi:/f/child -ErrorAction SilentlyContinue -ErrorVariable +e
        $e.Count | Should -Be 4
        Assert-CleanError $e
    }
}

Describe 'Errors that name what is wrong' {
    It 'has Copy-OverlayItem name the destination when the destination is the problem' {
        Assert-RootOrSkip
        Copy-OverlayItem bi:/f -Destination bi:/nodir/x -ErrorAction SilentlyContinue -ErrorVariable e1
        Assert-CleanError $e1 'PathNotFound' 'bi:/nodir/x'
        Set-Content bi:/g 'g'
        Copy-OverlayItem bi:/f -Destination bi:/g -ErrorAction SilentlyContinue -ErrorVariable e2
        Assert-CleanError $e2 'ItemExists' 'bi:/g'
        Get-Content bi:/g | Should -Be 'g'
        Copy-OverlayItem bi:/f -Destination /nonexistent-qa/x -ErrorAction SilentlyContinue -ErrorVariable e3
        Assert-CleanError $e3 'PathNotFound' '/nonexistent-qa/x'
        Copy-OverlayItem bi:/f -Destination bi:/g/x -ErrorAction SilentlyContinue -ErrorVariable e4
        Assert-CleanError $e4 'NotADirectory' 'bi:/g/x'
    }

    It 'leaves no half-written file when a copy cannot read its source to the end' {
        Assert-RootOrSkip
        # /proc/self/mem is a regular file whose first read fails with EIO.
        Copy-OverlayItem /proc/self/mem -Destination bi:/mem -ErrorAction SilentlyContinue -ErrorVariable e1
        Assert-CleanError $e1 'CopyItemIOError'
        Test-Path bi:/mem | Should -BeFalse
        Test-Path "$B/up/mem" | Should -BeFalse
        Copy-OverlayItem /proc/self/mem -Destination "$B/mem-out" -ErrorAction SilentlyContinue -ErrorVariable e2
        Assert-CleanError $e2 'CopyItemIOError'
        Test-Path "$B/mem-out" | Should -BeFalse
    }

    It 'has Get-OverlayContent call a directory a directory, on a drive and on the host' {
        Assert-RootOrSkip
        Get-OverlayContent bi:/dir, $B -Tail 1 -ErrorAction SilentlyContinue -ErrorVariable e
        $e.Count | Should -Be 2
        Assert-CleanError $e 'IsADirectory' 'bi:/dir'
        $e[1].TargetObject | Should -Be $B
    }

    It 'says a hard link cannot cross drives (not a rename message)' {
        Assert-RootOrSkip
        New-Item bi:/hl -ItemType HardLink -Value biro:/f -ErrorAction SilentlyContinue -ErrorVariable e
        Assert-CleanError $e 'CrossDeviceLink' 'bi:/hl'
        $e[0].Exception.Message | Should -Match 'hard link'
        Test-Path bi:/hl | Should -BeFalse
    }

    It 'rejects bad drive parameters with the stack''s own ids' {
        Assert-RootOrSkip
        $cases = @(
            @{ P = @{ LowerDir = '/nonexistent-qa' }; Id = 'LayerStackMissing' }
            @{ P = @{ LowerDir = "$B/l2/f" }; Id = 'LayerStackNotADirectory' }
            @{ P = @{ LowerDir = "$B/l1"; UpperDir = "$B/up" }; Id = 'LayerStackUpperWithoutWork' }
            @{ P = @{ LowerDir = "$B/l1", "$B/l1" }; Id = 'LayerStackUsedTwice' }
            @{ P = @{ LowerDir = (1..501 | ForEach-Object { "$B/l1" }) }; Id = 'LayerStackTooManyLayers' }
            @{ P = @{ Store = $B; Image = 'x' }; Id = 'NotSupported' }
        )
        foreach ($c in $cases) {
            $p = $c.P
            New-PSDrive -Name biq -PSProvider Overlay -Root / @p -ErrorAction SilentlyContinue -ErrorVariable e
            Assert-CleanError $e $c.Id
            Get-PSDrive biq -ErrorAction Ignore | Should -BeNullOrEmpty
        }
    }
}

Describe 'The Docker store cmdlets given bad input' {
    BeforeAll {
        $script:DW = New-TestDir 'ovlps-badinput-docker'
        if ($IsRoot) {
            Expand-DockerFixture $DW
            $null = New-PSDrive -Name biimg -PSProvider Overlay -Root / -Store "$DW/docker" -Image app:1.0 -Scope Global
        }
        $script:DS = "$DW/docker"
    }
    AfterAll {
        Remove-PSDrive biimg -Force -ErrorAction Ignore
        Remove-Item $DW -Recurse -Force -ErrorAction Ignore
    }

    It 'treats a name with an unclosed bracket as a name, not a broken regex' {
        Assert-RootOrSkip 'the Docker fixture'
        { Get-OverlayImage -Store $DS -Name 'app[' -ErrorAction Stop } | Should -Not -Throw
        Get-OverlayImage -Store $DS -Name 'app[' | Should -BeNullOrEmpty
        Get-OverlayContainer -Store $DS -Name 'c-[' | Should -BeNullOrEmpty
        (Get-OverlayImage -Store $DS -Name 'app:[0-9]*').Count | Should -BeGreaterThan 0
    }

    It 'takes a piped container name in Get-OverlayChange, and reports one that does not exist' {
        Assert-RootOrSkip 'the Docker fixture'
        $byName = Get-OverlayChange -Store $DS c-ran | ForEach-Object { "$($_.Kind) $($_.Path)" }
        $byName | Should -Not -BeNullOrEmpty
        'c-ran' | Get-OverlayChange -Store $DS | ForEach-Object { "$($_.Kind) $($_.Path)" } | Should -Be $byName
        'nosuch' | Get-OverlayChange -Store $DS -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        Assert-CleanError $e 'ContainerNotFound' 'nosuch'
    }

    It 'keeps Get-OverlayPathHistory paths inside the image' {
        Assert-RootOrSkip 'the Docker fixture'
        $climb = '/..' * 20
        Get-OverlayPathHistory -Store $DS -Image app:1.0 "$climb/etc/passwd-of-the-host-qa" -ErrorAction SilentlyContinue -ErrorVariable e |
            Should -BeNullOrEmpty
        Assert-CleanError $e 'PathInNoLayer'
        (Get-OverlayPathHistory -Store $DS -Image app:1.0 "$climb/etc/motd").Action | Should -Be @('Added', 'Replaced')
    }

    It 'ends with one clear error for a store that is missing or not a store' {
        Assert-RootOrSkip 'the Docker fixture'
        foreach ($c in @(@{ S = '/nonexistent-qa'; Id = 'StoreNotFound' }, @{ S = $B; Id = 'StoreNotOverlay2' })) {
            $err = $null
            try { Get-OverlayImage -Store $c.S -ErrorAction Stop } catch { $err = $_ }
            Assert-CleanError $err $c.Id $c.S
        }
    }

    It 'refuses writes on an image drive per path' {
        Assert-RootOrSkip 'the Docker fixture'
        Set-Content biimg:/etc/motd, biimg:/new x -ErrorAction SilentlyContinue -ErrorVariable e
        $e.Count | Should -Be 2
        Assert-CleanError $e 'ReadOnlyOverlay' 'biimg:/etc/motd'
        Remove-Item biimg:/etc/motd -ErrorAction SilentlyContinue -ErrorVariable e2
        Assert-CleanError $e2 'ReadOnlyOverlay'
    }
}

Describe '-WhatIf on every change' {
    BeforeAll {
        $script:W = New-TestDir 'ovlps-whatif'
        New-Item -ItemType Directory "$W/l1/dir/sub", "$W/l2/etc", "$W/up/updir", "$W/work", "$W/mnt", "$W/host" | Out-Null
        Set-Content "$W/l1/dir/a" a; Set-Content "$W/l1/dir/sub/b" b; Set-Content "$W/l2/etc/hostname" h
        Set-Content "$W/up/updir/u" u; Set-Content "$W/host/hf" hf
        if ($IsRoot) {
            $null = New-PSDrive -Name wi -PSProvider Overlay -Root / -LowerDir "$W/l1", "$W/l2" -UpperDir "$W/up" -WorkDir "$W/work" -Scope Global
            $null = New-PSDrive -Name wi2 -PSProvider Overlay -Root / -LowerDir "$W/l1", "$W/l2" -UpperDir "$W/up" -WorkDir "$W/work" -Scope Global
        }
        # Every entry under the test dir (layers, upper, work, host side, mount point): kind,
        # mode, size, mtime, ctime and content hash.
        function Get-WhatIfPrint {
            Get-ChildItem $W -Recurse -Force | ForEach-Object {
                $st = [OverlayPS.Core.Posix.Files]::LStat($_.FullName)
                $h = if ($st.IsRegular) { (Get-FileHash -LiteralPath $_.FullName).Hash }
                "$($_.FullName) $($st.Kind) $($st.Mode) $($st.Size) $($st.MTime.tv_sec).$($st.MTime.tv_nsec) $($st.CTime.tv_sec).$($st.CTime.tv_nsec) $h"
            } | Sort-Object
        }
    }
    AfterAll {
        Remove-PSDrive wi, wi2 -Force -ErrorAction Ignore
        if ($IsRoot -and (Get-OverlayMount -Path "$W/mnt" -ErrorAction Ignore)) { umount "$W/mnt" }
        Remove-Item $W -Recurse -Force -ErrorAction Ignore
    }

    It 'changes nothing on disk with <Name>' -ForEach @(
        @{ Name = 'New-Item file'; Do = { New-Item wi:/new -Value x -WhatIf } }
        @{ Name = 'New-Item dir with parents'; Do = { New-Item wi:/nd/deeper -ItemType Directory -Force -WhatIf } }
        @{ Name = 'New-Item file with parents'; Do = { New-Item wi:/nd/deeper/f -Force -WhatIf } }
        @{ Name = 'New-Item symlink'; Do = { New-Item wi:/sl -ItemType SymbolicLink -Value /etc -WhatIf } }
        @{ Name = 'New-Item hard link'; Do = { New-Item wi:/hl -ItemType HardLink -Value wi:/dir/a -WhatIf } }
        @{ Name = 'New-Item -Force over a file'; Do = { New-Item wi:/dir/a -Force -Value zz -WhatIf } }
        @{ Name = 'Set-Content'; Do = { Set-Content wi:/dir/a, wi:/dir/newfile zz -WhatIf } }
        @{ Name = 'Add-Content'; Do = { Add-Content wi:/etc/hostname zz -WhatIf } }
        @{ Name = 'Clear-Content'; Do = { Clear-Content wi:/etc/hostname -WhatIf } }
        @{ Name = 'Set-Item'; Do = { Set-Item wi:/etc/hostname -Value q -WhatIf } }
        @{ Name = 'Clear-Item'; Do = { Clear-Item wi:/etc/hostname -WhatIf } }
        @{ Name = 'Remove-Item file'; Do = { Remove-Item wi:/dir/a -WhatIf } }
        @{ Name = 'Remove-Item -Recurse lower tree'; Do = { Remove-Item wi:/dir -Recurse -Force -WhatIf } }
        @{ Name = 'Remove-Item -Recurse upper tree'; Do = { Remove-Item wi:/updir -Recurse -WhatIf } }
        @{ Name = 'Rename-Item'; Do = { Rename-Item wi:/dir/a a2 -WhatIf; Rename-Item wi:/updir updir2 -WhatIf } }
        @{ Name = 'Move-Item'; Do = { Move-Item wi:/dir/a wi:/etc/ -WhatIf; Move-Item wi:/dir wi:/etc/ -WhatIf; Move-Item wi:/dir/a wi2:/moved -WhatIf } }
        @{ Name = 'Copy-Item'; Do = { Copy-Item wi:/dir wi:/copy -Recurse -WhatIf; Copy-Item wi:/dir/a wi:/etc/hostname -Force -WhatIf } }
        @{ Name = 'Set-ItemProperty'; Do = { Set-ItemProperty wi:/dir/a -Name Mode -Value 511 -WhatIf; Set-ItemProperty wi:/dir -Name LastWriteTime -Value ([datetime]'2001-01-01') -WhatIf; Set-ItemProperty wi:/dir/a -Name Owner -Value nobody -WhatIf } }
        @{ Name = 'Copy-OverlayItem in, out and over'; Do = { Copy-OverlayItem "$W/host" -Destination wi:/hosttree -Recurse -WhatIf; Copy-OverlayItem wi:/dir -Destination "$W/host/out" -Recurse -WhatIf; Copy-OverlayItem "$W/host/hf" -Destination wi:/dir/a -Force -WhatIf } }
        @{ Name = 'Mount-Overlay'; Do = { Mount-Overlay -Path "$W/mnt" -LowerDir "$W/l1", "$W/l2" -UpperDir "$W/up" -WorkDir "$W/work" -WhatIf } }
    ) {
        Assert-RootOrSkip
        $before = Get-WhatIfPrint
        $out = & $Do 6>$null
        $out | Should -BeNullOrEmpty
        Get-WhatIfPrint | Should -Be $before
        Get-OverlayMount -Path "$W/mnt" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }

    It 'leaves a mount in place with Dismount-Overlay -WhatIf' {
        Assert-RootOrSkip
        Mount-Overlay -Path "$W/mnt" -LowerDir "$W/l1", "$W/l2"
        try {
            Dismount-Overlay "$W/mnt" -WhatIf
            Get-OverlayMount | Where-Object MountPoint -eq "$W/mnt" | Dismount-Overlay -WhatIf
            (Get-OverlayMount -Path "$W/mnt").MountPoint | Should -Be "$W/mnt"
        }
        finally { Dismount-Overlay "$W/mnt" }
        Get-OverlayMount -Path "$W/mnt" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
    }
}

Describe 'Entries the caller may not read' {
    BeforeAll {
        $script:U = New-TestDir 'ovlps-unreadable'
        New-Item -ItemType Directory "$U/l1/locked", "$U/l1/open", "$U/l2" | Out-Null
        Set-Content "$U/l1/locked/f" 'secret'; Set-Content "$U/l1/open/p" 'public'; Set-Content "$U/l1/noread" 'x'
        if ($IsRoot) {
            # Another user's private dir and file: without CAP_DAC_OVERRIDE/DAC_READ_SEARCH, their
            # user.* xattrs (the overlay's marks with -UserXattr) cannot be read either.
            chown 12345:12345 "$U/l1/locked" "$U/l1/locked/f" "$U/l1/noread"
            chmod 700 "$U/l1/locked"; chmod 600 "$U/l1/noread"
        }
        # Runs a script in a pwsh that is root without the capabilities that bypass file modes.
        function Invoke-WithoutDacOverride([string] $Script) {
            $file = Join-Path $U 'child.ps1'
            Set-Content $file "Import-Module '$Manifest'`n$Script"
            Push-Location $RepoRoot
            try { setpriv --bounding-set=-dac_override,-dac_read_search dotnet pwsh -NoProfile -NonInteractive -File $file 2>&1 }
            finally { Pop-Location }
        }
    }
    AfterAll { Remove-Item $U -Recurse -Force -ErrorAction Ignore }

    It 'lists a dir holding an unreadable entry, and refuses only what is inside it' {
        Assert-RootOrSkip 'dropping capabilities with setpriv'
        $out = Invoke-WithoutDacOverride @"
`$null = New-PSDrive -Name un -PSProvider Overlay -Root / -LowerDir '$U/l1', '$U/l2' -UserXattr
'names=' + ((Get-ChildItem un:/ | ForEach-Object Name | Sort-Object) -join ',')
'item=' + (Get-Item un:/locked).Name
Get-ChildItem un:/locked -ErrorAction SilentlyContinue -ErrorVariable e1
'list=' + `$e1[0].FullyQualifiedErrorId + '|' + `$e1[0].CategoryInfo.Category + '|' + `$e1[0].TargetObject
Get-Content un:/noread -ErrorAction SilentlyContinue -ErrorVariable e2
'read=' + `$e2[0].FullyQualifiedErrorId + '|' + `$e2[0].CategoryInfo.Category + '|' + `$e2[0].TargetObject
'open=' + (Get-Content un:/open/p)
"@
        $out | Should -Contain 'names=locked,noread,open'
        $out | Should -Contain 'item=locked'
        $out | Should -Contain 'list=PermissionDenied,Microsoft.PowerShell.Commands.GetChildItemCommand|PermissionDenied|un:/locked'
        $out | Should -Contain 'read=PermissionDenied,Microsoft.PowerShell.Commands.GetContentCommand|PermissionDenied|un:/noread'
        $out | Should -Contain 'open=public'
    }

    It 'writes through a stack whose work/work a kernel mount left mode 0' {
        Assert-RootOrSkip 'dropping capabilities with setpriv'
        New-Item -ItemType Directory "$U/up", "$U/wk/work" | Out-Null
        chmod 000 "$U/wk/work"      # what the kernel leaves (ovl_workdir_create)
        $out = Invoke-WithoutDacOverride @"
`$null = New-PSDrive -Name wk -PSProvider Overlay -Root / -LowerDir '$U/l1' -UpperDir '$U/up' -WorkDir '$U/wk'
Set-Content wk:/open/p 'changed'
'read=' + (Get-Content wk:/open/p)
"@
        $out | Should -Contain 'read=changed'
        Get-Content "$U/up/open/p" | Should -Be 'changed'
        Get-Content "$U/l1/open/p" | Should -Be 'public'
        (Get-Item "$U/wk/work").UnixMode | Should -Be 'drwx------'   # its owner's rwx given back
    }
}

Describe 'A NUL character in a path or link target' {
    It 'is refused, never cut or dropped into the name of another file' {
        Assert-RootOrSkip
        $e = @()
        New-Item "bi:/nul`0name" -Value x -ErrorAction SilentlyContinue -ErrorVariable +e
        New-Item "bi:/nul`0dir" -ItemType Directory -ErrorAction SilentlyContinue -ErrorVariable +e
        Set-Content "bi:/f`0junk" 'x' -ErrorAction SilentlyContinue -ErrorVariable +e
        New-Item bi:/nullink -ItemType SymbolicLink -Value "/f`0/x" -ErrorAction SilentlyContinue -ErrorVariable +e
        Copy-Item bi:/f "bi:/copy`0x" -ErrorAction SilentlyContinue -ErrorVariable +e
        Copy-OverlayItem "$B/l2/f" -Destination "bi:/coi`0x" -ErrorAction SilentlyContinue -ErrorVariable +e
        Copy-OverlayItem bi:/f -Destination "$B/host`0x" -ErrorAction SilentlyContinue -ErrorVariable +e
        $e.Count | Should -Be 7
        Assert-CleanError $e
        foreach ($n in 'nulname', 'nuldir', 'fjunk', 'nullink', 'copyx', 'coix') {
            Test-Path -LiteralPath "$B/up/$n" | Should -BeFalse -Because $n
        }
        Test-Path -LiteralPath "$B/hostx" | Should -BeFalse
        Get-Content bi:/f | Should -Not -Be 'x'
    }
}

Describe 'Host paths given while the current location is on an Overlay drive' {
    BeforeAll {
        $script:H = New-TestDir 'ovlps-hostpath'
        New-Item -ItemType Directory "$H/a", "$H/b", "$H/mnt" | Out-Null
        Set-Content "$H/a/fa" 'a'
    }
    AfterAll {
        Set-Location $RepoRoot
        Remove-PSDrive bih -Force -ErrorAction Ignore
        if ($IsRoot -and (Get-OverlayMount -Path "$H/mnt" -ErrorAction Ignore)) { umount "$H/mnt" }
        Remove-Item $H -Recurse -Force -ErrorAction Ignore
    }

    It 'resolves a relative host path against the FileSystem location, not the drive' {
        Assert-RootOrSkip 'a kernel overlay mount'
        Set-Location $H
        Set-Location bi:/dir
        try {
            (Mount-Overlay -Path mnt -LowerDir a, b -PassThru).MountPoint | Should -Be "$H/mnt"
            (Get-OverlayMount -Path mnt).MountPoint | Should -Be "$H/mnt"
            Dismount-Overlay mnt
            $null = New-PSDrive -Name bih -PSProvider Overlay -Root / -LowerDir a, b -Scope Global
            Get-Content bih:/fa | Should -Be 'a'
        }
        finally { Set-Location $RepoRoot }
    }

    It 'refuses a path on an Overlay drive where a host directory is needed' {
        Assert-RootOrSkip
        $e = @()
        Mount-Overlay -Path bi:/dir -LowerDir "$H/a", "$H/b" -ErrorAction SilentlyContinue -ErrorVariable +e
        Dismount-Overlay bi:/dir -ErrorAction SilentlyContinue -ErrorVariable +e
        New-PSDrive -Name bix -PSProvider Overlay -Root / -LowerDir bi:/dir -ErrorAction SilentlyContinue -ErrorVariable +e
        $e.Count | Should -Be 3
        Assert-CleanError $e
        $e[0].Exception.Message | Should -Match 'host directory'
        $err = $null
        try { Get-OverlayImage -Store bi:/dir -ErrorAction Stop } catch { $err = $_ }
        Assert-CleanError $err 'StoreNotOnFileSystem' 'bi:/dir'
    }
}

Describe 'Copy-OverlayItem onto or into its own source' {
    It 'refuses to overwrite a file with itself (same path, hard link, symlink, its host path) and keeps its data' {
        Assert-RootOrSkip
        Set-Content bi:/precious 'keep me'
        New-Item bi:/precious-hl -ItemType HardLink -Value bi:/precious | Out-Null
        New-Item bi:/precious-sl -ItemType SymbolicLink -Value precious | Out-Null
        $e = @()
        foreach ($d in 'bi:/precious', 'bi:/precious-hl', 'bi:/precious-sl') {
            Copy-OverlayItem bi:/precious -Destination $d -Force -ErrorAction SilentlyContinue -ErrorVariable +e
        }
        Copy-OverlayItem "$B/up/precious" -Destination bi:/precious -Force -ErrorAction SilentlyContinue -ErrorVariable +e
        $e.Count | Should -Be 4
        Assert-CleanError $e 'CopyItemIOError'
        Get-Content bi:/precious | Should -Be 'keep me'
    }

    It 'refuses to copy a directory into itself before copying anything' {
        Assert-RootOrSkip
        New-Item bi:/tree/inner -ItemType Directory -Force | Out-Null
        Set-Content bi:/tree/leaf 'l'
        $before = (Get-ChildItem bi:/tree -Recurse -Name) -join ','
        Copy-OverlayItem bi:/tree -Destination bi:/tree/inner -Recurse -ErrorAction SilentlyContinue -ErrorVariable e1
        Assert-CleanError $e1 'CopyIntoItself' 'bi:/tree/inner/tree'
        Copy-OverlayItem bi:/tree -Destination "$B/up/tree/sub" -Recurse -ErrorAction SilentlyContinue -ErrorVariable e2
        Assert-CleanError $e2 'CopyIntoItself'
        (Get-ChildItem bi:/tree -Recurse -Name) -join ',' | Should -Be $before
    }
}

Describe 'Get-Content -ReadCount blocks' {
    It 'are object[] as on FileSystem, so array handling downstream works' {
        Assert-RootOrSkip
        Set-Content bi:/three 'a', 'b', 'c'
        $out = & { Get-Content bi:/three -ReadCount 0 } 2>&1
        @($out).Count | Should -Be 3
        $blocks = Get-Content bi:/three -ReadCount 2
        $blocks[0] | Should -BeOfType System.Object
        $blocks[0].GetType().Name | Should -Be 'Object[]'
        $blocks[1] | Should -Be 'c'
    }
}
