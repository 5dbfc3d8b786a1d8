# The Overlay drive, write side: every change goes through the engine (copy-up, whiteouts,
# opaque dirs), -WhatIf changes nothing, errors name the overlay's own cases, and the cmdlets
# that cover what PowerShell refuses across providers.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    . "$PSScriptRoot/ProviderHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Here = Get-Location

    # Every line of an upper (or any) dir: path, kind, mode, size; enough to see a change.
    function Get-TreeSnapshot([string] $dir) {
        Get-ChildItem -LiteralPath $dir -Recurse -Force | ForEach-Object {
            $st = [OverlayPS.Core.Posix.Files]::LStat($_.FullName)
            "$($_.FullName.Substring($dir.Length)) $($st.Kind) $($st.Mode) $($st.Size) $($st.MTime.tv_sec)"
        } | Sort-Object
    }
}
AfterAll { Set-Location $Here }

Describe 'Writes on an Overlay drive go through the engine' {
    BeforeEach {
        $d = New-TestDir 'ovlps-prov-write'
        if ($IsRoot) { $s = New-ProviderDrive -Name pw -Root $d }
    }
    AfterEach {
        Remove-ProviderDrive pw $d
    }

    It 'copies a lower file up on Set-Content and leaves the lower alone' {
        Assert-RootOrSkip 'building whiteouts'
        Set-Content pw:/etc/os-release 'changed'
        Get-Content "$($s.Upper)/etc/os-release" | Should -Be 'changed'
        Get-Content "$($s.Lowers[1])/etc/os-release" -Raw | Should -Be "NAME=Demo`nVERSION=1`nID=demo`n"
        (Get-Item pw:/etc/os-release).Layer | Should -Be 'upper'
    }

    It 'appends with Add-Content after a copy-up' {
        Assert-RootOrSkip 'building whiteouts'
        Add-Content pw:/data/numbers.txt 'six'
        (Get-Content pw:/data/numbers.txt)[-1] | Should -Be 'six'
        (Get-Content "$($s.Lowers[1])/data/numbers.txt").Count | Should -Be 5
    }

    It 'leaves a whiteout in upper when a lower file is removed' {
        Assert-RootOrSkip 'building whiteouts'
        Remove-Item pw:/usr/bin/tool
        Test-Path pw:/usr/bin/tool | Should -BeFalse
        [OverlayPS.Core.Posix.Files]::LStat("$($s.Upper)/usr/bin/tool").IsCharDevice00 | Should -BeTrue
        Test-Path "$($s.Lowers[1])/usr/bin/tool" | Should -BeTrue
    }

    It 'removes a tree with -Recurse and makes an opaque dir when it is created again' {
        Assert-RootOrSkip 'building whiteouts'
        Remove-Item pw:/var -Recurse
        Test-Path pw:/var | Should -BeFalse
        New-Item -ItemType Directory pw:/var | Out-Null
        (Get-Item pw:/var).IsOpaque | Should -BeTrue
        Get-ChildItem pw:/var | Should -BeNullOrEmpty
    }

    It 'refuses to remove a non-empty directory without -Recurse (DirectoryNotEmpty)' {
        Assert-RootOrSkip 'building whiteouts'
        # Remove-Item itself asks first; the provider call below is what runs if the user says no to recursion.
        $err = $null
        try { $ExecutionContext.InvokeProvider.Item.Remove('pw:/home', $false) } catch { $err = $_ }
        $err.Exception.InnerException.ErrorRecord.FullyQualifiedErrorId, $err.FullyQualifiedErrorId -join ' ' | Should -Match 'DirectoryNotEmpty'
        Test-Path pw:/home/user/notes.txt | Should -BeTrue
    }

    It 'asks before removing a non-empty directory without -Recurse, and keeps it on No' {
        Assert-RootOrSkip 'building whiteouts'
        # The question comes from Remove-Item itself; answer it through a fresh pwsh's stdin.
        $script = "$d/ask.ps1"
        Set-Content $script @"
Import-Module '$Manifest'
`$null = New-PSDrive -Name ask -PSProvider Overlay -Root / -LowerDir '$($s.Lowers -join "','")' -UpperDir '$($s.Upper)' -WorkDir '$($s.Work)'
Remove-Item ask:/home
"exists=`$(Test-Path ask:/home)"
"@
        Push-Location $RepoRoot
        try {
            $no = 'N' | dotnet pwsh -NoProfile -File $script 2>&1
            ($no -join "`n") | Should -Match 'has children and the Recurse parameter was not specified'
            ($no -join "`n") | Should -Match 'exists=True'
            $yes = 'Y' | dotnet pwsh -NoProfile -File $script 2>&1
            ($yes -join "`n") | Should -Match 'exists=False'
        }
        finally { Pop-Location }
        Test-Path pw:/home | Should -BeFalse
        Test-Path -LiteralPath "$($s.Upper)/home" | Should -BeFalse   # upper-only: removed, no whiteout
    }

    It 'keeps writes through absolute symlinks inside the union, never on the host' {
        Assert-RootOrSkip 'building whiteouts'
        $probe = "ovlps-probe-$([guid]::NewGuid().ToString('N'))"
        [OverlayPS.Core.Posix.Files]::Symlink('/etc', "$($s.Lowers[0])/hostetc")
        [OverlayPS.Core.Posix.Files]::Symlink('/', "$($s.Lowers[0])/hostroot")
        Set-Content "pw:/hostetc/$probe" 'inside'
        New-Item "pw:/hostroot/etc/$probe-2" -Value 'inside' | Out-Null
        Copy-Item pw:/home/user/notes.txt "pw:/hostetc/$probe-3"
        Test-Path "/etc/$probe", "/etc/$probe-2", "/etc/$probe-3" | Should -Be @($false, $false, $false)
        Get-Content "pw:/etc/$probe" | Should -Be 'inside'
        Test-Path "$($s.Upper)/etc/$probe-2" | Should -BeTrue
    }

    It 'creates files, directories, symbolic and hard links with New-Item' {
        Assert-RootOrSkip 'building whiteouts'
        (New-Item pw:/new.txt -Value 'hello').Length | Should -Be 5
        Get-Content pw:/new.txt | Should -Be 'hello'
        (New-Item -ItemType Directory pw:/x/y/z).FullName | Should -Be 'pw:/x/y/z'
        $l = New-Item -ItemType SymbolicLink pw:/link -Value 'etc/hostname'
        $l.Target | Should -Be 'etc/hostname'
        Get-Content pw:/link | Should -Be 'upper-host'
        $h = New-Item -ItemType HardLink pw:/hard.txt -Value pw:/new.txt
        $h.LinkCount | Should -Be 2
        (Get-Item pw:/new.txt).LinkCount | Should -Be 2
        { New-Item pw:/new.txt -ErrorAction Stop } | Should -Throw -ErrorId 'ItemExists*'
        (New-Item pw:/new.txt -Force -Value 'again').Length | Should -Be 5
    }

    It 'renames files, refuses a lower directory with CrossDeviceRename, and moves it by copying' {
        Assert-RootOrSkip 'building whiteouts'
        Rename-Item pw:/home/user/notes.txt notes2.txt
        Test-Path pw:/home/user/notes2.txt | Should -BeTrue
        Rename-Item pw:/etc etc2 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'CrossDeviceRename*'
        $err[0].CategoryInfo.Category | Should -Be 'WriteError'
        $err[0].Exception.Message | Should -Match 'lower layer'
        Move-Item pw:/etc pw:/etc2
        Test-Path pw:/etc | Should -BeFalse
        Get-Content pw:/etc2/os-release -TotalCount 1 | Should -Be 'NAME=Demo'
        [OverlayPS.Core.Posix.Files]::LStat("$($s.Upper)/etc").IsCharDevice00 | Should -BeTrue
    }

    It 'copies trees with Copy-Item and refuses a copy into itself' {
        Assert-RootOrSkip 'building whiteouts'
        Copy-Item pw:/etc pw:/etc-copy -Recurse
        (Get-ChildItem pw:/etc-copy | Sort-Object Name).Name | Should -Be @('hostname', 'os-release')
        (Get-Item pw:/etc-copy/hostname).Layer | Should -Be 'upper'
        Copy-Item pw:/home pw:/home/inner -Recurse -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        Test-Path pw:/home/inner | Should -BeFalse
    }

    It 'sets mode, owner and times with Set-ItemProperty' {
        Assert-RootOrSkip 'chown'
        Set-ItemProperty pw:/etc/os-release -Name Mode -Value '0600'
        (Get-Item pw:/etc/os-release).Mode | Should -Be '-rw-------'
        Set-ItemProperty pw:/etc/os-release -Name Mode -Value 'rwxr-x---'
        (Get-Item pw:/etc/os-release).ModeBits | Should -Be ([Convert]::ToUInt32('750', 8))
        Set-ItemProperty pw:/etc/os-release -Name Owner -Value 1
        Set-ItemProperty pw:/etc/os-release -Name Group -Value 2
        $i = Get-Item pw:/etc/os-release
        $i.Uid | Should -Be 1
        $i.Gid | Should -Be 2
        $when = [datetime]::new(2001, 2, 3, 4, 5, 6, [DateTimeKind]::Utc)
        Set-ItemProperty pw:/etc/os-release -Name LastWriteTime -Value $when
        (Get-Item pw:/etc/os-release).LastWriteTimeUtc | Should -Be $when
        (Get-ItemProperty pw:/etc/os-release -Name Layer).Layer | Should -Be 'upper'
        Set-ItemProperty pw:/etc/os-release -Name Length -Value 1 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PropertyNotSettable*'
    }

    It 'replaces content with Set-Item -Value and empties it with Clear-Item and Clear-Content' {
        Assert-RootOrSkip 'building whiteouts'
        Set-Item pw:/etc/hostname -Value 'set-item'
        Get-Content pw:/etc/hostname -Raw | Should -BeExactly 'set-item'
        Clear-Item pw:/etc/hostname
        (Get-Item pw:/etc/hostname).Length | Should -Be 0
        Clear-Content pw:/data/numbers.txt
        (Get-Item pw:/data/numbers.txt).Length | Should -Be 0
        (Get-Item pw:/data/numbers.txt).Layer | Should -Be 'upper'
    }

    It 'writes -Encoding, -NoNewline and -AsByteStream content' {
        Assert-RootOrSkip 'building whiteouts'
        Set-Content pw:/u16.txt 'hé' -Encoding unicode
        (Get-Item pw:/u16.txt).Length | Should -Be 8   # BOM + 2 chars + \n, 2 bytes each
        Get-Content pw:/u16.txt -Encoding unicode | Should -Be 'hé'
        Set-Content pw:/nn.txt 'a', 'b' -NoNewline
        Get-Content pw:/nn.txt -Raw | Should -BeExactly 'ab'
        Set-Content pw:/b.bin -AsByteStream -Value ([byte[]](0, 255, 10))
        Get-Content pw:/b.bin -AsByteStream | Should -Be @(0, 255, 10)
        Add-Content pw:/bom.txt 'x' -Encoding utf8BOM
        Add-Content pw:/bom.txt 'y' -Encoding utf8BOM
        (Get-Item pw:/bom.txt).Length | Should -Be 7   # one BOM, at the start only
    }

    It 'changes nothing under -WhatIf' {
        Assert-RootOrSkip 'building whiteouts'
        $before = Get-TreeSnapshot $s.Upper
        New-Item pw:/w.txt -WhatIf
        New-Item -ItemType Directory pw:/wd -WhatIf
        Set-Content pw:/etc/os-release 'x' -WhatIf
        Add-Content pw:/etc/os-release 'x' -WhatIf
        Clear-Content pw:/etc/os-release -WhatIf
        Remove-Item pw:/usr -Recurse -WhatIf
        Rename-Item pw:/home/user/notes.txt n.txt -WhatIf
        Move-Item pw:/data pw:/data2 -WhatIf
        Copy-Item pw:/etc pw:/etc2 -Recurse -WhatIf
        Set-ItemProperty pw:/etc/os-release -Name Mode -Value 700 -WhatIf
        Set-Item pw:/etc/os-release -Value x -WhatIf
        Clear-Item pw:/etc/os-release -WhatIf
        Copy-OverlayItem pw:/etc -Destination pw:/etc3 -Recurse -WhatIf
        Get-TreeSnapshot $s.Upper | Should -Be $before
    }

    It 'reports one error per failed item and goes on with the rest' {
        Assert-RootOrSkip 'building whiteouts'
        Remove-Item pw:/nope, pw:/etc/os-release -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -Be 1
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        Test-Path pw:/etc/os-release | Should -BeFalse
    }
}

