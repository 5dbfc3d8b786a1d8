# A yardstick written by others: the behaviours PowerShell's own tests check for the item and
# content cmdlets (PowerShell/PowerShell test/powershell/Modules/Microsoft.PowerShell.Management:
# Test-Path, Get-Item, Get-ChildItem, New-Item, Remove-Item, Rename-Item, Move-Item, Copy-Item,
# Get/Set/Add/Clear-Content, Resolve-Path, Get-ItemProperty), restated in this project's words. Each runs twice: on a FileSystem drive
# over a temp dir, and on an Overlay drive whose lower layer already holds the same seed files,
# so the drive must behave as FileSystem does wherever the same test passes there. Left out,
# as the issue allows: their tests of .NET types, Windows-only features (streams, attrib,
# registry), other providers, and paths on the host root; and where this pwsh fails them on
# FileSystem too: wildcard names that are invalid patterns ('du[[ck'), a colon in a name
# written through a FileSystem PSDrive path, a wildcard moved into a new directory.
BeforeDiscovery {
    $script:Kinds = @(@{ Kind = 'FileSystem'; Name = 'ydfs' }, @{ Kind = 'Overlay'; Name = 'ydov' })
}
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force

    # The seed both drives start with: a lower layer's files on the Overlay drive.
    function New-Seed([string] $Dir) {
        New-Item -ItemType Directory "$Dir/seed/dir/sub", "$Dir/seed/ro", "$Dir/seed/[test-dir]" -Force | Out-Null
        Set-Content -LiteralPath "$Dir/seed/lines.txt" -Value 'first', 'second', 'third', 'fourth', 'fifth'
        Set-Content -LiteralPath "$Dir/seed/one.txt" -Value 'only line'
        Set-Content -LiteralPath "$Dir/seed/[orig-file].txt" -Value 'bracketed'
        Set-Content -LiteralPath "$Dir/seed/dir/sub/deep.txt" -Value 'deep'
        Set-Content -LiteralPath "$Dir/seed/ro/locked.txt" -Value 'locked'
        Set-Content -LiteralPath "$Dir/seed/.hidden.txt" -Value 'hidden'
        foreach ($n in 'WildCardCommandA', 'goose]', 'duck]]') {
            New-Item -ItemType Directory -Path (Join-Path "$Dir/seed/wild" $n) -Force | Out-Null
        }
    }

    # A drive named $Name of the kind asked for, seeded; returns its root as "name:".
    function New-YardstickDrive([string] $Kind, [string] $Name, [string] $Dir) {
        if ($Kind -eq 'FileSystem') {
            New-Seed "$Dir/fs"
            $null = New-PSDrive -Name $Name -PSProvider FileSystem -Root "$Dir/fs" -Scope Global
        }
        else {
            New-Seed "$Dir/lower"
            New-Item -ItemType Directory "$Dir/upper", "$Dir/work" | Out-Null
            $null = New-PSDrive -Name $Name -PSProvider Overlay -Root / -LowerDir "$Dir/lower" -UpperDir "$Dir/upper" -WorkDir "$Dir/work" -Scope Global
        }
        "${Name}:"
    }
}

