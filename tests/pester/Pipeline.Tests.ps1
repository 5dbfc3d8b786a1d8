# Objects that pipe, serialize and travel: every object of the Docker cmdlets carries its store
# and whole ids, pipes into the next cmdlet with no repeated -Store, comes back from
# Export-Clixml/Import-Clixml (what jobs and remoting hand over) still usable, and is plain
# data for ConvertTo-Json. Against the Docker fixture store.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Fixtures = Join-Path $RepoRoot 'tests/fixtures'
    $script:Work = New-TestDir 'ovlps-pipe'
    $script:Store = Join-Path $Work 'docker'
    if ($IsRoot) {
        Expand-DockerFixture $Work
    }
    $script:Truth = "$Fixtures/docker-overlay2/ground-truth"
    # Round trip through the serializer remoting and jobs use.
    function script:Roundtrip($o) {
        $f = Join-Path $Work "rt-$([guid]::NewGuid().ToString('N')).xml"
        $o | Export-Clixml $f
        Import-Clixml $f
    }
    function script:ChangeLines($changes) { @($changes | ForEach-Object { "$($_.Kind) $($_.Path)" } | Sort-Object) }
}
AfterAll {
    Set-Location $RepoRoot
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Every object names the store it came from' {
    It 'carries Store and StoreKind on <_>' -ForEach @(
        'Get-OverlayImage', 'Get-OverlayContainer', 'Get-OverlayLayer', 'Get-OverlayChange c-ran',
        'Get-OverlayPathHistory -Image app:1.0 /etc/motd', 'Measure-OverlayImage base', 'Measure-OverlayImage app:1.0 -ListFiles', 'Test-OverlayStore(damaged)') {
        Assert-RootOrSkip 'the Docker fixture'
        $from = $Store
        if ($_ -eq 'Test-OverlayStore(damaged)') {
            $from = Join-Path $Work 'damaged'
            cp -a $Store $from
            New-Item -ItemType Directory "$from/overlay2/$('d' * 64)/diff" | Out-Null
            $out = Test-OverlayStore -Store $from
        }
        else {
            $cmd, $rest = $_ -split ' ', 2
            $out = Invoke-Expression "$cmd -Store '$from' $rest"
        }
        @($out).Count | Should -BeGreaterThan 0
        $out | ForEach-Object {
            $_.Store | Should -Be $from
            "$($_.StoreKind)" | Should -Be 'DockerOverlay2'
        }
    }
}

