# What a newcomer does first: the README's examples as written, and the everyday habits of
# the FileSystem provider (copying a file onto itself, a typo in a destination, printing items
# in a script) on an Overlay drive. Each case here was a bug found by following the README.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    . "$PSScriptRoot/ProviderHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Here = Get-Location
}
AfterAll { Set-Location $Here }

Describe 'The README examples' {
    BeforeAll { $script:ReadmeDir = New-TestDir 'ovlps-readme' }
    AfterAll {
        Remove-PSDrive my, ov -Force -ErrorAction Ignore
        Remove-Item $ReadmeDir -Recurse -Force -ErrorAction Ignore
    }

    It 'of the demo drive, the engine and the Overlay drive run as written, without an error' {
        Assert-RootOrSkip 'trusted.* overlay markers'
        $readme = Get-Content -Raw "$RepoRoot/README.md"
        $start = $readme.IndexOf('## The demo drive')
        $end = $readme.IndexOf('## Kernel mounts')
        $blocks = [regex]::Matches($readme.Substring($start, $end - $start), '(?s)```powershell\n(.*?)```') |
            ForEach-Object { $_.Groups[1].Value }
        $blocks.Count | Should -Be 7
        # Their /tmp paths move into this test's own dir; nothing else is changed.
        $code = ($blocks -join "`n").Replace('/tmp/', "$ReadmeDir/")
        $out = & ([scriptblock]::Create($code)) 2>&1
        @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) -join "`n" | Should -BeNullOrEmpty
        # What the examples say they do.
        $out | Should -Contain 'web1'                                       # Get-OverlayContent -Tail 1
        $out | Should -Contain 'hello from below'                           # the -RedirectDir rename
        [OverlayPS.Core.Posix.Xattrs]::GetString("$ReadmeDir/rd/up/etc.old", 'trusted.overlay.redirect') | Should -Be 'etc'
        [IO.File]::ReadAllText("$ReadmeDir/e/up/etc/hostname") | Should -Be 'hi'   # the engine's write
        [OverlayPS.Core.Posix.Files]::LStat("$ReadmeDir/e/up/etc/motd").IsCharDevice00 | Should -BeTrue
        [OverlayPS.Core.Posix.Files]::LStat("$ReadmeDir/l/up/etc/motd").IsCharDevice00 | Should -BeTrue
        Get-Content "$ReadmeDir/etc-merged/hostname" | Should -Be 'web1'
        # Settable item properties: the old stamp tested True and is gone; hostname got its time.
        $out | Should -Contain $true
        Test-Path "$ReadmeDir/l/up/etc/build-stamp" | Should -BeFalse
        [OverlayPS.Core.Posix.Files]::LStat("$ReadmeDir/l/up/etc/hostname").MTimeUtc.Year | Should -Be 2001
        # The stand-ins for redirection, Export-Csv, Import-Csv and Select-String -Path.
        Get-Content "$ReadmeDir/l/up/listing.txt" -Raw | Should -Match '(?s)Directory: ov:/etc.*hostname.*one more line'
        ($out | Where-Object { $_.PSObject.Properties['Name'] -and $_.PSObject.Properties['Length'] -and $_ -isnot [OverlayPS.Items.OverlayItem] }).Name |
            Should -Contain 'hostname'                                      # ConvertFrom-Csv of the CSV
        ($out | Where-Object { $_ -is [Microsoft.PowerShell.Commands.MatchInfo] }).Line | Should -Be 'web1'
        ($out | Where-Object { $_.PSObject.Properties['Algorithm'] }).Hash |
            Should -Be (Get-FileHash "$ReadmeDir/l/up/etc/hostname").Hash
    }
}

