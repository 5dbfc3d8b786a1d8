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

    It 'reports a dangling link whose target cannot be created, and creates one that can be' {
        Assert-RootOrSkip
        New-Item bi:/dangling -ItemType SymbolicLink -Value /nodir/file | Out-Null
        New-Item bi:/creatable -ItemType SymbolicLink -Value made | Out-Null
        Set-Content bi:/dangling x -ErrorAction SilentlyContinue -ErrorVariable e
        Assert-CleanError $e 'PathNotFound' 'bi:/dangling'
        Set-Content bi:/creatable 'through the link'
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
        $e.Count | Should -Be 6
        Assert-CleanError $e 'ErrnoENAMETOOLONG'
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
            tar --xattrs --xattrs-include='trusted.*' --numeric-owner -xzf "$RepoRoot/tests/fixtures/docker-overlay2/store.tar.gz" -C $DW
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
        Assert-CleanError $e 'containerNotFound' 'nosuch'
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
