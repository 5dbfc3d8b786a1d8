BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Fixtures = Join-Path $RepoRoot 'tests/fixtures'
    $script:Work = New-TestDir 'ovlps-docker'
    $script:Store = Join-Path $Work 'docker'
    if ($IsRoot) {
        # As root, or the whiteouts and trusted.overlay.opaque markers are silently dropped.
        Expand-DockerFixture $Work
    }
    $script:Truth = "$Fixtures/docker-overlay2/ground-truth"
}
AfterAll { Remove-Item $Work -Recurse -Force -ErrorAction Ignore }

Describe 'Get-OverlayImage reads images like docker images' {
    It 'lists the tagged and dangling images, with intermediates only under -All' {
        Assert-RootOrSkip 'the Docker fixture'
        $top = Get-Content "$Truth/images-top.jsonl" | ConvertFrom-Json
        $images = Get-OverlayImage -Store $Store
        $images.Count | Should -Be @($top.ID | Sort-Object -Unique).Count
        (Get-OverlayImage -Store $Store -All).Count | Should -Be 30
        $app = Get-OverlayImage -Store $Store app:1.0
        $app.Tags | Should -Be @('app:1.0', 'app:latest', 'localhost:5000/fixture/app:1.0')
        $app.LayerIds.Count | Should -Be 12
        $app.Containers | Should -Be @('c-ran')
    }

    It 'writes one error per name that matches nothing and goes on' {
        Assert-RootOrSkip 'the Docker fixture'
        $err = $null
        $found = Get-OverlayImage -Store $Store nope:1, base -ErrorVariable err -ErrorAction SilentlyContinue
        $found.Name | Should -Be 'base:latest'
        $err.Count | Should -Be 1
        $err[0].FullyQualifiedErrorId | Should -BeLike 'imageNotFound*'
        $err[0].CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }
}

Describe 'Get-OverlayImage -History reads like docker history' {
    It 'gives every step newest first, empty ones included, with docker''s ids, commands and sizes' {
        Assert-RootOrSkip 'the Docker fixture'
        # docker's units.HumanSize: three significant digits, 1000-based units.
        function HumanSize([long] $n) {
            $units = 'B', 'kB', 'MB', 'GB'; $u = 0; [double] $v = $n
            while ($v -ge 1000 -and $u -lt 3) { $v /= 1000; $u++ }
            $v.ToString('G3', [cultureinfo]::InvariantCulture) + $units[$u]
        }
        $files = Get-ChildItem "$Truth/history" -Filter *.jsonl
        $files.Count | Should -Be 30   # every image, intermediates included
        foreach ($file in $files) {
            $truth = @(Get-Content $file.FullName | ConvertFrom-Json)
            $steps = @(Get-OverlayImage -Store $Store $file.BaseName -History)
            $steps.Count | Should -Be $truth.Count
            for ($i = 0; $i -lt $truth.Count; $i++) {
                "$($steps[$i].CreatedBy)" | Should -Be $truth[$i].CreatedBy
                "$($steps[$i].Comment)" | Should -Be $truth[$i].Comment
                HumanSize $steps[$i].Size | Should -Be $truth[$i].Size
                $(if ($steps[$i].ImageId) { $steps[$i].ImageId } else { '<missing>' }) | Should -Be $truth[$i].ID
            }
        }
        # The table: short ids and <missing> as docker shows them, the newest step on top.
        $text = Get-OverlayImage -Store $Store app:1.0 -History | Out-String -Width 120
        ($text -split "`n" | Where-Object { $_ -match '^\S{12} ' } | Select-Object -First 1) | Should -Match '^17c0fa8df651 '
    }
}