Describe 'FileSystem habits on an Overlay drive' {
    BeforeEach {
        $d = New-TestDir 'ovlps-journey'
        if ($IsRoot) { $s = New-ProviderDrive -Name jr -Root $d }
    }
    AfterEach {
        Set-Location $Here
        Remove-ProviderDrive jr $d
    }

    It 'refuses to copy a file onto itself and keeps its content' {
        Assert-RootOrSkip 'building whiteouts'
        Copy-Item jr:/etc/hostname jr:/etc/hostname -ErrorVariable e -ErrorAction SilentlyContinue
        $e.Count | Should -Be 1
        $e[0].FullyQualifiedErrorId | Should -BeLike 'CopyError*'
        $e[0].CategoryInfo.Category | Should -Be 'WriteError'
        Get-Content jr:/etc/hostname | Should -Be 'upper-host'
        # Into its own directory, and from there by a relative path: the same file.
        Set-Location jr:/etc
        Copy-Item os-release . -ErrorAction SilentlyContinue
        Copy-Item jr:/etc/os-release jr:/etc -ErrorAction SilentlyContinue
        Get-Content jr:/etc/os-release -Raw | Should -Be "NAME=Demo`nVERSION=1`nID=demo`n"
        (Get-Item jr:/etc/os-release).Layer | Should -Be 'lower2'   # not even copied up
    }

    It 'refuses to copy a file onto a symlink to itself, or onto a hard link of it' {
        Assert-RootOrSkip 'building whiteouts'
        Copy-Item jr:/usr/bin/tool jr:/usr/bin/tool-latest -ErrorAction SilentlyContinue -ErrorVariable e
        $e.Count | Should -Be 1
        Get-Content jr:/usr/bin/tool | Should -Be 'v1'
        New-Item -ItemType HardLink jr:/home/user/hard -Value jr:/home/user/notes.txt | Out-Null
        Copy-Item jr:/home/user/notes.txt jr:/home/user/hard -ErrorAction SilentlyContinue -ErrorVariable h
        $h[0].FullyQualifiedErrorId | Should -BeLike 'CopyError*'
        Get-Content jr:/home/user/notes.txt | Should -Be 'notes'      # was emptied: both names, one inode
    }

    It 'refuses Copy-OverlayItem of a file onto itself: same path, its own dir, or its real path on the host' {
        Assert-RootOrSkip 'building whiteouts'
        Copy-OverlayItem jr:/home/user/notes.txt -Destination jr:/home/user/notes.txt -Force -ErrorAction SilentlyContinue -ErrorVariable e1
        Copy-OverlayItem jr:/home/user/notes.txt -Destination jr:/home/user -Force -ErrorAction SilentlyContinue -ErrorVariable e2
        Copy-OverlayItem jr:/etc/os-release -Destination (Get-Item jr:/etc/os-release).RealPath -Force -ErrorAction SilentlyContinue -ErrorVariable e3
        Set-Content "$d/host.txt" 'hostdata'
        Copy-OverlayItem "$d/host.txt" -Destination "$d/host.txt" -Force -ErrorAction SilentlyContinue -ErrorVariable e4
        @($e1; $e2; $e3; $e4).Count | Should -Be 4
        "$($e1[0])" | Should -Match 'same file'
        Get-Content jr:/home/user/notes.txt | Should -Be 'notes'
        Get-Content jr:/etc/os-release -Raw | Should -Be "NAME=Demo`nVERSION=1`nID=demo`n"
        Get-Content "$d/host.txt" | Should -Be 'hostdata'
    }

    It 'names the destination when its directory is missing (Copy-Item, Move-Item)' {
        Assert-RootOrSkip 'building whiteouts'
        Copy-Item jr:/etc/hostname jr:/nodir/x -ErrorAction SilentlyContinue -ErrorVariable ce
        Move-Item jr:/etc/hostname jr:/nodir/y -ErrorAction SilentlyContinue -ErrorVariable me
        "$($ce[0])" | Should -Match 'jr:/nodir/x'
        "$($me[0])" | Should -Match 'jr:/nodir/y'
        $ce[0].TargetObject | Should -Be 'jr:/nodir/x'
        $ce[0].CategoryInfo.Category | Should -Be 'WriteError'
        Test-Path jr:/etc/hostname | Should -BeTrue
    }

    It 'names the item in the way when Move-Item or Rename-Item meets an existing name' {
        Assert-RootOrSkip 'building whiteouts'
        Move-Item jr:/data/csv.txt jr:/data/numbers.txt -ErrorAction SilentlyContinue -ErrorVariable me
        Rename-Item jr:/data/csv.txt numbers.txt -ErrorAction SilentlyContinue -ErrorVariable re
        "$($me[0])" | Should -Match 'jr:/data/numbers\.txt'
        "$($re[0])" | Should -Match 'jr:/data/numbers\.txt'
        $re[0].FullyQualifiedErrorId | Should -BeLike 'ItemExists*'
        Get-Content jr:/data/csv.txt | Should -Be 'a,b,c,'
    }

    It 'renames an item to its own name as a no-op, as the FileSystem provider does' {
        Assert-RootOrSkip 'building whiteouts'
        $r = Rename-Item jr:/home/user/notes.txt notes.txt -PassThru -ErrorVariable e
        $e.Count | Should -Be 0
        $r.Name | Should -Be 'notes.txt'
        Get-Content jr:/home/user/notes.txt | Should -Be 'notes'
    }

    It 'prints an item that follows other output in a script with a few columns, not the engine record' {
        Assert-RootOrSkip 'building whiteouts'
        $text = & { New-Object System.Management.Automation.PSDriveInfo 'x', (Get-PSProvider FileSystem), '/', '', $null
            Get-Item jr:/etc/hostname } | Out-String
        $text | Should -Match 'Layer\s*:\s*upper'
        $text | Should -Not -Match 'Entry|UnionEntry|Timespec|RealPath'
    }

    It 'copies a tree with -Exclude and -Filter applied to the files inside, as FileSystem does' {
        Assert-RootOrSkip 'building whiteouts'
        New-Item -ItemType Directory jr:/src/logdir, jr:/src/sub | Out-Null
        'a', 'b' | ForEach-Object { Set-Content "jr:/src/$_.txt" $_; Set-Content "jr:/src/sub/$_.log" $_ }
        Set-Content jr:/src/logdir/f.txt f
        Copy-Item jr:/src jr:/x1 -Recurse -Exclude '*.log', 'log*'
        (Get-ChildItem jr:/x1 -Recurse -Name | Sort-Object) -join ',' | Should -Be 'a.txt,b.txt,logdir,logdir/f.txt,sub'
        Copy-Item jr:/src jr:/x2 -Recurse -Filter 'b*'
        (Get-ChildItem jr:/x2 -Recurse -Name | Sort-Object) -join ',' | Should -Be 'b.txt,logdir,sub,sub/b.log'
    }

    It 'has BaseName and Extension, so Rename-Item -NewName { $_.BaseName + ''.log'' } works' {
        Assert-RootOrSkip 'building whiteouts'
        $i = Get-Item jr:/data/numbers.txt
        "$($i.BaseName)|$($i.Extension)|$($i.DirectoryName)" | Should -Be 'numbers|.txt|jr:/data'
        (Get-Item jr:/etc).BaseName | Should -Be 'etc'
        Get-ChildItem jr:/data | Rename-Item -NewName { $_.BaseName + '.log' }
        (Get-ChildItem jr:/data -Force).Name | Sort-Object | Should -Be @('csv.log', 'numbers.log')
    }

    It 'sets a Mode given as chmod digits, quoted or not' {
        Assert-RootOrSkip 'building whiteouts'
        Set-ItemProperty jr:/etc/hostname -Name Mode -Value 640
        (Get-Item jr:/etc/hostname).Mode | Should -Be '-rw-r-----'
        Set-ItemProperty jr:/etc/hostname -Name Mode -Value '0600'
        (Get-Item jr:/etc/hostname).Mode | Should -Be '-rw-------'
        Set-ItemProperty jr:/etc/hostname -Name Mode -Value (Get-Item jr:/etc/os-release).ModeBits
        (Get-Item jr:/etc/hostname).Mode | Should -Be '-rw-r--r--'
    }

    It 'sums file sizes only with Measure-Object Length, as directories have no Length' {
        Assert-RootOrSkip 'building whiteouts'
        $m = Get-ChildItem jr:/ -Recurse | Measure-Object -Property Length -Sum
        $files = Get-ChildItem jr:/ -Recurse -File
        $m.Count | Should -Be $files.Count
        $m.Sum | Should -Be (($files | ForEach-Object Length) | Measure-Object -Sum).Sum
        (Get-Item jr:/etc).PSObject.Properties['Length'] | Should -BeNullOrEmpty
        (Get-Item jr:/etc/hostname).Length | Should -Be 10
        Get-Item jr:/etc/hostname | Should -BeOfType [OverlayPS.Items.OverlayItem]
        Get-ItemProperty jr:/etc -Name Length -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        $e.Count | Should -Be 1
    }

    It 'lists every property with Format-List * and ConvertTo-Json without the engine record' {
        Assert-RootOrSkip 'building whiteouts'
        $item = Get-Item jr:/etc/hostname
        $text = $item | Format-List * | Out-String
        $text | Should -Match 'Layer\s*:\s*upper'
        $text | Should -Not -Match 'UnionEntry|Timespec|OverlayPS\.'
        $item.UnionPath | Should -Be '/etc/hostname'
        # PSDrive/PSProvider are PowerShell's own (deep on every provider's items, FileSystem's too).
        $json = $item | Select-Object * -ExcludeProperty PSDrive, PSProvider | ConvertTo-Json -WarningVariable w
        $w | Should -BeNullOrEmpty
        $json | Should -Not -Match 'Entry|Timespec|"Kind": \d'
    }

    It 'keeps appending in the encoding a file''s BOM names (Add-Content on a UTF-16 file)' {
        Assert-RootOrSkip 'building whiteouts'
        Set-Content jr:/u16.txt 'hé' -Encoding unicode
        Add-Content jr:/u16.txt 'x'
        Add-Content jr:/u16.txt 'y' -Encoding utf8NoBOM   # the FileSystem provider keeps the BOM's encoding here too
        Get-Content jr:/u16.txt | Should -Be @('hé', 'x', 'y')
        (Get-Content jr:/u16.txt -AsByteStream -Raw) -join ',' | Should -Be '255,254,104,0,233,0,10,0,120,0,10,0,121,0,10,0'
    }

    It 'says Clear-Content works on files only, as the FileSystem provider does, for a directory' {
        Assert-RootOrSkip 'building whiteouts'
        Clear-Content jr:/etc -ErrorAction SilentlyContinue -ErrorVariable e
        $e[0].FullyQualifiedErrorId | Should -BeLike 'ClearDirectoryContent*'
        $e[0].CategoryInfo.Category | Should -Be 'InvalidOperation'
    }

    It 'hides a dot-file named outright from Get-Item unless -Force (or Get-ChildItem -Hidden)' {
        Assert-RootOrSkip 'building whiteouts'
        Get-Item jr:/usr/bin/.hidden-tool -ErrorAction SilentlyContinue -ErrorVariable e | Should -BeNullOrEmpty
        $e[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
        (Get-Item jr:/usr/bin/.hidden-tool -Force).Name | Should -Be '.hidden-tool'
        (Get-ChildItem jr:/usr/bin/.hidden-tool -Hidden).Name | Should -Be '.hidden-tool'
        Get-Content jr:/usr/bin/.hidden-tool | Should -Be 'hidden'     # reading it needs no -Force
    }
}

Describe 'Tab completion on an Overlay drive' {
    BeforeAll {
        $script:TabDir = New-TestDir 'ovlps-tab'
        if ($IsRoot) { $null = New-ProviderDrive -Name tb -Root $TabDir }
        function Complete([string] $line) {
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches
        }
    }
    AfterAll {
        Set-Location $Here
        Remove-ProviderDrive tb $TabDir
    }
    AfterEach { Set-Location $Here }

    It 'completes names under a drive path, directories as containers' {
        Assert-RootOrSkip 'building whiteouts'
        $m = Complete 'Get-ChildItem tb:/e'
        $m.CompletionText | Should -Be 'tb:/etc'
        $m.ResultType | Should -Be 'ProviderContainer'
        (Complete 'Get-Content tb:/etc/h').CompletionText | Should -Be 'tb:/etc/hostname'
    }

    It 'quotes and escapes names with spaces and brackets' {
        Assert-RootOrSkip 'building whiteouts'
        (Complete 'Get-Content tb:/names/s').CompletionText | Should -Be "'tb:/names/sp ace ``[x``].txt'"
        (Complete 'Get-Content -LiteralPath tb:/names/s').CompletionText | Should -Be "'tb:/names/sp ace [x].txt'"
    }

    It 'completes relative paths after Set-Location into the drive, up through ..' {
        Assert-RootOrSkip 'building whiteouts'
        Set-Location tb:/etc
        (Complete 'Get-Content h').CompletionText | Should -Be './hostname'
        # This threw "StartIndex cannot be less than zero" inside TabExpansion2: the drive's
        # NormalizeRelativePath gave "" for the current dir where FileSystem gives "../etc".
        (Complete 'Get-ChildItem ../u').CompletionText | Should -Be '../usr'
        (Complete 'Get-ChildItem ../').CompletionText | Should -Contain '../etc'
    }
}

Describe 'Tab completion of overlay mount points' {
    It 'offers the mount points of Dismount-Overlay, quoted when they hold a space' {
        Assert-RootOrSkip 'a kernel overlay mount'
        $dir = New-TestDir 'ovlps-tab-mnt'
        New-Item -ItemType Directory "$dir/l1", "$dir/l2", "$dir/m nt" | Out-Null
        Mount-Overlay -Path "$dir/m nt" -LowerDir "$dir/l1", "$dir/l2"
        try {
            # Only the mount point, not the layer dirs beside it (what file completion offers).
            $line = "Dismount-Overlay $dir/"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
                Should -Be "'$dir/m nt'"
            $line = "Dismount-Overlay $dir/x"
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
                Should -BeNullOrEmpty
        }
        finally {
            Dismount-Overlay "$dir/m nt"
            Remove-Item $dir -Recurse -Force
        }
    }
}

Describe 'Errors on a read-only drive say what was refused' {
    BeforeAll {
        $script:RoDir = New-TestDir 'ovlps-journey-ro'
        if ($IsRoot) { $null = New-ProviderDrive -Name jro -Root $RoDir -ReadOnly }
    }
    AfterAll { Remove-ProviderDrive jro $RoDir }

    It 'in plain words: write to, create, remove' {
        Assert-RootOrSkip 'building whiteouts'
        Set-Content jro:/etc/hostname x -ErrorAction SilentlyContinue -ErrorVariable e1
        New-Item jro:/new.txt -ErrorAction SilentlyContinue -ErrorVariable e2
        Remove-Item jro:/etc/hostname -ErrorAction SilentlyContinue -ErrorVariable e3
        "$($e1[0])" | Should -BeLike "Cannot write to 'jro:/etc/hostname': the Overlay drive is read-only*"
        "$($e2[0])" | Should -BeLike "Cannot create 'jro:/new.txt': the Overlay drive is read-only*"
        "$($e3[0])" | Should -BeLike "Cannot remove 'jro:/etc/hostname': the Overlay drive is read-only*"
    }
}
