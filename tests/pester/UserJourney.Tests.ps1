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
        $blocks.Count | Should -Be 4
        # Their /tmp paths move into this test's own dir; nothing else is changed.
        $code = ($blocks -join "`n").Replace('/tmp/', "$ReadmeDir/")
        $out = & ([scriptblock]::Create($code)) 2>&1
        @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) -join "`n" | Should -BeNullOrEmpty
        # What the examples say they do.
        $out[-1] | Should -Be 'web1'                                        # Get-OverlayContent -Tail 1
        [IO.File]::ReadAllText("$ReadmeDir/e/up/etc/hostname") | Should -Be 'hi'   # the engine's write
        [OverlayPS.Core.Posix.Files]::LStat("$ReadmeDir/e/up/etc/motd").IsCharDevice00 | Should -BeTrue
        [OverlayPS.Core.Posix.Files]::LStat("$ReadmeDir/l/up/etc/motd").IsCharDevice00 | Should -BeTrue
        Get-Content "$ReadmeDir/etc-merged/hostname" | Should -Be 'web1'
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

    It 'refuses to copy a file onto a symlink to itself' {
        Assert-RootOrSkip 'building whiteouts'
        Copy-Item jr:/usr/bin/tool jr:/usr/bin/tool-latest -ErrorAction SilentlyContinue -ErrorVariable e
        $e.Count | Should -Be 1
        Get-Content jr:/usr/bin/tool | Should -Be 'v1'
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
}
