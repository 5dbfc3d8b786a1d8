# The Overlay drive over a stack whose lowers AND upper hold links out of the union (etc -> /etc,
# x -> /, up -> ../../.., a self-loop, a chain, absolute and climbing links to an existing host
# directory, a file link to a host file): every cmdlet follows them inside the union, and the
# host directory keeps its fingerprint (content, mode, owner, times, inode, link count), as does
# the host's /etc/passwd. Errors on the way are proper ErrorRecords.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Here = Get-Location

    # path, type, mode, owner, size, mtime, ctime, inode, link count and hash of every entry.
    function Get-HostPrint([string] $dir) {
        @($dir, '/etc/passwd') + @(Get-ChildItem -LiteralPath $dir -Recurse -Force | ForEach-Object FullName) |
            Sort-Object | ForEach-Object {
                $hash = if (Test-Path -LiteralPath $_ -PathType Leaf) { (Get-FileHash -LiteralPath $_).Hash }
                "$(stat -c '%n %F %a %u:%g %s %.9Y %.9Z %i %h' -- $_) $hash"
            }
    }

    # Builds the hostile stack under $root and a sentinel host dir; mounts drive hq.
    function New-HostileDrive([string] $root, [string] $sentinel, [switch] $UnionCopy) {
        foreach ($d in 'l1', 'l2', 'l3', 'up', 'work') { New-Item -ItemType Directory "$root/$d" | Out-Null }
        New-Item -ItemType Directory "$sentinel/sub" | Out-Null
        Set-Content -LiteralPath "$sentinel/file" 'host secret'
        Set-Content -LiteralPath "$sentinel/sub/deep" 'deep host secret'
        $links = @{
            'l1/etc' = '/etc'; 'l1/x' = '/'; 'l1/up' = '../../..'; 'l1/loop' = 'loop'
            'l1/sent' = $sentinel; 'l1/sentrel' = "../../../../../../../..$sentinel"
            'l1/chain1' = 'sent'; 'l1/chain2' = 'chain1'
            'up/usent' = $sentinel; 'up/uetc' = '/etc'; 'up/ux' = '/'
        }
        foreach ($k in $links.Keys) { ln -s $links[$k] "$root/$k" }
        New-Item -ItemType Directory "$root/l2/data" | Out-Null
        Set-Content "$root/l2/data/f" 'union data'
        ln -s "$sentinel/file" "$root/l2/data/fl"
        if ($UnionCopy) {
            New-Item -ItemType Directory "$root/l3$sentinel/sub" -Force | Out-Null
            Set-Content -LiteralPath "$root/l3$sentinel/file" 'union copy'
        }
        $null = New-PSDrive -Name hq -PSProvider Overlay -Root / -LowerDir "$root/l1", "$root/l2", "$root/l3" `
            -UpperDir "$root/up" -WorkDir "$root/work" -Scope Global
    }
}
AfterAll { Set-Location $Here }

Describe 'Links out of the union, read through the drive' {
    BeforeEach {
        $root = New-TestDir 'ovlps-confine'
        $sentinel = New-TestDir 'ovlps-host-sentinel'
        if ($IsRoot) { New-HostileDrive $root $sentinel; $before = Get-HostPrint $sentinel }
        $ways = @('hq:/sent', 'hq:/sentrel', 'hq:/chain2', 'hq:/usent', "hq:/x$sentinel", "hq:/ux$sentinel", "hq:/up$sentinel")
    }
    AfterEach {
        Set-Location $Here
        Remove-PSDrive hq -Force -ErrorAction Ignore
        Remove-Item $root, $sentinel -Recurse -Force -ErrorAction Ignore
    }

    It 'never returns the host file: a link to a path the union lacks is not found' {
        Assert-RootOrSkip 'whiteout-free stacks still need root for trusted.* reads'
        foreach ($w in $ways) {
            $out = Get-Content "$w/file" -ErrorAction SilentlyContinue -ErrorVariable e
            $out | Should -BeNullOrEmpty -Because $w
            Assert-CleanError $e 'PathNotFound'
            Test-Path "$w/file" | Should -BeFalse
            Get-OverlayContent "$w/file" -Tail 1 -ErrorAction SilentlyContinue -ErrorVariable e2 | Should -BeNullOrEmpty
            Assert-CleanError $e2 'PathNotFound'
        }
        Get-Content hq:/data/fl -ErrorAction SilentlyContinue -ErrorVariable e3 | Should -BeNullOrEmpty
        Assert-CleanError $e3 'PathNotFound'
        # The union's /etc is the link itself: a loop (not found, as FileSystem says of a
        # looping path), never the host's /etc/passwd.
        Get-Content hq:/etc/passwd, hq:/uetc/passwd, hq:/x/etc/passwd -ErrorAction SilentlyContinue -ErrorVariable e4 |
            Should -BeNullOrEmpty
        Assert-CleanError $e4
        $e4.FullyQualifiedErrorId | Should -Match '^(PathNotFound|TooManySymlinks),'
        $e4.Count | Should -Be 3
        Get-HostPrint $sentinel | Should -Be $before
    }

    It 'walks the tree with Get-ChildItem -Recurse without following a link out of it' {
        Assert-RootOrSkip
        $all = Get-ChildItem hq:/ -Recurse -Force -ErrorAction SilentlyContinue
        # Like the FileSystem provider, -Recurse does not descend into symlinked directories.
        $all.FullName | Where-Object { $_ -like 'hq:/ux/*' -or $_ -like 'hq:/x/*' -or $_ -like 'hq:/usent/*' } |
            Should -BeNullOrEmpty
        $all.Name | Should -Not -Contain 'deep'
        $all.Name | Should -Contain 'f'
        # Listing a link to / lists the union's root, not the host's.
        (Get-ChildItem hq:/ux -Force).Name | Sort-Object | Should -Be ((Get-ChildItem hq:/ -Force).Name | Sort-Object)
        Get-ChildItem hq:/ux/tmp -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        Assert-CleanError $e 'PathNotFound'
        Get-HostPrint $sentinel | Should -Be $before
    }

    It 'keeps Set-Location, .. and Resolve-Path on the drive' {
        Assert-RootOrSkip
        Set-Location hq:/ux
        Set-Location ../../../..
        (Get-Location).Path | Should -Be 'hq:/'
        Set-Location hq:/data
        Get-Content ../../../../../data/f | Should -Be 'union data'
        (Resolve-Path ../../../x/data).Path | Should -Be 'hq:/x/data'
        Set-Location $Here
        Set-Location hq:/x -ErrorAction Stop
        Test-Path ./etc/passwd | Should -BeFalse
        Set-Location $Here
    }

    It 'stops ".." at the drive root in a drive path, as the engine does, instead of acting on the root' {
        Assert-RootOrSkip
        Get-Content hq:/../../../data/f | Should -Be 'union data'
        Get-Content hq:/data/../../../../data/f | Should -Be 'union data'
        (Resolve-Path hq:/../../data).Path | Should -Be 'hq:/data'
        (Resolve-Path hq:/data/../../..).Path | Should -Be 'hq:/'
        $mode = (Get-Item "$root/up").UnixMode
        # A typo with one ".." too many names a missing item, not the drive root.
        Set-ItemProperty hq:/../../nonexistent -Name Mode -Value 700 -ErrorAction SilentlyContinue -ErrorVariable e
        Assert-CleanError $e 'PathNotFound' 'hq:/nonexistent'
        (Get-Item "$root/up").UnixMode | Should -Be $mode
        Remove-Item hq:/../../nonexistent -Recurse -ErrorAction SilentlyContinue -ErrorVariable e2
        Assert-CleanError $e2 'PathNotFound'
        Set-Content hq:/../../data/new 'n'
        Get-Content -LiteralPath "$root/up/data/new" | Should -Be 'n'
        Get-HostPrint $sentinel | Should -Be $before
    }

    It 'writes nothing through a link to a path the union lacks, with a proper error for each' {
        Assert-RootOrSkip
        $upperBefore = (Get-ChildItem "$root/up" -Force -Recurse).FullName
        foreach ($w in $ways) {
            $e = @()
            Set-Content "$w/file" 'owned' -ErrorAction SilentlyContinue -ErrorVariable +e
            Add-Content "$w/file" 'owned' -ErrorAction SilentlyContinue -ErrorVariable +e
            Clear-Content "$w/file" -ErrorAction SilentlyContinue -ErrorVariable +e
            New-Item "$w/new" -Value 'owned' -ErrorAction SilentlyContinue -ErrorVariable +e
            New-Item "$w/lnk" -ItemType SymbolicLink -Value /etc/passwd -ErrorAction SilentlyContinue -ErrorVariable +e
            New-Item "$w/hard" -ItemType HardLink -Value hq:/data/f -ErrorAction SilentlyContinue -ErrorVariable +e
            Copy-Item hq:/data/f "$w/copied" -ErrorAction SilentlyContinue -ErrorVariable +e
            Move-Item hq:/data/f "$w/moved" -ErrorAction SilentlyContinue -ErrorVariable +e
            Rename-Item "$w/file" renamed -ErrorAction SilentlyContinue -ErrorVariable +e
            Remove-Item "$w/file" -ErrorAction SilentlyContinue -ErrorVariable +e
            Remove-Item "$w/sub" -Recurse -Force -ErrorAction SilentlyContinue -ErrorVariable +e
            Set-ItemProperty "$w/file" -Name Mode -Value 511 -ErrorAction SilentlyContinue -ErrorVariable +e
            Copy-OverlayItem "$sentinel/file" -Destination "$w/coi" -ErrorAction SilentlyContinue -ErrorVariable +e
            $e.Count | Should -Be 13 -Because "every write through $w fails"
            Assert-CleanError $e
        }
        New-Item "hq:/sent/dir" -ItemType Directory -ErrorAction SilentlyContinue -ErrorVariable e6
        Assert-CleanError $e6
        # A dangling final link to a host file: creating through it needs its dir in the union.
        Add-Content hq:/data/fl 'owned' -ErrorAction SilentlyContinue -ErrorVariable e5
        Assert-CleanError $e5 'PathNotFound'
        (Get-ChildItem "$root/up" -Force -Recurse).FullName | Should -Be $upperBefore
        # New-Item -ItemType Directory makes missing parents (as on FileSystem): in the union.
        New-Item "hq:/x$sentinel/dir" -ItemType Directory | Out-Null
        Test-Path -LiteralPath "$root/up$sentinel/dir" -PathType Container | Should -BeTrue
        Get-HostPrint $sentinel | Should -Be $before
    }

    It 'refuses New-Item -ItemType HardLink to a host file: the target is a union path' {
        Assert-RootOrSkip
        New-Item hq:/hl1 -ItemType HardLink -Value /etc/passwd -ErrorAction SilentlyContinue -ErrorVariable e1
        Assert-CleanError $e1 'TooManySymlinks'
        New-Item hq:/hl2 -ItemType HardLink -Value "$sentinel/file" -ErrorAction SilentlyContinue -ErrorVariable e2
        Assert-CleanError $e2
        New-Item hq:/hl3 -ItemType HardLink -Value "../../../..$sentinel/file" -ErrorAction SilentlyContinue -ErrorVariable e3
        Assert-CleanError $e3
        Test-Path hq:/hl1, hq:/hl2, hq:/hl3 | Should -Be @($false, $false, $false)
        Get-HostPrint $sentinel | Should -Be $before
    }

    It 'removes a link, never what it names, with Remove-Item -Recurse' {
        Assert-RootOrSkip
        Remove-Item hq:/usent, hq:/sent, hq:/x, hq:/ux, hq:/etc, hq:/uetc -Recurse -Force
        Test-Path hq:/usent, hq:/sent, hq:/x | Should -Be @($false, $false, $false)
        Test-Path hq:/data/f | Should -BeTrue
        Get-HostPrint $sentinel | Should -Be $before
        Test-Path /etc/passwd | Should -BeTrue
    }
}

Describe 'Links out of the union reach the union''s own copy of the path' {
    BeforeEach {
        $root = New-TestDir 'ovlps-confine'
        $sentinel = New-TestDir 'ovlps-host-sentinel'
        if ($IsRoot) { New-HostileDrive $root $sentinel -UnionCopy; $before = Get-HostPrint $sentinel }
        $ways = @('hq:/sent', 'hq:/sentrel', 'hq:/chain2', 'hq:/usent', "hq:/x$sentinel", "hq:/ux$sentinel", "hq:/up$sentinel")
    }
    AfterEach {
        Remove-PSDrive hq -Force -ErrorAction Ignore
        Remove-Item $root, $sentinel -Recurse -Force -ErrorAction Ignore
    }

    It 'has Copy-OverlayItem copy into a link to a directory, inside the union, and pass nothing through on failure' {
        Assert-RootOrSkip
        $out = Copy-OverlayItem "$root/l2/data/f" -Destination hq:/usent -PassThru
        $out.FullName | Should -Be "hq:$sentinel/f"
        Get-Content -LiteralPath "$root/up$sentinel/f" | Should -Be 'union data'
        $out = Copy-OverlayItem "$root/l2/data/f" -Destination "hq:/up/x$sentinel/sub" -PassThru
        $out.FullName | Should -Be "hq:$sentinel/sub/f"
        # A failed copy writes an error and no item.
        $out = Copy-OverlayItem "$root/l2/data/f" -Destination hq:/loop -Force -PassThru -ErrorAction SilentlyContinue -ErrorVariable e
        $out | Should -BeNullOrEmpty
        Assert-CleanError $e
        Get-HostPrint $sentinel | Should -Be $before
    }

    It 'reads the union copy through every link' {
        Assert-RootOrSkip
        foreach ($w in $ways) {
            Get-Content "$w/file" | Should -Be 'union copy' -Because $w
            (Get-ChildItem $w).Name | Sort-Object | Should -Be @('file', 'sub')
            Get-ChildItem "$w/sub" | Should -BeNullOrEmpty
            (Get-Item "$w/file").RealPath | Should -Be "$root/l3$sentinel/file"
        }
        Get-Content hq:/data/fl | Should -Be 'union copy'
        Get-HostPrint $sentinel | Should -Be $before
    }

    It 'lands every write through the links in the upper dir' {
        Assert-RootOrSkip
        $i = 0
        foreach ($w in $ways) {
            $i++
            Set-Content "$w/set$i" 'w'
            Add-Content "$w/file" "+$i"
            New-Item "$w/new$i" -Value 'w' | Out-Null
            New-Item "$w/dir$i" -ItemType Directory | Out-Null
            New-Item "$w/lnk$i" -ItemType SymbolicLink -Value /etc/passwd | Out-Null
            New-Item "$w/hard$i" -ItemType HardLink -Value "$w/file" | Out-Null
            Copy-Item hq:/data/f "$w/copied$i"
            Copy-Item "$w/set$i" "$w/copy-b$i"
            Move-Item "$w/new$i" "$w/moved$i"
            Rename-Item "$w/copy-b$i" "renamed$i"
            Set-ItemProperty "$w/file" -Name Mode -Value 448
            Set-ItemProperty "$w/file" -Name LastWriteTime -Value ([datetime]'2001-02-03')
            Copy-OverlayItem "$root/l2/data/f" -Destination "$w/coi$i"
            foreach ($n in "set$i", "dir$i", "lnk$i", "hard$i", "copied$i", "moved$i", "renamed$i", "coi$i") {
                Test-Path -LiteralPath "$root/up$sentinel/$n" | Should -BeTrue -Because "$w/$n lands in upper"
            }
        }
        Clear-Content hq:/data/fl
        (Get-Item "$root/up$sentinel/file").Length | Should -Be 0
        # Through a dangling link, Add-Content creates the link's target, in the union (O_CREAT).
        Remove-Item hq:/usent/file
        Add-Content hq:/data/fl 'created'
        Get-Content -LiteralPath "$root/up$sentinel/file" | Should -Be 'created'
        Remove-Item "hq:/x$sentinel/sub" -Recurse
        Remove-Item hq:/usent/set1
        Get-HostPrint $sentinel | Should -Be $before
    }
}
