# Names that are not UTF-8 (a lone 0x80-0xFF byte) through the drive: listed with the escape
# `u{DCxx} that also types them back, read, copied up, renamed and removed, byte-exact on disk.
# And a move out of a read-only drive refused before anything is copied.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    # The raw bytes of every name in a directory, one hex line per name, sorted.
    function Get-RawNames([string] $dir) {
        @(bash -c "cd '$dir' && for f in * .[!.]*; do [ -e `"`$f`" ] || [ -L `"`$f`" ] && printf '%s' `"`$f`" | od -An -tx1 | tr -d ' \n' && echo; done" |
            Where-Object { $_ }) | Sort-Object
    }
}

Describe 'Names that are not UTF-8' {
    BeforeEach {
        $script:B = New-TestDir 'ovlps-raw'
        foreach ($d in 'l1', 'up', 'work') { New-Item -ItemType Directory "$B/$d" | Out-Null }
        bash -c "cd '$B/l1' && printf b > `$'bad\xff' && printf p > plain && mkdir `$'dir\xfe' && printf i > `$'dir\xfe/in\x80' && ln -s `$'t\xff\xfe' `$'lnk\xc0'"
        $null = New-PSDrive -Name raw -PSProvider Overlay -Root / -LowerDir "$B/l1" -UpperDir "$B/up" -WorkDir "$B/work"
    }
    AfterEach {
        Remove-PSDrive raw -ErrorAction Ignore
        Remove-Item -LiteralPath $B -Recurse -Force -ErrorAction Ignore
    }

    It 'lists them, shows each odd byte as `u{DCxx} and finds them typed that way' {
        Assert-RootOrSkip
        $names = (Get-ChildItem raw:/).Name
        $names | Should -Contain "bad`u{DCFF}"
        $names | Should -Contain "dir`u{DCFE}"
        $shown = Get-ChildItem raw:/ | Out-String -Width 200
        $shown | Should -Match ([regex]::Escape('bad`u{DCFF}'))
        $shown | Should -Match ([regex]::Escape('lnk`u{DCC0} -> t`u{DCFF}`u{DCFE}'))
        Get-Content -LiteralPath "raw:/bad`u{DCFF}" | Should -Be 'b'
        (Get-Item -LiteralPath "raw:/lnk`u{DCC0}").Target | Should -Be "t`u{DCFF}`u{DCFE}"
    }

    It 'writes, renames and removes them byte for byte on disk' {
        Assert-RootOrSkip
        Add-Content -LiteralPath "raw:/bad`u{DCFF}" 'x' -NoNewline
        Rename-Item -LiteralPath raw:/plain -NewName "re`u{DCFE}"
        Remove-Item -LiteralPath "raw:/dir`u{DCFE}" -Recurse
        # What the upper holds, as bytes: the copied-up file, the renamed one, whiteouts.
        Get-RawNames "$B/up" | Should -Be (@('626164ff', '646972fe', '706c61696e', '7265fe') | Sort-Object)
        bash -c "cat `$'$B/up/bad\xff'" | Should -Be 'bx'
        # A new drive over the same dirs opens and sees the same tree (nothing left in work).
        Remove-PSDrive raw
        $null = New-PSDrive -Name raw -PSProvider Overlay -Root / -LowerDir "$B/l1" -UpperDir "$B/up" -WorkDir "$B/work"
        (Get-ChildItem raw:/).Name | Sort-Object | Should -Be (@("bad`u{DCFF}", "lnk`u{DCC0}", "re`u{DCFE}") | Sort-Object)
        Get-ChildItem "$B/work/work" -Force | Should -BeNullOrEmpty
    }
}

Describe 'A move out of a read-only drive' {
    It 'is refused before anything reaches the destination' {
        Assert-RootOrSkip
        $B = New-TestDir 'ovlps-romove'
        try {
            foreach ($d in 'ro/d', 'rwl', 'up', 'work') { New-Item -ItemType Directory "$B/$d" -Force | Out-Null }
            Set-Content "$B/ro/d/f" 'data'
            $null = New-PSDrive -Name rom -PSProvider Overlay -Root / -LowerDir "$B/ro"
            $null = New-PSDrive -Name rwm -PSProvider Overlay -Root / -LowerDir "$B/rwl" -UpperDir "$B/up" -WorkDir "$B/work"
            Move-Item rom:/d rwm:/moved -ErrorAction SilentlyContinue -ErrorVariable e
            Assert-CleanError $e
            $e[0].FullyQualifiedErrorId | Should -BeLike 'ReadOnlyOverlay,*'
            Test-Path rwm:/moved | Should -BeFalse
            Get-ChildItem "$B/up" -Force | Should -BeNullOrEmpty
            Get-Content rom:/d/f | Should -Be 'data'
        }
        finally {
            Remove-PSDrive rom, rwm -ErrorAction Ignore
            Remove-Item -LiteralPath $B -Recurse -Force -ErrorAction Ignore
        }
    }
}