Describe 'Get-OverlayLayer' {
    It 'gives an image''s layers bottom first with the step that made each' {
        Assert-RootOrSkip 'the Docker fixture'
        $layers = Get-OverlayLayer -Store $Store -Image app:1.0
        $layers.Position | Should -Be (1..12)
        $summary = Get-Content -Raw "$Truth/images-summary.json" | ConvertFrom-Json
        $app = $summary | Where-Object { $_.repo_tags -contains 'app:1.0' }
        $layers.CacheId | Should -Be $app.cache_ids
        $layers.DiffId | Should -Be $app.diff_ids
        $layers.ChainId | Should -Be $app.chain_ids
        $layers[8].CreatedBy | Should -BeLike '*head -c 1048576*'
    }

    It 'answers who owns a dir inside overlay2/' {
        Assert-RootOrSkip 'the Docker fixture'
        $c = Get-Content -Raw "$Truth/containers-summary.json" | ConvertFrom-Json | Where-Object name -eq 'c-ran'
        $l = Get-OverlayLayer -Store $Store -Path "$Store/overlay2/$($c.rw_cache_id)/diff/newfile.txt"
        $l.Kind | Should -Be 'Container'
        $l.Containers | Should -Be @('c-ran')
        $i = Get-OverlayLayer -Store $Store -Path "$Store/overlay2/$($c.init_cache_id)"
        $i.Kind | Should -Be 'Init'
    }

    It 'measures the read-write layers as docker ps -s did' {
        Assert-RootOrSkip 'the Docker fixture'
        $sizes = @{}
        Get-OverlayContainer -Store $Store -MeasureSize | ForEach-Object { $sizes[$_.Name] = $_.SizeRw }
        # containers.jsonl: "157B (virtual 3.03MB)", "8B (...)", "0B (...)"
        Get-Content "$Truth/containers.jsonl" | ConvertFrom-Json | ForEach-Object {
            $sizes[$_.Names] | Should -Be ([long]($_.Size -replace 'B .*$', ''))
        }
    }
}

Describe 'A store that is not a readable overlay2 store' {
    It 'names a Docker root whose containerd image store lives in another containerd root' {
        $d = New-TestDir
        try {
            # Docker 29+ using the system containerd: containers/ and volumes/, no image/overlay2.
            New-Item -ItemType Directory "$d/containers", "$d/volumes" | Out-Null
            $err = $null
            try { Get-OverlayLayer -Store $d -ErrorAction Stop } catch { $err = $_ }
            $err.Exception.Message | Should -BeLike "*containerd image store*pass that containerd's root (usually /var/lib/containerd) as -Store, with -Namespace moby*"
            $err.FullyQualifiedErrorId | Should -BeLike 'StoreNotOverlay2*'
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
        }
        finally { Remove-Item $d -Recurse -Force }
    }

    It 'reads a podman (containers/storage) store from its layout, given its root or overlay dir' {
        $d = New-TestDir
        try {
            New-Item -ItemType Directory "$d/overlay/l", "$d/overlay-layers", "$d/overlay-images" | Out-Null
            Set-Content "$d/overlay-layers/layers.json" '[]'
            Get-OverlayImage -Store "$d/overlay" -ErrorAction Stop | Should -BeNullOrEmpty
            Test-OverlayStore -Store "$d/overlay" -Quiet | Should -BeTrue
        }
        finally { Remove-Item $d -Recurse -Force }
    }

    It 'says a missing store is missing' {
        $err = $null
        try { Get-OverlayContainer -Store '/nonexistent/docker' -ErrorAction Stop } catch { $err = $_ }
        $err.FullyQualifiedErrorId | Should -BeLike 'StoreNotFound*'
        $err.CategoryInfo.Category | Should -Be 'ObjectNotFound'
    }

    It 'gives a permission error for a store the user cannot read' {
        Assert-RootOrSkip 'the Docker fixture'
        $probe = "Import-Module '$Manifest'; try { Get-OverlayImage -Store '$Store' -ErrorAction Stop } catch { `$_.FullyQualifiedErrorId + '|' + `$_.CategoryInfo.Category + '|' + `$_.Exception.Message }"
        # Root reads any dir; without the DAC override capabilities it is bound by modes like
        # any user facing a root-only 0700 store.
        chmod 000 "$Store/image/overlay2"
        try { $out = setpriv --bounding-set=-dac_override,-dac_read_search dotnet pwsh -NoProfile -Command $probe 2>&1 }
        finally { chmod 700 "$Store/image/overlay2" }
        ($out -join "`n") | Should -BeLike '*StorePermissionDenied*PermissionDenied*permission denied*'
    }
}

Describe 'Get-OverlayChange' {
    It 'equals docker diff for <_>' -ForEach 'c-ran', 'c-stopped', 'c-created' {
        Assert-RootOrSkip 'the Docker fixture'
        $ours = @(Get-OverlayChange -Store $Store -Container $_ | ForEach-Object ToString | Sort-Object)
        $docker = @(Get-Content "$Truth/diff/$_.txt" | Where-Object { $_ } | Sort-Object)
        $ours | Should -Be $docker
    }

    It 'takes layers from the pipeline' {
        Assert-RootOrSkip 'the Docker fixture'
        $layers = Get-OverlayLayer -Store $Store -Image app:1.0
        $changes = $layers[8] | Get-OverlayChange -Store $Store
        @($changes | ForEach-Object ToString) | Should -Be @('C /app', 'A /app/big.bin')
        ($changes | Where-Object Path -eq '/app/big.bin').Size | Should -Be 1048576
    }
}