Describe 'A drive without an upper dir is read-only' {
    BeforeAll {
        $d = New-TestDir 'ovlps-prov-ro'
        if ($IsRoot) { $s = New-ProviderDrive -Name pro -Root $d -ReadOnly }
    }
    AfterAll {
        Remove-ProviderDrive pro $d
    }

    It 'refuses every write with ReadOnlyOverlay and a plain message' {
        Assert-RootOrSkip 'building whiteouts'
        $errs = @()
        New-Item pro:/x.txt -ErrorAction SilentlyContinue -ErrorVariable +errs
        # Set-Content clears first and, like on the FileSystem provider, a failed clear of an
        # existing file ends the command (SetContentCommand throws the first error).
        try { Set-Content pro:/etc/hostname 'x' -ErrorAction Stop } catch { $errs += $_ }
        Remove-Item pro:/etc/hostname -ErrorAction SilentlyContinue -ErrorVariable +errs
        New-Item -ItemType Directory pro:/d -ErrorAction SilentlyContinue -ErrorVariable +errs
        $errs.Count | Should -BeGreaterOrEqual 4
        # The thrown Set-Content error keeps the message, not the id (PowerShell rethrows the exception).
        $errs | Where-Object FullyQualifiedErrorId -notlike '*SetContentCommand' |
            ForEach-Object { $_.FullyQualifiedErrorId | Should -BeLike 'ReadOnlyOverlay*' }
        $errs | ForEach-Object { $_.Exception.Message | Should -Match 'Overlay drive is read-only' }
        Get-Content pro:/etc/hostname | Should -Be 'middle'
    }

    It 'names the read-only destination, not the source, when a copy or move into it is refused' {
        Assert-RootOrSkip 'building whiteouts'
        Copy-Item pro:/etc/hostname pro:/etc/copied -ErrorAction SilentlyContinue -ErrorVariable e1
        Assert-CleanError $e1 'ReadOnlyOverlay' 'pro:/etc/copied'
        Move-Item pro:/etc/hostname pro:/moved -ErrorAction SilentlyContinue -ErrorVariable e2
        Assert-CleanError $e2 'ReadOnlyOverlay' 'pro:/moved'
        $src = Join-Path $d 'host-file'
        Set-Content $src 'x'
        Copy-OverlayItem $src -Destination pro:/etc/from-host -ErrorAction SilentlyContinue -ErrorVariable e3
        Assert-CleanError $e3 'ReadOnlyOverlay' 'pro:/etc/from-host'
        Test-Path pro:/etc/copied, pro:/moved, pro:/etc/from-host | Should -Be @($false, $false, $false)
    }
}

