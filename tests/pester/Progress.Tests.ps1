# Write-Progress on the operations that can run for seconds: the records each writes (read from
# a nested pipeline's Progress stream, which a console hides), from the first item to the end.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Dir = New-TestDir 'ovlps-progress'
    foreach ($d in 'l1/tree/sub', 'u', 'w', 'host/src/sub') { New-Item -ItemType Directory "$Dir/$d" -Force | Out-Null }
    Set-Content "$Dir/l1/tree/a" 'a'
    Set-Content "$Dir/l1/tree/sub/b" 'bb'
    Set-Content "$Dir/host/src/c" 'ccc'
    Set-Content "$Dir/host/src/sub/d" 'dddd'
    $null = New-PSDrive -Name prg -PSProvider Overlay -Root / -LowerDir "$Dir/l1" -UpperDir "$Dir/u" -WorkDir "$Dir/w"

    # Runs a command line in a runspace of its own (this one's progress goes to the host) over
    # the same layers, and returns its progress records.
    function Get-ProgressOf([string] $Command) {
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$Manifest'
                `$null = New-PSDrive -Name prg -PSProvider Overlay -Root / -LowerDir '$Dir/l1' -UpperDir '$Dir/u' -WorkDir '$Dir/w'
                $Command").Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            @($ps.Streams.Progress)
        }
        finally { $ps.Dispose() }
    }

    function Assert-OneBar($records, [string] $Activity, [string] $Verb = 'Copied') {
        $records.Count | Should -BeGreaterThan 1
        $records.Activity | Select-Object -Unique | Should -Be $Activity
        $records.ActivityId | Select-Object -Unique | Should -HaveCount 1
        $records[0].StatusDescription | Should -Match "^$Verb \d+ items"
        $records[0].CurrentOperation | Should -Not -BeNullOrEmpty
        $records[-1].RecordType | Should -Be 'Completed'
        @($records | Where-Object RecordType -eq 'Completed').Count | Should -Be 1
    }
}
AfterAll {
    Remove-PSDrive prg -ErrorAction Ignore
    Remove-Item $Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'Progress of long operations' {
    It 'Copy-OverlayItem -Recurse shows a bar and closes it' {
        $r = Get-ProgressOf "Copy-OverlayItem '$Dir/host/src' prg:/copied -Recurse"
        Assert-OneBar $r 'Copy-OverlayItem'
        Test-Path prg:/copied/sub/d | Should -BeTrue
    }

    It 'Copy-Item -Recurse inside a drive shows a bar and closes it' {
        $r = Get-ProgressOf 'Copy-Item prg:/tree prg:/tree-copy -Recurse'
        Assert-OneBar $r 'Copy-Item'
        Test-Path prg:/tree-copy/sub/b | Should -BeTrue
    }

    It 'Remove-Item -Recurse of a tree shows a bar and closes it' {
        foreach ($i in 1..30) { $null = New-Item "$Dir/l1/gone/d$($i % 3)/f$i" -Value $i -Force }
        $r = Get-ProgressOf 'Remove-Item prg:/gone -Recurse'
        Assert-OneBar $r 'Remove-Item' 'Removed'
        Test-Path prg:/gone | Should -BeFalse
    }

    It 'Move-Item of a lower directory (file by file) shows a bar and closes it' {
        $r = Get-ProgressOf 'Move-Item prg:/tree prg:/tree-moved'
        Assert-OneBar $r 'Move-Item' 'Moved'
        Test-Path prg:/tree | Should -BeFalse
    }

    It 'Get-OverlayChange shows its scan of the layer and closes the bar' {
        Assert-RootOrSkip 'the Docker fixture'
        Expand-DockerFixture $Dir
        $r = Get-ProgressOf "Get-OverlayChange -Store '$Dir/docker' c-ran"
        Assert-OneBar $r 'Get-OverlayChange' 'Scanned'
    }

    It 'says nothing when there is nothing to show' {
        Get-ProgressOf 'Get-Item prg:/tree-moved' | Should -BeNullOrEmpty
    }
}