Describe 'Test-OverlayStore' {
    It 'finds nothing wrong in the fixture and says so with -Quiet' {
        Assert-RootOrSkip 'the Docker fixture'
        Test-OverlayStore -Store $Store | Should -BeNullOrEmpty
        Test-OverlayStore -Store $Store -Quiet | Should -BeTrue
    }

    It 'says a healthy store is healthy, and what it checked with -Verbose, outside the pipeline' {
        Assert-RootOrSkip 'the Docker fixture'
        $out = Test-OverlayStore -Store $Store -Verbose -InformationVariable info -InformationAction SilentlyContinue 4>&1
        $verbose = @($out | Where-Object { $_ -is [System.Management.Automation.VerboseRecord] })
        @($out | Where-Object { $_ -isnot [System.Management.Automation.VerboseRecord] }) | Should -BeNullOrEmpty
        $verbose.Message | Should -Match "Checked \d+ layer dirs, \d+ images, 3 containers in '.*docker': 0 problem"
        "$info" | Should -Match 'No problems found'
        # Shown by default, as Write-Host output is.
        $shown = & dotnet pwsh -NoProfile -Command "Import-Module '$Manifest'; Test-OverlayStore -Store '$Store'" | Out-String
        $shown | Should -Match 'No problems found'
    }

    It 'reports an orphan dir in a damaged copy, changing nothing' {
        Assert-RootOrSkip 'the Docker fixture'
        $copy = Join-Path $Work 'damaged'
        New-Item -ItemType Directory $copy | Out-Null
        Expand-DockerFixture $copy
        $orphan = 'c' * 64
        New-Item -ItemType Directory "$copy/docker/overlay2/$orphan/diff" | Out-Null
        $f = @(Test-OverlayStore -Store "$copy/docker")
        $f.Count | Should -Be 2   # unreferenced, and it has no link file
        @($f.Problem | ForEach-Object ToString | Sort-Object) | Should -Be @('MissingLink', 'UnreferencedDir')
        Test-Path "$copy/docker/overlay2/$orphan/diff" | Should -BeTrue
        Test-OverlayStore -Store "$copy/docker" -Quiet | Should -BeFalse
        Test-OverlayStore -Store "$copy/docker" -InformationVariable info | Out-Null
        $info | Should -BeNullOrEmpty
    }
}

Describe 'New-PSDrive -PSProvider Overlay -Image / -Container' {
    It 'opens an image read-only with the layer of each item' {
        Assert-RootOrSkip 'the Docker fixture'
        New-PSDrive -Name appimg -PSProvider Overlay -Root / -Store $Store -Image app:1.0 | Out-Null
        try {
            (Get-ChildItem appimg:/app).Name | Should -Contain 'big.bin'
            (Get-ChildItem appimg:/app).Name | Should -Not -Contain 'delete-later.txt'
            $item = Get-Item appimg:/app/big.bin
            # Numbered as Get-OverlayLayer numbers it (1 = the base): big.bin came with the 9th.
            $item.Layer | Should -Be '9'
            $layer = Get-OverlayLayer -Store $Store -Path $item.LayerRoot
            $layer.CreatedBy | Should -BeLike '*head -c 1048576*'
            $item.Layer | Should -Be $layer.Position
            # Owners as the image names them (its /etc/passwd says 1000 is 'user'), not the host.
            $hello = Get-Item appimg:/app/hello.txt
            $hello.Uid | Should -Be 1000
            $hello.Owner | Should -Be 'user'
            $hello.Group | Should -Be 'user'
            (Get-Item appimg:/etc/hostname -ErrorAction Ignore), (Get-Item appimg:/etc) | Where-Object { $_ } |
                ForEach-Object { $_.Owner | Should -Be 'root' }
            (Get-Item appimg:/etc/motd).Layer | Should -Be (Get-OverlayPathHistory -Store $Store -Image app:1.0 /etc/motd | Where-Object Supplies).Position
            Get-Content appimg:/app/hello.txt | Should -Be 'hello'
            { Set-Content appimg:/app/hello.txt 'x' -ErrorAction Stop } | Should -Throw
        }
        finally { Remove-PSDrive appimg }
    }

    It 'opens a container with what it wrote' {
        Assert-RootOrSkip 'the Docker fixture'
        New-PSDrive -Name cran -PSProvider Overlay -Root / -Store $Store -Container c-ran | Out-Null
        try {
            Get-Content cran:/newfile.txt | Should -Be 'new'
            Get-Content cran:/app/hello.txt | Should -Be @('hello', 'more')
            # The container's own layers by name, the image's by Position.
            (Get-Item cran:/newfile.txt).Layer | Should -Be 'rw'
            (Get-Item cran:/.dockerenv -Force).Layer | Should -Be 'init'
            (Get-Item cran:/app/big.bin).Layer | Should -Be '9'
            # c-ran moved its /etc/passwd away: like ls inside it, owners show as numbers.
            Test-Path cran:/etc/passwd | Should -BeFalse
            (Get-Item cran:/app/hello.txt).Owner | Should -Be "$((Get-Item cran:/app/hello.txt).Uid)"
            Test-Path cran:/etc/motd | Should -BeFalse
        }
        finally { Remove-PSDrive cran }
    }

    It 'says which image is unknown' {
        Assert-RootOrSkip 'the Docker fixture'
        { New-PSDrive -Name nope -PSProvider Overlay -Root / -Store $Store -Image nope:1 -ErrorAction Stop } |
            Should -Throw -ExpectedMessage "*No image 'nope:1'*"
    }
}