Describe 'Objects pipe into the next cmdlet with no repeated -Store' {
    BeforeEach { Set-Location $RepoRoot }   # not the store's parent: a relative default would not find it

    It 'gives a container''s 14 layers (not its image''s 12), and an image''s layers' {
        Assert-RootOrSkip 'the Docker fixture'
        $layers = Get-OverlayContainer -Store $Store c-ran | Get-OverlayLayer
        $layers.Count | Should -Be 14
        @($layers.CacheId) | Should -Be @((Get-OverlayLayer -Store $Store -Container c-ran).CacheId)
        $layers[-1].Kind | Should -Be 'Container'
        (Get-OverlayImage -Store $Store app:1.0 | Get-OverlayLayer).Position | Should -Be (1..12)
        @(Get-OverlayImage -Store $Store base | Get-OverlayLayer).Count | Should -Be 1
        $rw = (Get-OverlayContainer -Store $Store c-ran).RwLayerId
        (Get-OverlayLayer -Store $Store -Id $rw | Get-OverlayLayer).CacheId | Should -Be $rw
    }

    It 'gives every container''s changes, each naming its container' {
        Assert-RootOrSkip 'the Docker fixture'
        $all = Get-OverlayContainer -Store $Store | Get-OverlayChange -ErrorAction SilentlyContinue
        $groups = $all | Group-Object Container
        @($groups.Name | Sort-Object) | Should -Be @('c-ran', 'c-stopped')    # c-created changed nothing
        foreach ($g in $groups) {
            ChangeLines $g.Group | Should -Be (ChangeLines (Get-OverlayChange -Store $Store -Container $g.Name))
        }
        $top = Get-OverlayImage -Store $Store app:1.0 | Get-OverlayChange
        $top.Image | Select-Object -Unique | Should -Be 'app:1.0'
        $top.Container | Where-Object { $_ } | Should -BeNullOrEmpty
    }

    It 'tells a piped container''s or image''s path history, also read back' {
        Assert-RootOrSkip 'the Docker fixture'
        $byName = Get-OverlayPathHistory -Store $Store -Container c-ran /etc/motd
        $piped = Get-OverlayContainer -Store $Store c-ran | Get-OverlayPathHistory /etc/motd
        @($piped.Action) | Should -Be @($byName.Action)
        @($piped.LayerId) | Should -Be @($byName.LayerId)
        $img = Roundtrip (Get-OverlayImage -Store $Store app:1.0)
        $steps = $img | Get-OverlayPathHistory /etc/motd, /app/big.bin
        @($steps.Path | Select-Object -Unique) | Should -Be @('/etc/motd', '/app/big.bin')
        @($steps | Where-Object Path -EQ '/etc/motd').Position | Should -Be @(1, 4)
        '/etc/motd' | Get-OverlayPathHistory -Store $Store -Image app:1.0 | Should -HaveCount 2
    }

    It 'finds a container''s image, a change''s container, and measures piped images' {
        Assert-RootOrSkip 'the Docker fixture'
        (Get-OverlayContainer -Store $Store c-ran | Get-OverlayImage).Id | Should -Be (Get-OverlayImage -Store $Store app:1.0).Id
        (Get-OverlayChange -Store $Store c-stopped | Get-OverlayContainer).Name | Should -Be 'c-stopped'
        (Get-OverlayImage -Store $Store base | Measure-OverlayImage).Name | Should -Be 'base:latest'
    }

    It 'refuses an object that is no container, image or layer, with an error record' {
        Assert-RootOrSkip 'the Docker fixture'
        $err = $null
        [pscustomobject]@{ Store = $Store; What = 'x' } | Get-OverlayLayer -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        Assert-CleanError $err 'NotAStoreObject'
    }
}

Describe 'Deserialized objects (Import-Clixml, jobs, remoting) work where live ones do' {
    BeforeEach { Set-Location $RepoRoot }

    It 'takes a read-back <_> as the live one' -ForEach 'container', 'image', 'layer' {
        Assert-RootOrSkip 'the Docker fixture'
        $live = switch ($_) {
            'container' { Get-OverlayContainer -Store $Store c-ran }
            'image' { Get-OverlayImage -Store $Store app:1.0 }
            'layer' { (Get-OverlayLayer -Store $Store -Image app:1.0)[8] }
        }
        $back = Roundtrip $live
        $back.pstypenames[0] | Should -BeLike 'Deserialized.OverlayPS.Core.Docker.*'
        @(($back | Get-OverlayLayer).CacheId) | Should -Be @(($live | Get-OverlayLayer).CacheId)
        ChangeLines ($back | Get-OverlayChange) | Should -Be (ChangeLines ($live | Get-OverlayChange))
    }

    It 'reads a collection bound whole from each object''s store, and from -Store when given' {
        Assert-RootOrSkip 'the Docker fixture'
        $all = Get-OverlayContainer -Store $Store
        ChangeLines (Get-OverlayChange -InputObject $all -ErrorAction SilentlyContinue) |
            Should -Be (ChangeLines ($all | Get-OverlayChange -ErrorAction SilentlyContinue))
        # One object per layer, however many of the piped containers share it.
        $layers = @(($all | Get-OverlayLayer).CacheId)
        $layers.Count | Should -Be @($layers | Sort-Object -Unique).Count
        @((Get-OverlayLayer -InputObject (Roundtrip $all)).CacheId | Sort-Object) | Should -Be @($layers | Sort-Object)
        # A store copied elsewhere (or read from another machine's objects): -Store says where.
        $moved = Roundtrip (Get-OverlayContainer -Store $Store c-ran)
        $moved.Store = '/nonexistent/docker'
        ChangeLines ($moved | Get-OverlayChange -Store $Store) | Should -Be (ChangeLines (Get-OverlayChange -Store $Store c-ran))
    }

    It 'takes the containers a background job returns' {
        Assert-RootOrSkip 'the Docker fixture'
        $job = Start-Job -ArgumentList $Manifest, $Store { param($m, $s) Import-Module $m; Get-OverlayContainer -Store $s }
        try { $back = $job | Wait-Job -Timeout 120 | Receive-Job }
        finally { $job | Remove-Job -Force }
        @($back).Count | Should -Be 3
        $back[0].pstypenames[0] | Should -Be 'Deserialized.OverlayPS.Core.Docker.DockerContainer'
        ChangeLines ($back | Where-Object Name -EQ 'c-ran' | Get-OverlayChange) | Should -Be (ChangeLines (Get-OverlayChange -Store $Store c-ran))
    }

    It 'renders read-back objects with the module''s views' {
        Assert-RootOrSkip 'the Docker fixture'
        $text = Roundtrip (Get-OverlayContainer -Store $Store) | Format-Table | Out-String -Width 200
        $text | Should -Match 'Name\s+Id\s+State\s+RwLayerId\s+SizeRw\s+Image'
        $text | Should -Match 'c-ran\s+2c11cf80a5b3\s+exited \(0\)\s+\w+\s+.*app:1.0'
        $text = Roundtrip (Get-OverlayChange -Store $Store c-ran) | Format-Table | Out-String -Width 200
        $text | Should -Match 'Kind\s+ItemType\s+Size\s+Path'
    }

    It 'says a read-back object is gone from its store, by its id' {
        Assert-RootOrSkip 'the Docker fixture'
        $ghost = Roundtrip (Get-OverlayContainer -Store $Store c-ran)
        $ghost.Id = 'f' * 64
        $err = $null
        $ghost | Get-OverlayChange -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        Assert-CleanError $err 'ContainerNotFound' ('f' * 64)
    }
}

