# The Overlay drive, read side: listing, items, navigation, content, errors, the format view.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    . "$PSScriptRoot/ProviderHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Here = Get-Location   # later test files run dotnet from the repo folder
    $script:Dir = New-TestDir 'ovlps-prov-read'
    if ($IsRoot) {
        $script:Stack = New-ProviderDrive -Name pr -Root $Dir
    }
}
AfterAll {
    Set-Location $Here
    Remove-PSDrive pr -Force -ErrorAction Ignore
    Remove-Item $Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'Get-ChildItem shows the merged view with the layer of each item' {
    It 'lists the root: names from every layer, once' {
        Assert-RootOrSkip 'building whiteouts'
        (Get-ChildItem pr:/ | Sort-Object Name).Name | Should -Be @('data', 'etc', 'home', 'names', 'usr', 'var')
    }

    It 'hides a whited-out file and says which layer supplies the rest' {
        Assert-RootOrSkip 'building whiteouts'
        $etc = Get-ChildItem pr:/etc
        $etc.Name | Should -Not -Contain 'motd'
        ($etc | Where-Object Name -eq 'hostname').Layer | Should -Be 'upper'
        ($etc | Where-Object Name -eq 'os-release').Layer | Should -Be 'lower2'
        ($etc | Where-Object Name -eq 'os-release').RealPath | Should -Be "$($Stack.Lowers[1])/etc/os-release"
    }

    It 'honours an opaque directory' {
        Assert-RootOrSkip 'building opaque dirs'
        (Get-ChildItem pr:/var/cache).Name | Should -Be @('new.bin')
        (Get-Item pr:/var/cache).IsOpaque | Should -BeTrue
    }

    It 'marks merged directories' {
        Assert-RootOrSkip 'building whiteouts'
        (Get-Item pr:/etc).IsMerged | Should -BeTrue
        (Get-Item pr:/home).IsMerged | Should -BeFalse
    }

    It 'gives each item ls -l fields and a drive path' {
        Assert-RootOrSkip 'building whiteouts'
        $i = Get-Item pr:/etc/os-release
        $i.Mode | Should -Be '-rw-r--r--'
        $i.Length | Should -Be 28
        $i.Owner | Should -Be 'root'
        $i.Group | Should -Be 'root'
        $i.FullName | Should -Be 'pr:/etc/os-release'
        $i.UnionPath | Should -Be '/etc/os-release'
        $i.PSIsContainer | Should -BeFalse
        $i.LastWriteTimeUtc | Should -Be (Get-Item "$($Stack.Lowers[1])/etc/os-release").LastWriteTimeUtc
        $d = Get-Item pr:/etc
        $d.Mode | Should -BeLike 'd*'
        $d.PSIsContainer | Should -BeTrue
        $l = Get-Item pr:/usr/bin/tool-latest
        $l.Target | Should -Be 'tool'
        $l.LinkType | Should -Be 'SymbolicLink'
        $l.Mode | Should -BeLike 'l*'
    }

    It 'recurses, limited by -Depth' {
        Assert-RootOrSkip 'building whiteouts'
        $all = (Get-ChildItem pr:/ -Recurse).FullName
        $all | Should -Contain 'pr:/home/user/notes.txt'
        $all | Should -Contain 'pr:/var/cache/new.bin'
        $all | Should -Not -Contain 'pr:/var/cache/old.bin'
        $all | Should -Not -Contain 'pr:/usr/bin/.hidden-tool'
        $d0 = (Get-ChildItem pr:/ -Depth 0).FullName
        $d0 | Should -Not -Contain 'pr:/home/user'
        $d1 = (Get-ChildItem pr:/ -Depth 1).FullName
        $d1 | Should -Contain 'pr:/home/user'
        $d1 | Should -Not -Contain 'pr:/home/user/notes.txt'
    }

    It 'filters with -Filter, -Include and -Exclude' {
        Assert-RootOrSkip 'building whiteouts'
        (Get-ChildItem pr:/etc -Filter '*NAME').Name | Should -Be 'hostname'
        (Get-ChildItem pr:/ -Recurse -Filter '*.bin').Name | Should -Be 'new.bin'
        (Get-ChildItem pr:/ -Recurse -Include '*.txt' | Sort-Object Name).Name |
            Should -Be @('csv.txt', 'notes.txt', 'numbers.txt', 'sp ace [x].txt', 'ünï cödé.txt')
        (Get-ChildItem pr:/etc/* -Exclude 'host*').Name | Should -Be 'os-release'
    }

    It 'shows dot-files only with -Force, and only them with -Hidden' {
        Assert-RootOrSkip 'building whiteouts'
        (Get-ChildItem pr:/usr/bin).Name | Should -Not -Contain '.hidden-tool'
        (Get-ChildItem pr:/usr/bin -Force).Name | Should -Contain '.hidden-tool'
        (Get-ChildItem pr:/usr/bin -Hidden).Name | Should -Be '.hidden-tool'
        # Named outright, a dot-file still needs -Force, as on the FileSystem provider.
        Get-Item pr:/usr/bin/.hidden-tool -Force | Should -Not -BeNullOrEmpty
        Get-Item pr:/usr/bin/.hidden-tool -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        $e[0].FullyQualifiedErrorId | Should -BeLike 'ItemNotFound*'
        (Get-ChildItem pr:/usr/bin/.hidden-tool -Hidden).Name | Should -Be '.hidden-tool'
    }

    It 'gives names with -Name, files with -File, directories with -Directory' {
        Assert-RootOrSkip 'building whiteouts'
        Get-ChildItem pr:/home -Recurse -Name | Should -Be @('user', 'user/notes.txt')
        (Get-ChildItem pr:/ -Recurse -File).Name | Should -Not -Contain 'etc'
        (Get-ChildItem pr:/ -Recurse -File).Name | Should -Contain 'notes.txt'
        (Get-ChildItem pr:/ -Directory | Sort-Object Name).Name | Should -Be @('data', 'etc', 'home', 'names', 'usr', 'var')
    }
}

Describe 'Listing order' {
    It 'is the FileSystem provider''s: directories and links to them first, then files, by name ignoring case' {
        # The same names spread over three layers, and the same tree as one plain directory:
        # the FileSystem provider's listing of the plain one is the oracle.
        $d = New-TestDir 'ovlps-order'
        try {
            foreach ($l in 'u', 'l1', 'l2', 'plain', 'w') { New-Item -ItemType Directory "$d/$l" | Out-Null }
            $layout = @{
                u  = @('dir:b-dir', 'file:Zeta', 'file:10', 'dir:a-dir/inner', 'file:a-dir/Y', 'file:.hidden')
                l1 = @('dir:_d', 'file:a.txt', 'dir:Z-dir', 'file:9', 'file:a-dir/x', 'dir:a-dir/Alpha')
                l2 = @('dir:.hd', 'file:B-file', 'file:c.txt', 'file:zz', 'file:a-dir/é', 'file:_d/k')
            }
            foreach ($layer in $layout.Keys) {
                foreach ($spec in $layout[$layer]) {
                    $kind, $name = $spec -split ':', 2
                    foreach ($root in "$d/$layer", "$d/plain") {
                        if ($kind -eq 'dir') { New-Item -ItemType Directory "$root/$name" -Force | Out-Null }
                        else { New-Item -ItemType Directory (Split-Path "$root/$name") -Force | Out-Null; Set-Content "$root/$name" $name }
                    }
                }
            }
            foreach ($root in "$d/l2", "$d/plain") {
                New-Item -ItemType SymbolicLink "$root/link-to-dir" -Target 'a-dir' | Out-Null
                New-Item -ItemType SymbolicLink "$root/alink" -Target 'zz' | Out-Null
            }
            $null = New-PSDrive -Name ord -PSProvider Overlay -Root / -LowerDir "$d/l1", "$d/l2" -UpperDir "$d/u" -WorkDir "$d/w"
            (Get-ChildItem ord:/ -Force).Name | Should -Be (Get-ChildItem "$d/plain" -Force).Name
            (Get-ChildItem ord:/ -Name) | Should -Be (Get-ChildItem "$d/plain" -Name)
            (Get-ChildItem ord:/a-dir).Name | Should -Be (Get-ChildItem "$d/plain/a-dir").Name
            (Get-ChildItem ord:/ -Recurse -Name) | Should -Be (Get-ChildItem "$d/plain" -Recurse -Name)
            # Recursion goes into the subdirectories in the listed order, as -Name walks (which
            # also follows a link to a directory, where -Recurse without -FollowSymlink does not).
            (Get-ChildItem ord:/ -Recurse).FullName -replace '^ord:/', '' |
                Should -Be (Get-ChildItem "$d/plain" -Recurse -Name | Where-Object { $_ -notlike 'link-to-dir/*' })
        }
        finally {
            Remove-PSDrive ord -ErrorAction Ignore
            Remove-Item $d -Recurse -Force
        }
    }
}

Describe 'Paths on an Overlay drive' {
    It 'takes wildcards, escaped brackets and -LiteralPath with spaces, brackets and unicode' {
        Assert-RootOrSkip 'building whiteouts'
        (Get-Item 'pr:/etc/h*').Name | Should -Be 'hostname'
        Get-Content -LiteralPath 'pr:/names/sp ace [x].txt' | Should -Be 'brackets'
        Get-Content 'pr:/names/sp ace `[x`].txt' | Should -Be 'brackets'
        Get-Content 'pr:/names/ünï cödé.txt' | Should -Be 'unicode'
        Test-Path -LiteralPath 'pr:/names/sp ace [x].txt' | Should -BeTrue
    }

    It 'answers Test-Path with -PathType' {
        Assert-RootOrSkip 'building whiteouts'
        Test-Path pr:/etc/hostname | Should -BeTrue
        Test-Path pr:/etc/motd | Should -BeFalse
        Test-Path pr:/etc -PathType Container | Should -BeTrue
        Test-Path pr:/etc -PathType Leaf | Should -BeFalse
        Test-Path pr:/etc/hostname -PathType Leaf | Should -BeTrue
    }

    It 'resolves wildcards with Resolve-Path' {
        Assert-RootOrSkip 'building whiteouts'
        (Resolve-Path pr:/etc/*).Path | Sort-Object | Should -Be @('pr:/etc/hostname', 'pr:/etc/os-release')
    }

    It 'moves with Set-Location and Push-Location and takes relative paths' {
        Assert-RootOrSkip 'building whiteouts'
        Push-Location pr:/usr
        try {
            (Get-Location).Path | Should -Be 'pr:/usr'
            Get-Content ./bin/tool | Should -Be 'v1'
            Set-Location bin
            (Get-Item ../../etc/hostname).FullName | Should -Be 'pr:/etc/hostname'
            Set-Location ..
            Set-Location ..
            (Get-Location).Path | Should -Be 'pr:/'
            Set-Location ..   # stays at the root, as on the FileSystem provider
            (Get-Location).Path | Should -Be 'pr:/'
        }
        finally { Pop-Location }
    }

    It 'keeps .. inside the drive and gives relative paths' {
        Assert-RootOrSkip 'building whiteouts'
        Get-Content pr:/etc/../../etc/hostname | Should -Be 'upper-host'
        Push-Location pr:/usr/bin
        try {
            Resolve-Path ../../etc/hostname -Relative | Should -Be '../../etc/hostname'
            (Get-ChildItem ../../.. | Sort-Object Name).Name | Should -Be @('data', 'etc', 'home', 'names', 'usr', 'var')
        }
        finally { Pop-Location }
    }

    It 'completes paths with Tab' {
        Assert-RootOrSkip 'building whiteouts'
        $line = 'Get-ChildItem pr:/us'
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be 'pr:/usr'
        $line = 'Get-Content pr:/etc/os'
        (TabExpansion2 $line $line.Length).CompletionMatches.CompletionText | Should -Be 'pr:/etc/os-release'
    }

    It 'keeps PSPath tied to its drive when items are piped' {
        Assert-RootOrSkip 'building whiteouts'
        $other = New-TestDir 'ovlps-prov-other'
        try {
            $null = New-ProviderDrive -Name pr2 -Root $other
            Set-Content "$other/upper/etc/hostname" 'second-drive' -NoNewline
            (Get-ChildItem pr2:/etc -Filter hostname | Get-Content) | Should -Be 'second-drive'
            (Get-ChildItem pr:/etc -Filter hostname | Get-Content) | Should -Be 'upper-host'
            (Get-Item pr:/etc/hostname).PSPath | Should -Be 'OverlayPS\Overlay::pr:/etc/hostname'
        }
        finally {
            Remove-PSDrive pr2 -Force
            Remove-Item $other -Recurse -Force
        }
    }
}

Describe 'Get-Content on an Overlay drive' {
    It 'reads lines, -TotalCount and -ReadCount' {
        Assert-RootOrSkip 'building whiteouts'
        Get-Content pr:/data/numbers.txt | Should -Be @('one', 'two', 'three', 'four', 'five')
        Get-Content pr:/data/numbers.txt -TotalCount 2 | Should -Be @('one', 'two')
        $chunks = @(Get-Content pr:/data/numbers.txt -ReadCount 2)
        $chunks.Count | Should -Be 3
        $chunks[0] -join '|' | Should -Be 'one|two'
    }

    It 'reads -Raw, -AsByteStream and -Delimiter' {
        Assert-RootOrSkip 'building whiteouts'
        Get-Content pr:/etc/os-release -Raw | Should -BeExactly "NAME=Demo`nVERSION=1`nID=demo`n"
        $bytes = Get-Content pr:/etc/hostname -AsByteStream
        $bytes.Count | Should -Be 10
        $bytes[0] | Should -BeOfType [byte]
        (Get-Content pr:/etc/hostname -AsByteStream -Raw).GetType().Name | Should -Be 'Byte[]'
        Get-Content pr:/data/csv.txt -Delimiter ',' | Should -Be @('a', 'b', 'c')
    }

    It 'decodes with -Encoding' {
        Assert-RootOrSkip 'building whiteouts'
        Get-Content 'pr:/names/ünï cödé.txt' -Encoding utf8 | Should -Be 'unicode'
        Get-Content pr:/etc/hostname -Encoding ascii | Should -Be 'upper-host'
    }

    It 'reads the tail with Get-OverlayContent where Get-Content -Tail refuses' {
        Assert-RootOrSkip 'building whiteouts'
        Get-OverlayContent pr:/data/numbers.txt -Tail 2 | Should -Be @('four', 'five')
        Get-OverlayContent pr:/data/numbers.txt -Tail 10 | Should -Be @('one', 'two', 'three', 'four', 'five')
        Get-Content pr:/data/numbers.txt -Tail 1 -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'TailNotSupported*'
    }
}

Describe 'Errors on an Overlay drive mirror the FileSystem provider' {
    It 'reports a missing path as ObjectNotFound and goes on with the next' {
        Assert-RootOrSkip 'building whiteouts'
        $out = Get-Item pr:/nope, pr:/etc/hostname -ErrorAction SilentlyContinue -ErrorVariable err
        $out.Name | Should -Be 'hostname'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        $err[0].FullyQualifiedErrorId | Should -BeLike 'PathNotFound*'
        Get-Item pr:/etc/motd -ErrorAction SilentlyContinue -ErrorVariable err2
        $err2[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'refuses Get-Content of a directory' {
        Assert-RootOrSkip 'building whiteouts'
        Get-Content pr:/etc -ErrorAction SilentlyContinue -ErrorVariable err
        $err[0].FullyQualifiedErrorId | Should -BeLike 'GetContainerContentException*'
    }
}

Describe 'The Overlay item view' {
    It 'prints ls -l columns with Layer, grouped under a Directory header' {
        Assert-RootOrSkip 'building whiteouts'
        $text = Get-ChildItem pr:/etc | Out-String -Width 120
        $text | Should -Match 'Directory: pr:/etc'
        $text | Should -Match 'Mode\s+Owner\s+Group\s+LastWriteTime\s+Length\s+Layer\s+Name'
        $text | Should -Match '-rw-r--r-- root\s+root\s+.*\s10 upper\s+hostname'
        $link = Get-Item pr:/usr/bin/tool-latest | Out-String -Width 120
        $link | Should -Match 'tool-latest -> tool'
    }
}

Describe 'Help for the Overlay drive' {
    It 'has about_Overlay_Provider and examples for its cmdlets' {
        (Get-Help about_Overlay_Provider | Out-String) | Should -Match 'Copy-OverlayItem'
        (Get-Help Copy-OverlayItem -Examples).Examples.Example.Count | Should -BeGreaterOrEqual 2
        (Get-Help Get-OverlayContent -Examples).Examples.Example.Count | Should -BeGreaterOrEqual 1
        (Get-Help Get-OverlayContent).Synopsis | Should -Match 'Tail'
    }
}

Describe 'An Overlay drive with -OciWhiteouts' {
    BeforeAll {
        $script:Oci = Join-Path $Dir 'oci'
        New-Item -ItemType Directory "$Oci/top/etc", "$Oci/top/cache", "$Oci/base/etc", "$Oci/base/cache" -Force | Out-Null
        Set-Content "$Oci/base/etc/motd" 'hello'; Set-Content "$Oci/base/etc/hostname" 'base'
        Set-Content "$Oci/base/cache/old.bin" 'old'; Set-Content "$Oci/top/cache/new.bin" 'new'
        New-Item "$Oci/top/etc/.wh.motd", "$Oci/top/cache/.wh..wh..opq" | Out-Null
    }
    AfterEach { Remove-PSDrive oci -Force -ErrorAction Ignore }

    It 'reads .wh.<name> as a whiteout and .wh..wh..opq as an opaque mark, markers hidden' {
        New-PSDrive -Name oci -PSProvider Overlay -Root / -LowerDir "$Oci/top", "$Oci/base" -OciWhiteouts | Out-Null
        (Get-ChildItem oci:/etc -Force).Name | Should -Be @('hostname')
        Test-Path oci:/etc/motd | Should -BeFalse
        (Get-ChildItem oci:/cache -Force).Name | Should -Be @('new.bin')
    }

    It 'shows them as plain files without the switch, as the kernel does' {
        New-PSDrive -Name oci -PSProvider Overlay -Root / -LowerDir "$Oci/top", "$Oci/base" | Out-Null
        (Get-ChildItem oci:/etc -Force).Name | Sort-Object | Should -Be @('.wh.motd', 'hostname', 'motd')
        (Get-ChildItem oci:/cache -Force).Name | Sort-Object | Should -Be @('.wh..wh..opq', 'new.bin', 'old.bin')
    }
}