Describe 'PowerShell''s own cmdlet checks on a <Kind> drive' -ForEach $Kinds {
    BeforeAll {
        $script:Dir = New-TestDir "ovlps-yard-$Name"
        $script:T = New-YardstickDrive $Kind $Name $Dir
        $script:Here = Get-Location
    }
    AfterAll {
        Set-Location $Here
        Remove-PSDrive $Name -Force -ErrorAction Ignore
        Remove-Item $Dir -Recurse -Force -ErrorAction Ignore
    }

    Context 'Test-Path' {
        It 'answers for existing and missing paths, piped or not' {
            Test-Path "$T/seed" | Should -BeTrue
            "$T/seed/lines.txt" | Test-Path | Should -BeTrue
            "$T/seed/nope/deeper" | Test-Path | Should -BeFalse
            Test-Path -LiteralPath "$T/seed/lines.txt" | Should -BeTrue
        }
        It 'is false for an empty or blank path' {
            Test-Path -Path '' | Should -BeFalse
            Test-Path -Path '   ' | Should -BeFalse
        }
        It 'expands wildcards, and not with -LiteralPath' {
            Test-Path "$T/seed/l*" | Should -BeTrue
            Test-Path "$T/seed/l[a-z]nes*" | Should -BeTrue
            Test-Path "$T/seed/zzz*" | Should -BeFalse
            Test-Path -LiteralPath "$T/seed/l*" | Should -BeFalse
        }
        It 'tells leaves from containers with -PathType' {
            Test-Path "$T/seed" -PathType Leaf | Should -BeFalse
            Test-Path "$T/seed" -PathType Container | Should -BeTrue
            Test-Path "$T/seed/one.txt" -Type Leaf | Should -BeTrue
            Test-Path "$T/seed/missing" -PathType Leaf | Should -BeFalse
        }
        It 'filters with -Include and -Exclude' {
            Test-Path "$T/seed/*" -Include 'l*' | Should -BeTrue
            Test-Path "$T/seed/*" -Include 'zz*' | Should -BeFalse
            Test-Path "$T/seed/one.txt" -Exclude 'x*', 'y*' | Should -BeTrue
        }
        It 'finds names with unbalanced brackets and not their near misses' {
            # ('[', 'du[[ck' and 'du][ck' are invalid patterns: pwsh 7.6 throws for them on FileSystem too.)
            foreach ($n in 'WildCardCommandA', 'goose]', 'duck]]') {
                Test-Path -Path (Join-Path "$T/seed/wild" $n) | Should -BeTrue -Because $n
            }
            # ('du[ck' left out: PowerShell's globber throws for it on the drive; see the README.)
            Test-Path -LiteralPath "$T/seed/wild/du[ck" | Should -BeFalse
            foreach ($n in 'WildCardCommand', ']', 'goos]e', 'du]ck', 'du]]ck', 'duc]k]') {
                Test-Path -Path (Join-Path "$T/seed/wild" $n) | Should -BeFalse -Because $n
            }
        }
        It 'compares LastWriteTime set on the item with -OlderThan and -NewerThan' {
            $i = Get-Item "$T/seed/one.txt"
            $i.LastWriteTime = (Get-Date).AddDays(-3)
            Test-Path "$T/seed/one.txt" -OlderThan (Get-Date).AddDays(-1) | Should -BeTrue
            Test-Path "$T/seed/one.txt" -NewerThan (Get-Date).AddDays(-1) | Should -BeFalse
            (Get-Item "$T/seed/one.txt").LastWriteTime = (Get-Date).AddDays(3)
            Test-Path "$T/seed/one.txt" -NewerThan (Get-Date) | Should -BeTrue
        }
    }

    Context 'Get-Item' {
        It 'takes a -LiteralPath with brackets as one name' {
            $null = New-Item -ItemType File "$T/gi-file[abc].txt", "$T/gi-filea.txt"
            $item = Get-Item -LiteralPath "$T/gi-file[abc].txt"
            @($item).Count | Should -Be 1
            $item.Name | Should -BeExactly 'gi-file[abc].txt'
            (Get-Item "$T/gi-file[abc].txt").Name | Should -BeExactly 'gi-filea.txt'
        }
        It 'gives every item a Mode' {
            Get-ChildItem "$T/seed" | ForEach-Object { $_.Mode | Should -Not -BeNullOrEmpty }
        }
        It 'returns a hidden item only with -Force' {
            Get-Item "$T/seed/.hidden.txt" -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
            (Get-Item "$T/seed/.hidden.txt" -Force).Name | Should -BeExactly '.hidden.txt'
        }
        It 'filters a wildcard with -Exclude, -Include, -Filter and all three' {
            $null = New-Item -ItemType Directory "$T/gi-ie"
            $null = New-Item -ItemType File "$T/gi-ie/file1.txt", "$T/gi-ie/file2.txt"
            (Get-Item "$T/gi-ie/*" -Exclude 'file2.txt').Name | Should -BeExactly 'file1.txt'
            (Get-Item "$T/gi-ie/*" -Include 'file2.txt').Name | Should -BeExactly 'file2.txt'
            (Get-Item "$T/gi-ie/*" -Filter '*2*').Name | Should -BeExactly 'file2.txt'
            (Get-Item "$T/gi-ie/*" -Filter *.txt -Include 'file[12].txt' -Exclude file2.txt).Name | Should -BeExactly 'file1.txt'
        }
    }

    Context 'New-Item' {
        It 'creates files and folders from -Name and -Path, with -Value' {
            New-Item -Name 'ni-file.txt' -Path "$T/" -ItemType File | Out-Null
            (Get-ChildItem "$T/ni-file.txt").LinkType | Should -BeNullOrEmpty
            New-Item -Name 'ni-dir' -Path "$T/" -ItemType Directory | Out-Null
            Test-Path "$T/ni-dir" -PathType Container | Should -BeTrue
            ni -Name 'ni-alias.txt' -Path "$T/" -Type File | Out-Null
            Test-Path "$T/ni-alias.txt" | Should -BeTrue
            New-Item -Name 'ni-value.txt' -Path "$T/" -ItemType File -Value 'This is test string' | Out-Null
            Get-Content "$T/ni-value.txt" | Should -Be 'This is test string'
        }
        It 'does not make a file out of a directory path without -Name' {
            New-Item -Path "$T/seed" -ItemType File -ErrorAction SilentlyContinue
            Test-Path "$T/seed" -PathType Container | Should -BeTrue
        }
        It 'makes several items at once, and none with -WhatIf' {
            New-Item -ItemType File -Path "$T/ni-m1.txt", "$T/ni-m2.txt" | Out-Null
            Test-Path "$T/ni-m1.txt", "$T/ni-m2.txt" | Should -Be $true, $true
            New-Item -Name 'ni-whatif.txt' -Path "$T/" -ItemType File -WhatIf
            Test-Path "$T/ni-whatif.txt" | Should -BeFalse
        }
        It 'makes a hard link that says so' {
            New-Item -ItemType HardLink -Target (Resolve-Path "$T/seed/one.txt").ProviderPath -Name 'ni-hard' -Path "$T/" | Out-Null
            $i = Get-ChildItem "$T/ni-hard"
            $i.Target | Should -BeNullOrEmpty
            $i.LinkType | Should -BeExactly 'HardLink'
        }
        It 'creates at the drive root and in the current directory of the drive' {
            New-Item -Name 'ni-cwd' -Path "$T/" -ItemType Directory | Out-Null
            Push-Location "$T/ni-cwd"
            try {
                New-Item -Name 'at-root.txt' -Path "$T/" -ItemType File | Out-Null
                New-Item -Name 'here.txt' -Path $T -ItemType File | Out-Null
            }
            finally { Pop-Location }
            Test-Path "$T/at-root.txt" | Should -BeTrue
            Test-Path "$T/ni-cwd/here.txt" | Should -BeTrue
        }
        It 'refuses a symbolic link without a target' {
            { New-Item -Name 'ni-nolink' -Path "$T/" -ItemType SymbolicLink -ErrorAction Stop } | Should -Throw -ErrorId 'ArgumentNull,Microsoft.PowerShell.Commands.NewItemCommand'
        }
        It 'keeps a symbolic link to a missing target, and a relative target as written' {
            $null = New-Item -ItemType SymbolicLink -Name 'ni-bogus' -Path "$T/" -Target 'totallyBogusFile'
            $i = Get-Item "$T/ni-bogus"
            $i.Target | Should -Be 'totallyBogusFile'
            $i.LinkType | Should -BeExactly 'SymbolicLink'
            Test-Path "$T/totallyBogusFile" | Should -BeFalse
            Push-Location "$T/seed"
            try { (New-Item -ItemType SymbolicLink -Name 'rel-link' -Target './one.txt' | ForEach-Object { (Get-Item "$T/seed/rel-link").Target }) | Should -BeExactly './one.txt' }
            finally { Pop-Location }
        }
    }

    Context 'Remove-Item' {
        It 'removes a file by path and by its aliases' {
            # (rm is the native program on Linux: it goes around the provider.)
            $aliases = Get-Alias del, erase, ri -ErrorAction Ignore | ForEach-Object Name
            foreach ($remove in @('Remove-Item') + $aliases) {
                $null = New-Item "$T/rm-file.txt" -ItemType File -Value 'lorem ipsum' -Force
                & $remove -Path "$T/rm-file.txt"
                Test-Path "$T/rm-file.txt" | Should -BeFalse -Because $remove
            }
        }
        It 'keeps a read-only file unless -Force is given' {
            Set-ItemProperty -Path "$T/seed/ro/locked.txt" -Name IsReadOnly -Value $true
            { Remove-Item "$T/seed/ro/locked.txt" -ErrorAction SilentlyContinue } | Should -Not -Throw
            Test-Path "$T/seed/ro/locked.txt" | Should -BeTrue
            Remove-Item "$T/seed/ro/locked.txt" -Force
            Test-Path "$T/seed/ro/locked.txt" | Should -BeFalse
        }
        It 'removes what -Include names and spares what -Exclude names' {
            $null = New-Item -ItemType Directory "$T/rm-ie"
            $null = New-Item -ItemType File "$T/rm-ie/file1.txt", "$T/rm-ie/file2.txt", "$T/rm-ie/file1.wav", "$T/rm-ie/keep.txt"
            Remove-Item "$T/rm-ie/*" -Include 'file*.txt'
            (Get-ChildItem "$T/rm-ie" -Name | Sort-Object) -join ',' | Should -BeExactly 'file1.wav,keep.txt'
            Remove-Item "$T/rm-ie/*" -Exclude '*.wav' -Include '*.txt'
            (Get-ChildItem "$T/rm-ie" -Name) -join ',' | Should -BeExactly 'file1.wav'
        }
        It 'removes a file whose escaped path has brackets' {
            $null = New-Item -Path "$T/" -Name '[rm-file].txt' -ItemType File -Force
            "$T/``[rm-file``].txt" | Should -Exist
            Remove-Item -Path "$T/``[rm-file``].txt"
            "$T/``[rm-file``].txt" | Should -Not -Exist
        }
        It 'removes an empty directory, and a tree with -Recurse' {
            $null = New-Item -ItemType Directory "$T/rm-dir"
            Remove-Item "$T/rm-dir"
            Test-Path "$T/rm-dir" | Should -BeFalse
            Remove-Item "$T/seed/dir" -Recurse
            Test-Path "$T/seed/dir" | Should -BeFalse
        }
    }

    Context 'Rename-Item' {
        It 'renames a file, keeping its content' {
            Rename-Item "$T/seed/lines.txt" 'renamed.txt'
            Test-Path "$T/seed/lines.txt" | Should -BeFalse
            "$T/seed/renamed.txt" | Should -FileContentMatchExactly 'third'
            Rename-Item "$T/seed/renamed.txt" 'lines.txt'
        }
        It 'renames a file with brackets in an escaped path' {
            Rename-Item "$T/seed/``[orig-file``].txt" 'Renamed[1].txt'
            "$T/seed/``[orig-file``].txt" | Should -Not -Exist
            "$T/seed/Renamed``[1``].txt" | Should -FileContentMatchExactly 'bracketed'
        }
        It 'renames inside a current directory whose name has brackets' {
            Push-Location -LiteralPath "$T/seed/[test-dir]"
            try {
                $null = New-Item -Name '[orig]file.txt' -ItemType File -Value 'one' -Force
                Rename-Item -Path '`[orig`]file.txt' '[renamed]file.txt'
                $null = New-Item -Name '[orig]file2.txt' -ItemType File -Value 'two' -Force
                Rename-Item -LiteralPath '[orig]file2.txt' '[renamed]file2.txt'
            }
            finally { Pop-Location }
            "$T/seed/``[test-dir``]/``[renamed``]file.txt" | Should -FileContentMatchExactly 'one'
            "$T/seed/``[test-dir``]/``[renamed``]file2.txt" | Should -FileContentMatchExactly 'two'
            "$T/seed/``[test-dir``]/``[orig``]file.txt" | Should -Not -Exist
        }
    }

    Context 'Move-Item' {
        BeforeEach {
            $null = New-Item -ItemType Directory "$T/mv-from", "$T/mv-to"
            Set-Content "$T/mv-from/foo.txt" 'foo content'
            Set-Content "$T/mv-from/bar.txt" 'bar content'
            Set-Content "$T/mv-from/boo.txt" 'boo content'
        }
        AfterEach { Remove-Item "$T/mv-from", "$T/mv-to" -Recurse -Force -ErrorAction Ignore }

        It 'moves a file, and one with brackets in its name' {
            Move-Item "$T/seed/one.txt" "$T/moved.txt"
            "$T/seed/one.txt" | Should -Not -Exist
            "$T/moved.txt" | Should -FileContentMatchExactly 'only line'
            Set-Content -LiteralPath "$T/mv-from/[b].txt" 'b'
            Move-Item "$T/mv-from/``[b``].txt" "$T/mv-to/Moved[b].txt"
            "$T/mv-to/Moved``[b``].txt" | Should -FileContentMatchExactly 'b'
        }
        It 'moves into a directory what <Param> selects' -ForEach @(
            @{ Param = 'Include'; Value = 'bar*'; Moved = 'bar.txt' }
            @{ Param = 'Exclude'; Value = 'b*'; Moved = 'foo.txt' }
            @{ Param = 'Filter'; Value = 'bo*'; Moved = 'boo.txt' }
        ) {
            $p = @{ $Param = $Value }
            Move-Item -Path "$T/mv-from/*" -Destination "$T/mv-to" @p -ErrorVariable e -ErrorAction SilentlyContinue
            $e | Should -BeNullOrEmpty
            (Get-ChildItem "$T/mv-to" -Name) -join ',' | Should -BeExactly $Moved
            "$T/mv-to/$Moved" | Should -FileContentMatchExactly ($Moved -replace '\.txt$', ' content')
            (Get-ChildItem "$T/mv-from").Count | Should -Be 2
        }
        It 'renames by moving what <Param> selects' -ForEach @(
            @{ Param = 'Include'; Value = 'bar*'; Moved = 'bar' }
            @{ Param = 'Filter'; Value = 'bo*'; Moved = 'boo' }
        ) {
            $p = @{ $Param = $Value }
            Move-Item -Path "$T/mv-from/*" -Destination "$T/mv-from/move.txt" @p
            "$T/mv-from/move.txt" | Should -FileContentMatchExactly "$Moved content"
            "$T/mv-from/$Moved.txt" | Should -Not -Exist
        }
    }

    Context 'Set-Content, Add-Content, Clear-Content' {
        It 'warns that -Encoding is not used with -AsByteStream' {
            $null = Get-Content -AsByteStream -Encoding Unicode -Path "$T/seed/lines.txt" -WarningVariable w 3>$null
            $w.Message | Should -Match '-AsByteStream'
        }
        It 'creates, replaces and empties content' {
            Set-Content -Path "$T/sc-new.txt" -Value 'sc-new.txt'
            Get-Content "$T/sc-new.txt" | Should -BeExactly 'sc-new.txt'
            Set-Content -Path "$T/seed/dir2.txt" -Value 'ExpectedContent'
            Get-Content "$T/seed/dir2.txt" | Should -BeExactly 'ExpectedContent'
            Set-Content -Path "$T/seed/dir2.txt" -Value $null -ErrorAction Stop
            Get-Content "$T/seed/dir2.txt" | Should -BeNullOrEmpty
            'hello', 'world' | Set-Content "$T/sc-pipe.txt"
            Get-Content "$T/sc-pipe.txt" | Should -BeExactly 'hello', 'world'
        }
        It 'refuses a null path before the provider is asked' {
            { Set-Content -Path $null -Value 'x' -ErrorAction Stop } | Should -Throw -ErrorId 'ParameterArgumentValidationErrorNullNotAllowed,Microsoft.PowerShell.Commands.SetContentCommand'
        }
        It 'adds content with -PassThru, and nothing for $null' {
            Add-Content -Path "$T/seed/dir3.txt" -Value 'ExpectedContent' -PassThru | Should -BeExactly 'ExpectedContent'
            Add-Content -LiteralPath "$T/seed/[test-dir]/../lines.txt" -Value 'sixth'
            (Get-Content "$T/seed/lines.txt")[-1] | Should -BeExactly 'sixth'
            $before = Get-Content "$T/seed/lines.txt"
            { Add-Content -Path "$T/seed/lines.txt" -Value $null -ErrorAction Stop } | Should -Not -Throw
            Get-Content "$T/seed/lines.txt" | Should -BeExactly $before
        }
        It 'clears content, and keeps it with -WhatIf' {
            Set-Content "$T/cc.txt" -Value 'ExpectedContent' -PassThru | Should -BeExactly 'ExpectedContent'
            Clear-Content -Path "$T/cc.txt" -WhatIf
            "$T/cc.txt" | Should -FileContentMatch 'ExpectedContent'
            Clear-Content -Path "$T/cc.txt"
            Get-Content "$T/cc.txt" | Should -BeNullOrEmpty
        }
        It 'reports a missing file as PathNotFound' {
            { Clear-Content -Path "$T/badfilename.txt" -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,Microsoft.PowerShell.Commands.ClearContentCommand'
        }
    }

    Context 'Get-Content' {
        BeforeAll {
            Set-Content "$T/gc-lines.txt" "Here's a first line ", " here's a second line", 'more text', 'just to make sure', "there's plenty to work with"
        }
        It 'refuses a directory' {
            { Get-Content "$T/seed" -ErrorAction Stop } | Should -Throw -ErrorId 'GetContainerContentException,Microsoft.PowerShell.Commands.GetContentCommand'
        }
        It 'gives one string for one line and an array for several' {
            $one = Get-Content "$T/seed/[[]test-dir]/../../gc-lines.txt" -TotalCount 1
            $one | Should -BeExactly "Here's a first line "
            $one | Should -BeOfType [string]
            $many = Get-Content "$T/gc-lines.txt"
            , $many | Should -BeOfType [array]
            $many[1] | Should -BeExactly " here's a second line"
        }
        It 'takes the first lines with -TotalCount, -Head and -First' {
            foreach ($p in 'TotalCount', 'Head', 'First') {
                $r = & { param($n) Get-Content "$T/gc-lines.txt" @n } @{ $p = 2 }
                $r | Should -BeExactly "Here's a first line ", " here's a second line"
            }
            Get-Content "$T/gc-lines.txt" -TotalCount 0 | Should -BeNullOrEmpty
        }
        It 'groups lines with -ReadCount' {
            $r = Get-Content "$T/gc-lines.txt" -TotalCount 3 -ReadCount 2
            $r.Count | Should -Be 2
            $r[0] | Should -BeExactly "Here's a first line ", " here's a second line"
            $r[1] | Should -BeExactly 'more text'
        }
        It 'splits at -Delimiter, keeping it' {
            Set-Content "$T/gc-delim.txt" 'Hello,llllWorlld', 'Hello2,llllWorlld2'
            $r = Get-Content "$T/gc-delim.txt" -Delimiter 'll'
            $r.Count | Should -Be 9
            $r[0] | Should -BeExactly 'He'
            $r[4] | Should -BeExactly "d`nHe"
        }
        It 'reads <Name> in full with -Raw' -ForEach @(
            @{ Name = 'LF-terminated lines'; Text = "a`nb`n" }
            @{ Name = 'CRLF-terminated lines'; Text = "a`r`nb`r`n" }
            @{ Name = 'LF without a last newline'; Text = "a`nb" }
            @{ Name = 'CRLF without a last newline'; Text = "a`r`nb" }
        ) {
            Set-Content -Encoding Ascii -NoNewline "$T/gc-raw.txt" -Value $Text
            Get-Content -Raw "$T/gc-raw.txt" | Should -BeExactly $Text
        }
        It 'gives all lines at once with -ReadCount 0' {
            $r = Get-Content "$T/gc-lines.txt" -TotalCount 3 -ReadCount 0
            $r.Count | Should -Be 3
            $r[2] | Should -BeExactly 'more text'
        }
        It 'warns about -Encoding with -AsByteStream when writing too' {
            [byte[]][char[]]'test' | Set-Content -Encoding Unicode -AsByteStream "$T/gc-bytes.bin" -WarningVariable w 3>$null
            $w.Message | Should -Match '-AsByteStream'
            (Get-Item "$T/gc-bytes.bin").Length | Should -Be 4
        }
        It 'gives nothing for -Raw over no files, and ItemNotFound for a wildcard that matches none' {
            Get-ChildItem "$T/seed" -Filter '*.raw' | Get-Content -Raw | Should -BeNullOrEmpty
            { Get-Content -Path "$T/DoesNotExist*.txt" -ErrorAction Stop } | Should -Throw -ErrorId 'ItemNotFound,Microsoft.PowerShell.Commands.GetContentCommand'
            { Get-Content -Path "$T/DoesNotExist*.txt" -Raw -ErrorAction Stop } | Should -Throw -ErrorId 'ItemNotFound,Microsoft.PowerShell.Commands.GetContentCommand'
        }
    }

    Context 'Get-ItemProperty' {
        BeforeAll { Set-Content "$T/seed/dir2.txt" 'x' }
        It 'reads a directory, a parent and a file, by path and by the gp alias' {
            (Get-ItemProperty "$T/seed/dir2.txt/..").Name | Should -BeExactly 'seed'
            { Get-ItemProperty -Path "$T/seed" } | Should -Not -Throw
            $out = Get-ItemProperty -Path "$T/seed/dir2.txt" -Name FullName
            $out.PSPath | Should -Not -BeNullOrEmpty
            $out.PSDrive | Should -Be $Name
            $alias = gp -Path "$T/seed/dir2.txt" -Name FullName
            $alias.PSPath | Should -Be $out.PSPath
            $alias.PSProvider.Name | Should -Be $out.PSProvider.Name
        }
    }

    Context 'Get-ChildItem' {
        BeforeAll {
            $null = New-Item -ItemType Directory "$T/gci"
            $null = New-Item -Path "$T/gci" -Name 'a-file' -ItemType File
            $null = New-Item -Path "$T/gci" -Name 'B-file' -ItemType File
            $null = New-Item -Path "$T/gci" -Name 'E-dir' -ItemType Directory
            # Hidden on Linux is the dot; setting the attribute on the returned item is harmless.
            $null = New-Item -Path "$T/gci" -Name '.F-hidden' -ItemType File | ForEach-Object { $_.Attributes = 'Hidden' }
        }
        It 'fills Name, Mode and LastWriteTime of each item, and Length of files' {
            $items = Get-ChildItem "$T/gci"
            $items.Count | Should -Be 3
            foreach ($i in $items) {
                $i.Name | Should -Not -BeNullOrEmpty
                $i.Mode | Should -Not -BeNullOrEmpty
                $i.LastWriteTime | Should -BeGreaterThan ([datetime]'2000-01-01')
            }
            $items | Where-Object { -not $_.PSIsContainer } | ForEach-Object Length | Should -Be 0, 0
        }
        It 'lists hidden items with -Force, and only them with -Hidden' {
            (Get-ChildItem "$T/gci" -Force).Count | Should -Be 4
            (Get-ChildItem "$T/gci" -Hidden).Name | Should -BeExactly '.F-hidden'
            (Get-ChildItem "$T/gci/.F-hidden" -Hidden).Name | Should -BeExactly '.F-hidden'
        }
        It 'lists a seeded tree with -Recurse and -Name' {
            (Get-ChildItem "$T/seed/wild" -Recurse -Name | Sort-Object) -join ',' | Should -BeExactly 'duck]],goose],WildCardCommandA'
            Get-ChildItem "$T/seed/dir" -Recurse -Name -ErrorAction SilentlyContinue | Should -BeNullOrEmpty   # removed earlier
        }
    }

    Context 'Resolve-Path' {
        It 'resolves the drive root, with any number of trailing separators' {
            (Resolve-Path "$T/").Path.TrimEnd('/\') | Should -BeExactly $T
            (Resolve-Path -Path "$T\\\\\").Path.TrimEnd('/\') | Should -BeExactly $T
            (Resolve-Path -LiteralPath "$T\\\\\").Path.TrimEnd('/\') | Should -BeExactly $T
        }
        It 'resolves a provider-qualified path to the same provider path' {
            $p = (Resolve-Path "$T/seed").ProviderPath
            $provider = (Get-PSDrive $Name).Provider
            (Resolve-Path "$($provider.ModuleName)\$($provider.Name)::$p").ProviderPath | Should -BeExactly $p
        }
        It 'reports a missing path as PathNotFound' {
            { Resolve-Path "$T/this.directory.is.invalid" -ErrorAction Stop } | Should -Throw -ErrorId 'PathNotFound,Microsoft.PowerShell.Commands.ResolvePathCommand'
        }
    }

    Context 'Copy-Item' {
        It 'copies a file into a directory with its length, write time and attributes' {
            Set-Content "$T/cp-src.txt" 'File test content'
            $null = New-Item -ItemType Directory "$T/cp-dest"
            (Get-Item "$T/cp-src.txt").LastWriteTime = (Get-Date).AddDays(-2)
            Copy-Item -Path "$T/cp-src.txt" -Destination "$T/cp-dest"
            $o = Get-Item "$T/cp-src.txt"; $n = Get-Item "$T/cp-dest/cp-src.txt"
            $n.Length | Should -Be $o.Length
            $n.LastWriteTimeUtc | Should -Be $o.LastWriteTimeUtc
            $n.Attributes | Should -Be $o.Attributes
        }
        It 'copies a seeded tree with -Recurse, files in place' {
            Copy-Item -Path "$T/seed/wild" -Destination "$T/cp-dest" -Recurse
            (Get-ChildItem "$T/cp-dest/wild" -Name | Sort-Object) -join ',' | Should -BeExactly ((Get-ChildItem "$T/seed/wild" -Name | Sort-Object) -join ',')
        }
    }
}