Describe 'Copy-OverlayItem copies in and out of a drive with metadata' {
    BeforeAll {
        $d = New-TestDir 'ovlps-prov-copy'
        if ($IsRoot) { $s = New-ProviderDrive -Name pc -Root $d }
    }
    AfterAll {
        Remove-ProviderDrive pc $d
    }

    It 'copies a merged tree out to the host keeping modes, times and symlinks' {
        Assert-RootOrSkip 'building whiteouts'
        chmod 0751 "$($s.Lowers[1])/usr/bin/tool"
        Copy-OverlayItem pc:/usr -Destination "$d/out-usr" -Recurse
        $st = [OverlayPS.Core.Posix.Files]::LStat("$d/out-usr/bin/tool")
        [Convert]::ToString($st.Mode, 8) | Should -Be '751'
        $st.MTime.tv_sec | Should -Be ([OverlayPS.Core.Posix.Files]::LStat("$($s.Lowers[1])/usr/bin/tool").MTime.tv_sec)
        [OverlayPS.Core.Posix.Files]::ReadLink("$d/out-usr/bin/tool-latest") | Should -Be 'tool'
        Test-Path "$d/out-usr/bin/.hidden-tool" | Should -BeTrue
        Copy-OverlayItem pc:/etc -Destination "$d/out-etc" -Recurse
        (Get-ChildItem "$d/out-etc").Name | Should -Not -Contain 'motd'   # the whiteout applies
    }

    It 'copies host files into a drive (into the upper) with owner and times' {
        Assert-RootOrSkip 'chown'
        New-Item -ItemType Directory "$d/in" | Out-Null
        Set-Content "$d/in/app.conf" 'conf'
        chown 1:2 "$d/in/app.conf"
        touch -d '2001-02-03 04:05:06Z' "$d/in/app.conf"
        $out = Copy-OverlayItem "$d/in/app.conf" -Destination pc:/etc -PassThru
        $out.FullName | Should -Be 'pc:/etc/app.conf'
        $out.Layer | Should -Be 'upper'
        $out.Uid | Should -Be 1
        $out.Gid | Should -Be 2
        $out.LastWriteTimeUtc | Should -Be ([datetime]::new(2001, 2, 3, 4, 5, 6, [DateTimeKind]::Utc))
        Test-Path "$($s.Upper)/etc/app.conf" | Should -BeTrue
    }

    It 'keeps existing files unless -Force, reporting the refusal per file' {
        Assert-RootOrSkip 'building whiteouts'
        Set-Content "$d/hostname" 'from-host'
        Copy-OverlayItem "$d/hostname" -Destination pc:/etc -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'ItemExists*'
        Get-Content pc:/etc/hostname | Should -Be 'upper-host'
        Copy-OverlayItem "$d/hostname" -Destination pc:/etc -Force
        Get-Content pc:/etc/hostname | Should -Be 'from-host'
    }

    It 'takes piped items' {
        Assert-RootOrSkip 'building whiteouts'
        New-Item -ItemType Directory "$d/piped" | Out-Null
        Get-ChildItem pc:/data | Copy-OverlayItem -Destination "$d/piped"
        (Get-ChildItem "$d/piped" | Sort-Object Name).Name | Should -Be @('csv.txt', 'numbers.txt')
    }
}