Describe 'Get-OverlayPathHistory and Measure-OverlayImage' {
    It 'tells which layer supplies a path and which it hides' {
        Assert-RootOrSkip 'the Docker fixture'
        $steps = Get-OverlayPathHistory -Store $Store -Image app:1.0 /etc/motd
        @($steps.Position) | Should -Be @(1, 4)
        ($steps | Where-Object Supplies).CreatedBy | Should -BeLike "*modified by app layer*"
        $steps[0].HiddenBy | Should -Be 4
        (Get-OverlayPathHistory -Store $Store -Container c-ran /etc/motd)[-1].Action | Should -Be 'Deleted'
    }

    It 'measures wasted bytes per image' {
        Assert-RootOrSkip 'the Docker fixture'
        $w = Measure-OverlayImage -Store $Store app:1.0
        $w.WastedBytes | Should -BeGreaterThan 0
        $w.GetFiles().Path | Should -Contain '/opt/remove-me'
        $files = Measure-OverlayImage -Store $Store app:1.0 -ListFiles
        $files.Path | Should -Contain '/opt/remove-me'
        $files.Count | Should -Be $w.FileCount
        ($files | Measure-Object Size -Sum).Sum | Should -Be $w.WastedBytes
        $files.Image | Select-Object -Unique | Should -Be 'app:1.0'
        (Measure-OverlayImage -Store $Store base).WastedBytes | Should -Be 0
        # dive's efficiency score: the share of the image's bytes its final view shows.
        $w.Efficiency | Should -Be ([math]::Round(100 - 100 * $w.WastedBytes / $w.Size, 2))
        (Measure-OverlayImage -Store $Store base).Efficiency | Should -Be 100
        # ...and its wasted-file table: each hidden copy with its size, layer and hider.
        $text = $files | Sort-Object Size -Descending | Out-String -Width 80
        $text | Should -Match 'Size\s+Position\s+By\s+Overwritten\s+Path'
        $text | Should -Match '\s[\d.]+[kMG]?B\s+\d+\s+\d+\s+(True|False)\s+/opt/remove-me'
    }
}

