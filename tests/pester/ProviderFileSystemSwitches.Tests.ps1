# The FileSystem provider's own dynamic parameters that users reach for on an Overlay drive:
# Get-ChildItem -FollowSymlink and Test-Path -OlderThan/-NewerThan.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Dir = New-TestDir 'ovlps-fsswitch'
    # lower1 over lower2: real dirs a/ and c/, links b -> c and z -> a, and a loop a/sub/up -> ..
    $script:Stack = New-LayerStack -Root $Dir -UserXattr:([OverlayPS.Core.Layers.LayerStack]::DefaultUserXattr) -Description @'
lower2 file /a/sub/f  one
lower2 file /c/sub/g  two
lower1 link /b        c
lower1 link /z        a
lower1 link /a/sub/up ..
lower1 link /gone     nowhere
'@
    $null = New-PSDrive -Name fsw -PSProvider Overlay -Root / -LowerDir $Stack.Lowers -UpperDir $Stack.Upper -WorkDir $Stack.Work
}
AfterAll {
    Remove-PSDrive fsw -Force -ErrorAction Ignore
    Remove-Item $Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'Get-ChildItem -Recurse -FollowSymlink on an Overlay drive' {
    It 'without the switch, does not walk into symlinked directories' {
        $names = Get-ChildItem fsw:/ -Recurse | ForEach-Object UnionPath
        $names | Should -Contain '/a/sub/f'
        $names | Should -Not -Contain '/b/sub'
        $names | Should -Not -Contain '/a/sub/up/sub'
    }

    It 'walks each directory once, through real dirs or links, and warns for the rest' {
        $names = Get-ChildItem fsw:/ -Recurse -FollowSymlink -WarningVariable w -WarningAction SilentlyContinue |
            ForEach-Object UnionPath
        # Real dirs are walked first (a, c); b and z reach dirs already walked, as does the loop.
        $names | Sort-Object | Should -Be @('/a', '/a/sub', '/a/sub/f', '/a/sub/up', '/b', '/c', '/c/sub', '/c/sub/g', '/gone', '/z')
        @($w).Count | Should -Be 3
        $w.Message | Should -Contain 'Skip already-visited directory fsw:/a/sub/up.'
        $w.Message | Should -Contain 'Skip already-visited directory fsw:/b.'
        $w.Message | Should -Contain 'Skip already-visited directory fsw:/z.'
    }

    It 'shows a linked tree under the link''s name when only the link reaches it' {
        $names = Get-ChildItem fsw:/b -Recurse -FollowSymlink | ForEach-Object UnionPath
        $names | Should -Be @('/b/sub', '/b/sub/g')
    }

    It 'honours -Depth' {
        $names = Get-ChildItem fsw:/z -Recurse -Depth 0 -FollowSymlink | ForEach-Object UnionPath
        $names | Should -Be @('/z/sub')
    }
}

Describe 'Test-Path -OlderThan and -NewerThan on an Overlay drive' {
    BeforeAll {
        $script:Host1 = "$($Stack.Lowers[1])/a/sub/f"
        [IO.File]::SetLastWriteTime($Host1, [datetime]'2020-06-01 12:00')
    }

    It 'answers as the FileSystem provider does for the same file, for <When>' -ForEach @(
        @{ When = 'older than now'; Params = @{ OlderThan = (Get-Date) } }
        @{ When = 'newer than now'; Params = @{ NewerThan = (Get-Date) } }
        @{ When = 'older than 2019'; Params = @{ OlderThan = [datetime]'2019-01-01' } }
        @{ When = 'newer than 2019'; Params = @{ NewerThan = [datetime]'2019-01-01' } }
        @{ When = 'between 2019 and 2021'; Params = @{ NewerThan = [datetime]'2019-01-01'; OlderThan = [datetime]'2021-01-01' } }
        @{ When = 'a UTC bound just after it'; Params = @{ OlderThan = ([datetime]'2020-06-01 12:00:01').ToUniversalTime() } }
    ) {
        $expected = Test-Path -LiteralPath $Host1 @Params
        Test-Path fsw:/a/sub/f @Params | Should -Be $expected
    }

    It 'is false for a missing item whatever the bounds' {
        Test-Path fsw:/a/missing -OlderThan (Get-Date) | Should -BeFalse
    }

    It 'takes the copied-up file''s time once it was written' {
        [IO.File]::SetLastWriteTime("$($Stack.Lowers[1])/c/sub/g", [datetime]'2020-06-01 12:00')
        Test-Path fsw:/c/sub/g -NewerThan (Get-Date).AddMinutes(-5) | Should -BeFalse
        Set-Content fsw:/c/sub/g 'changed'
        Test-Path fsw:/c/sub/g -NewerThan (Get-Date).AddMinutes(-5) | Should -BeTrue
        Test-Path "$($Stack.Lowers[1])/c/sub/g" -NewerThan (Get-Date).AddMinutes(-5) | Should -BeFalse
    }
}