Describe 'Get-ChildItem -ShowMarkers shows why a name is gone' {
    BeforeAll {
        $d = New-TestDir 'ovlps-prov-markers'
        if ($IsRoot) { $s = New-ProviderDrive -Name pm -Root $d }
    }
    AfterAll {
        Remove-ProviderDrive pm $d
    }

    It 'lists the upper whiteouts and the opaque marker, and nothing extra without the switch' {
        Assert-RootOrSkip 'building whiteouts'
        Remove-Item pm:/etc/os-release
        Remove-Item pm:/var -Recurse
        New-Item -ItemType Directory pm:/var | Out-Null
        (Get-ChildItem pm:/etc).Name | Should -Not -Contain 'os-release'
        $wh = Get-ChildItem pm:/etc -ShowMarkers | Where-Object Marker -eq 'whiteout' | Sort-Object Name
        $wh.Name | Should -Be @('motd', 'os-release')
        $wh.Layer | Should -Be @('lower1', 'upper')   # motd was deleted in lower1, os-release just now
        $wh[1].RealPath | Should -Be "$($s.Upper)/etc/os-release"
        $op = Get-ChildItem pm:/var -ShowMarkers
        $op.Marker | Should -Be 'opaque'
        $op.Directory | Should -Be 'pm:/var'
        (Get-ChildItem pm:/ -Recurse -ShowMarkers | Out-String -Width 150) | Should -Match 'os-release \(whiteout: deleted here\)'
    }
}