Describe 'Output objects are plain data' {
    It 'converts <_> to JSON with no depth warning, no internals, enums by name' -ForEach @(
        'Get-OverlayImage', 'Get-OverlayContainer', 'Get-OverlayLayer', 'Get-OverlayChange c-ran',
        'Get-OverlayPathHistory -Container c-ran /etc/motd', 'Measure-OverlayImage', 'Measure-OverlayImage -ListFiles', 'Test-OverlayStore') {
        Assert-RootOrSkip 'the Docker fixture'
        $cmd, $rest = $_ -split ' ', 2
        $out = Invoke-Expression "$cmd -Store '$Store' $rest"
        $w = $null
        $json = $out | ConvertTo-Json -WarningVariable w
        $w | Should -BeNullOrEmpty
        $json | Should -Not -Match 'Timespec|OverlayPS\.Core|"Kind": \d|"ItemType": \d|"Action": \d|"StoreKind": \d'
    }

    It 'keeps ids whole and an image''s Clixml to a few KB' {
        Assert-RootOrSkip 'the Docker fixture'
        $app = Get-OverlayImage -Store $Store app:1.0
        $app.Id | Should -Match '^sha256:[0-9a-f]{64}$'
        $app.LayerIds | ForEach-Object { $_ | Should -Match '^[0-9a-f]{64}$' }
        $c = Get-OverlayContainer -Store $Store c-ran
        $c.Id | Should -Match '^[0-9a-f]{64}$'
        $c.RwLayerId | Should -Match '^[0-9a-f]{64}$'
        foreach ($img in Get-OverlayImage -Store $Store -All) {
            $f = Join-Path $Work 'one.xml'
            $img | Export-Clixml $f
            (Get-Item $f).Length | Should -BeLessThan 8KB -Because "$($img.Name) serializes to a few KB"
        }
    }

    It 'keeps sizes in bytes and shows them as docker images does' {
        Assert-RootOrSkip 'the Docker fixture'
        $docker = Get-Content "$Truth/images.jsonl" | ConvertFrom-Json
        $images = Get-OverlayImage -Store $Store -All
        foreach ($d in $docker) {
            $img = $images | Where-Object Id -EQ $d.ID
            $img.Size | Should -BeOfType [long]
            [OverlayPS.Core.Docker.ByteSize]::Format($img.Size) | Should -Be $d.Size
        }
        $text = Get-OverlayImage -Store $Store app:1.0 | Format-Table | Out-String -Width 200
        $text | Should -Match '\b3\.03MB\b'
        # containers.jsonl: docker ps -s prints "157B (virtual 3.03MB)"
        $text = Get-OverlayContainer -Store $Store c-ran -MeasureSize | Format-Table | Out-String -Width 200
        $text | Should -Match '\b157B\b'
        [OverlayPS.Core.Docker.ByteSize]::Format(999999) | Should -Be '1e+03kB'    # go-units %.3g, as docker prints it
    }

    It 'leaves NoRwLayerReason empty on a container that has a read-write layer' {
        Assert-RootOrSkip 'the Docker fixture'
        Get-OverlayContainer -Store $Store | ForEach-Object { $_.NoRwLayerReason | Should -BeNullOrEmpty }
    }

    It 'names the path on each path history row' {
        Assert-RootOrSkip 'the Docker fixture'
        $rows = Get-OverlayPathHistory -Store $Store -Image app:1.0 /etc/motd, /app/big.bin
        @($rows.Path | Select-Object -Unique) | Should -Be @('/etc/motd', '/app/big.bin')
        $rows.Image | Select-Object -Unique | Should -Be 'app:1.0'
        $text = $rows | Format-Table | Out-String -Width 200
        $text | Should -Match '\bPath\b'
        $text | Should -Match '/app/big\.bin'
        (Get-OverlayPathHistory -Store $Store -Container c-ran /etc/motd).Container | Select-Object -Unique | Should -Be 'c-ran'
    }
}