Describe 'Tab completion of image and container names' {
    BeforeAll {
        function Complete([string] $line) {
            (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText
        }
    }
    AfterEach { Set-Location $RepoRoot }

    It 'offers the tags of the store named by -Store, tags before untagged ids' {
        Assert-RootOrSkip 'the Docker fixture'
        Complete "Get-OverlayLayer -Store $Store -Image ap" | Should -Be @('app:1.0', 'app:latest')
        $all = Complete "Get-OverlayImage -Store $Store "
        $all[0] | Should -Be 'app:1.0'
        $all | Should -Contain 'cad874e87a05'        # the dangling <none> image
        $all | Should -Not -Contain '7ba2f2709191'   # an intermediate build step
        Complete "Measure-OverlayImage -Store $Store ch" | Should -Be 'child:latest'
        Complete "Get-OverlayPathHistory -Store $Store -Image t" | Should -Be @('tenlayers:latest', 'tools:latest')
    }

    It 'offers container names, with -Store relative to the current directory' {
        Assert-RootOrSkip 'the Docker fixture'
        Set-Location $Work
        Complete 'Get-OverlayContainer -Store ./docker c-' | Should -Be @('c-created', 'c-ran', 'c-stopped')
        Complete 'Get-OverlayChange -Store ./docker c-r' | Should -Be 'c-ran'
        Complete 'New-PSDrive -Name x -PSProvider Overlay -Root / -Store ./docker -Container c-s' | Should -Be 'c-stopped'
        Complete 'New-PSDrive -Name x -PSProvider Overlay -Root / -Store ./docker -Image base' | Should -Be 'base:latest'
        # From inside an Overlay drive, a relative -Store is still a host path.
        $null = New-PSDrive tabd -PSProvider Overlay -Root / -Store $Store -Image app:1.0
        try {
            Set-Location tabd:/app
            Complete 'Get-OverlayContainer -Store ./docker c-r' | Should -Be 'c-ran'
        }
        finally { Set-Location $Work; Remove-PSDrive tabd }
    }
}

Describe 'The Docker cmdlets on stores other dockerd versions and situations leave' {
    BeforeAll {
        if ($IsRoot) {
            $script:Variant = Join-Path $Work 'variant'
            cp -a $Store $Variant
            $app = (Get-OverlayImage -Store $Variant app:1.0).Id
            $tools = (Get-OverlayImage -Store $Variant tools).Id
            $script:AppShort = $app.Substring(7, 12)
            # docker rmi -f app:1.0 with c-ran still there; tools pulled by digest only;
            # c-created made by Docker 29's containerd image store (driver overlayfs, no mount).
            Remove-Item "$Variant/image/overlay2/imagedb/content/sha256/$($app.Substring(7))"
            $repos = "$Variant/image/overlay2/repositories.json"
            $json = Get-Content $repos -Raw | ConvertFrom-Json -AsHashtable
            $json.Repositories.Remove('app'); $json.Repositories.Remove('localhost:5000/fixture/app')
            $json.Repositories['tools'] = @{ "tools@sha256:$('c' * 64)" = $tools }
            $json | ConvertTo-Json -Depth 5 -Compress | Set-Content $repos
            $c = Get-OverlayContainer -Store $Variant c-created
            $created = $c.Id
            $rw = $c.GetRwLayer(); $init = $c.GetInitLayer()
            rm -rf $rw.Path $init.Path "$Variant/overlay2/l/$($rw.LinkId)" "$Variant/overlay2/l/$($init.LinkId)"
            $cfg = "$Variant/containers/$created/config.v2.json"
            (Get-Content $cfg -Raw) -replace '"Driver":"overlay2"', '"Driver":"overlayfs"' | Set-Content $cfg
            Remove-Item "$Variant/image/overlay2/layerdb/mounts/$created" -Recurse
        }
    }

    It 'keeps a container whose image was deleted on its layers, shown by image id as docker ps does' {
        Assert-RootOrSkip 'the Docker fixture'
        $c = Get-OverlayContainer -Store $Variant c-ran
        $c.Image | Should -Be $AppShort
        $layers = Get-OverlayLayer -Store $Variant -Container c-ran
        $layers.Count | Should -Be 14
        $layers[0].Position | Should -Be 1
        (Get-OverlayPathHistory -Store $Variant -Container c-ran /etc/motd).Action | Should -Be @('Added', 'Replaced', 'Deleted')
        (Test-OverlayStore -Store $Variant).Problem | Should -Be @('MissingImage')
    }

    It 'lists an image pulled by digest only as <repo>:<none> and finds it by its digest' {
        Assert-RootOrSkip 'the Docker fixture'
        $img = Get-OverlayImage -Store $Variant "tools@sha256:$('c' * 64)"
        $img.Tags.Count | Should -Be 0
        $img.RepoDigests | Should -Be @("tools@sha256:$('c' * 64)")
        ($img | Format-Table | Out-String) | Should -Match 'tools:<none>'
        @(Get-OverlayImage -Store $Variant | Where-Object Id -EQ $img.Id).Count | Should -Be 1
        (Get-OverlayImage -Store $Store docker.io/library/app:1.0).Name | Should -Be 'app:1.0'
    }

    It 'says which driver made a container whose layers are not in the store' {
        Assert-RootOrSkip 'the Docker fixture'
        $err = $null
        Get-OverlayChange -Store $Variant c-created -ErrorVariable err -ErrorAction SilentlyContinue | Should -BeNullOrEmpty
        $err.Count | Should -Be 1
        $err[0].Exception.Message | Should -Match "'overlayfs' storage driver"
    }
}