Describe 'Between drives' {
    BeforeAll {
        $d1 = New-TestDir 'ovlps-prov-x1'
        $d2 = New-TestDir 'ovlps-prov-x2'
        if ($IsRoot) {
            $s1 = New-ProviderDrive -Name px1 -Root $d1
            $s2 = New-ProviderDrive -Name px2 -Root $d2
        }
    }
    AfterAll {
        Remove-ProviderDrive px1 $d1
        Remove-ProviderDrive px2 $d2
    }

    It 'copies and moves between two Overlay drives with Copy-Item and Move-Item' {
        Assert-RootOrSkip 'building whiteouts'
        Copy-Item px1:/etc px2:/etc-from-1 -Recurse
        (Get-ChildItem px2:/etc-from-1 | Sort-Object Name).Name | Should -Be @('hostname', 'os-release')
        Move-Item px1:/home/user/notes.txt px2:/moved.txt
        Get-Content px2:/moved.txt | Should -Be 'notes'
        Test-Path px1:/home/user/notes.txt | Should -BeFalse
        Test-Path "$($s2.Upper)/moved.txt" | Should -BeTrue
    }

    It 'leaves FileSystem crossings to Copy-OverlayItem, as PowerShell refuses them' {
        Assert-RootOrSkip 'building whiteouts'
        Copy-Item px1:/etc/hostname "$d1/out.txt" -ErrorAction SilentlyContinue -ErrorVariable err
        $err.Count | Should -BeGreaterThan 0
        Test-Path "$d1/out.txt" | Should -BeFalse
        Copy-OverlayItem px1:/etc/hostname -Destination "$d1/out.txt"
        Get-Content "$d1/out.txt" | Should -Be 'upper-host'
        Copy-OverlayItem px1:/usr -Destination px2:/usr-from-1 -Recurse
        Get-Content px2:/usr-from-1/bin/tool | Should -Be 'v1'
        [OverlayPS.Core.Posix.Files]::ReadLink("$($s2.Upper)/usr-from-1/bin/tool-latest") | Should -Be 'tool'
    }
}