Describe 'One image object per image, one parameter name for images' {
    It 'returns an image once however many references name it' {
        Assert-RootOrSkip 'the Docker fixture'
        @(Get-OverlayImage -Store $Store app:latest, docker.io/library/app:1.0).Count | Should -Be 1
        @('app:1.0', 'app:latest' | Get-OverlayImage -Store $Store).Count | Should -Be 1
        @(Measure-OverlayImage -Store $Store app:1.0, app:latest).Count | Should -Be 1
    }

    It 'takes -Image, and -Name as its alias, on Get-OverlayImage and Measure-OverlayImage' {
        Assert-RootOrSkip 'the Docker fixture'
        foreach ($c in 'Get-OverlayImage', 'Measure-OverlayImage') {
            (Get-Command $c).Parameters['Image'].Aliases | Should -Contain 'Name'
        }
        (Get-OverlayImage -Store $Store -Image base).Name | Should -Be 'base:latest'
        (Get-OverlayImage -Store $Store -Name base).Name | Should -Be 'base:latest'
        (Measure-OverlayImage -Store $Store -Image base).Name | Should -Be 'base:latest'
    }
}

Describe 'Copy-OverlayItem -PassThru' {
    It 'returns a host copy as Copy-Item does: a FileSystem item that takes its view and pipes on' {
        $d = New-TestDir 'ovlps-passthru'
        try {
            New-Item -ItemType Directory "$d/l", "$d/u", "$d/w", "$d/out" | Out-Null
            Set-Content "$d/l/f.txt" 'x'
            $null = New-PSDrive -Name pt -PSProvider Overlay -Root / -LowerDir "$d/l" -UpperDir "$d/u" -WorkDir "$d/w"
            $item = Copy-OverlayItem pt:/f.txt -Destination "$d/out/f.txt" -PassThru
            $item | Should -BeOfType System.IO.FileInfo
            $item.PSProvider.Name | Should -Be 'FileSystem'
            $item.PSParentPath | Should -Be "Microsoft.PowerShell.Core\FileSystem::$d/out"
            ($item | Format-Table | Out-String) | Should -Match ([regex]::Escape("Directory: $d/out"))
            $item | Get-Content | Should -Be 'x'
        }
        finally {
            Remove-PSDrive pt -ErrorAction Ignore
            Remove-Item -LiteralPath $d -Recurse -Force
        }
    }
}
