# The store cmdlets and drives on a podman (containers-storage) store, against podman's answers.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Work = New-TestDir 'ovlps-podman'
    $script:P = Join-Path $Work 'storage'
    if ($IsRoot) { Expand-PodmanFixture $Work }
    $script:Truth = "$RepoRoot/tests/fixtures/podman-overlay/ground-truth"
}
# rm, not Remove-Item: PowerShell's recursive delete stumbles on the layers' whiteout devices.
AfterAll { rm -rf $Work }

Describe 'Get-OverlayImage and Get-OverlayContainer on a podman store' {
    It 'lists what podman images lists, with podman''s ids, names and sizes' {
        Assert-RootOrSkip 'the podman fixture'
        $truth = Get-Content "$Truth/images.json" -Raw | ConvertFrom-Json
        $images = Get-OverlayImage -Store $P
        @($images.Id | ForEach-Object { $_ -replace '^sha256:' } | Sort-Object) | Should -Be @($truth.Id | Sort-Object -Unique)
        foreach ($t in $truth) {
            $i = $images | Where-Object Id -eq "sha256:$($t.Id)"
            $i.Size | Should -Be $t.Size
            $i.StoreKind | Should -Be 'Podman'
        }
        (Get-OverlayImage -Store $P -All).Count | Should -Be 10
        (Get-OverlayImage -Store $P fixture/layers:1.0).Tags | Should -Be @('localhost/fixture/layers:1.0', 'example.org/fixture/layers:stable')
    }

    It 'gives podman history with -History' {
        Assert-RootOrSkip 'the podman fixture'
        $id = '4f24a91a3c9aeb6f64a4309f3c0e7c126a5852fac708e40db8bf5ed333dd5881'
        # podman's JSON has both 'created' and 'Created'.
        $truth = Get-Content "$Truth/history/$id.json" -Raw | ConvertFrom-Json -AsHashtable
        $steps = @(Get-OverlayImage -Store $P fixture/layers:1.0 -History)   # newest first, as podman
        @($steps.CreatedBy) | Should -Be @($truth | ForEach-Object { $_['CreatedBy'] })
        @($steps.Size) | Should -Be @($truth | ForEach-Object { $_['size'] })
    }

    It 'lists the containers with their image and read-write layer' {
        Assert-RootOrSkip 'the podman fixture'
        $c = Get-OverlayContainer -Store $P
        @($c.Name) | Should -Be @('c-created', 'c-ran', 'c-untagged')
        foreach ($t in (Get-Content "$Truth/containers-summary.json" -Raw | ConvertFrom-Json)) {
            $one = $c | Where-Object Name -eq $t.name
            $one.RwLayerId | Should -Be $t.rw_layer
            $one.Image | Should -Be $t.image_name
        }
    }
}

Describe 'Get-OverlayChange, Get-OverlayLayer -Path, Get-OverlayPathHistory, Measure-OverlayImage on a podman store' {
    It 'equals podman diff for <_>' -ForEach 'c-ran', 'c-created', 'c-untagged' {
        Assert-RootOrSkip 'the podman fixture'
        $truth = Get-Content "$Truth/diff/$_.json" -Raw | ConvertFrom-Json
        $changes = @(Get-OverlayChange -Store $P -Container $_)
        foreach ($k in @{ Added = 'added'; Changed = 'changed'; Deleted = 'deleted' }.GetEnumerator()) {
            @($changes | Where-Object Kind -eq $k.Key | ForEach-Object Path | Sort-Object) |
                Should -Be @($truth.($k.Value) | Sort-Object)
        }
    }

    It 'names the owner of every overlay/<id>/diff' {
        Assert-RootOrSkip 'the podman fixture'
        $dirs = Get-ChildItem "$P/overlay" -Directory | Where-Object Name -ne 'l'
        $dirs.Count | Should -Be 13
        foreach ($d in $dirs) {
            (Get-OverlayLayer -Store $P -Path "$($d.FullName)/diff").CacheId | Should -Be $d.Name
        }
        (Get-OverlayLayer -Store $P -Path "$P/overlay/798b6905342806430bfbf898fba636463164df54ddae3c6cba81e2c4111ddeae/diff").Containers |
            Should -Be 'c-ran'
    }

    It 'tells which layer supplies a path and measures wasted bytes' {
        Assert-RootOrSkip 'the podman fixture'
        $steps = Get-OverlayPathHistory -Store $P -Image fixture/layers:1.0 /srv/app/config.txt
        @($steps.Position) | Should -Be @(2, 3, 4, 7)
        ($steps | Where-Object Supplies).CreatedBy | Should -BeLike 'RUN L6 *'
        ($steps | Where-Object Position -eq 4).Action | Should -Be 'Deleted'
        $w = Measure-OverlayImage -Store $P fixture/layers:1.0
        $w.GetFiles().Path | Should -Contain '/srv/app/config.txt'
        # Each object says which kind of store it came from.
        $steps.StoreKind | Select-Object -Unique | Should -Be 'Podman'
        $w.StoreKind | Should -Be 'Podman'
        $w.GetFiles().StoreKind | Select-Object -Unique | Should -Be 'Podman'
        (Measure-OverlayImage -Store $P fixture/base).WastedBytes | Should -Be 0
    }
}

Describe 'New-PSDrive -Image / -Container on a podman store' {
    It 'opens an image read-only: the same names as podman export' {
        Assert-RootOrSkip 'the podman fixture'
        New-PSDrive -Name podimg -PSProvider Overlay -Root / -Store $P -Image fixture/layers:1.0 | Out-Null
        try {
            $export = Get-Content "$Truth/image-files/4f24a91a3c9aeb6f64a4309f3c0e7c126a5852fac708e40db8bf5ed333dd5881.jsonl" |
                ConvertFrom-Json
            @(Get-ChildItem podimg:/ -Recurse -Force).Count | Should -Be $export.Count
            Get-Content podimg:/srv/app/config.txt | Should -Be 'config v3 (re-added in L6)'
            (Get-Item podimg:/srv/app/config.txt).Layer | Should -Be '7'
            Test-Path podimg:/opt/remove-me | Should -BeFalse
            { Set-Content podimg:/srv/app/config.txt 'x' -ErrorAction Stop } | Should -Throw
        }
        finally { Remove-PSDrive podimg }
    }

    It 'opens a container with what it wrote' {
        Assert-RootOrSkip 'the podman fixture'
        New-PSDrive -Name podran -PSProvider Overlay -Root / -Store $P -Container c-ran | Out-Null
        try {
            Get-Content podran:/newfile.txt | Should -Be 'new'
            (Get-Item podran:/newfile.txt).Layer | Should -Be 'rw'
            Test-Path podran:/etc/os-release | Should -BeFalse
        }
        finally { Remove-PSDrive podran }
    }
}

Describe 'Test-OverlayStore and tab completion on a podman store' {
    It 'finds nothing wrong in the fixture' {
        Assert-RootOrSkip 'the podman fixture'
        Test-OverlayStore -Store $P | Should -BeNullOrEmpty
    }

    It 'names an l/ link out of the store and a layers.json entry without its dir in a damaged copy, changing nothing' {
        Assert-RootOrSkip 'the podman fixture'
        $copy = New-TestDir 'ovlps-podman-damaged'
        try {
            Expand-PodmanFixture $copy
            $s = "$copy/storage"
            $link = Get-Content "$s/overlay/5a44f5a814071b14d60d8b7e44345315c81295fb9a76ed0573fec3a43a45d9d8/link"
            Remove-Item "$s/overlay/l/$link"
            New-Item -ItemType SymbolicLink -Path "$s/overlay/l/$link" -Target '/etc' | Out-Null
            $gone = '6fb432e6c4df33d263411fc57cd9cc9645b81e1abb8f52a66c7b7d5d75929034'
            $goneLink = Get-Content "$s/overlay/$gone/link"
            rm -rf "$s/overlay/$gone"
            $f = @(Test-OverlayStore -Store $s)
            # The link out of the store, and the link of the removed dir, which now points nowhere.
            @(($f | Where-Object Problem -eq 'BrokenLink').Subject | Sort-Object) | Should -Be @(@($link, $goneLink) | Sort-Object)
            ($f | Where-Object Problem -eq 'MissingLayerDir').Subject | Should -Be $gone
            $f.StoreKind | Select-Object -Unique | Should -Be 'Podman'
            (Get-Item "$s/overlay/l/$link").LinkTarget | Should -Be '/etc'
            # The base layer is still read from overlay/<id>/diff, never through the link.
            (Get-OverlayPathHistory -Store $s -Image fixture/base /bin/busybox).Position | Should -Be 1
        }
        finally { rm -rf $copy }
    }

    It 'completes podman image and container names' {
        Assert-RootOrSkip 'the podman fixture'
        $line = "Get-OverlayImage -Store $P localhost/fixture/t"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText |
            Should -Be 'localhost/fixture/tools:latest'
        $line = "Get-OverlayChange -Store $P -Container c-u"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'c-untagged'
    }
}

Describe 'The README section on podman stores' {
    It 'runs as written, without an error' {
        Assert-RootOrSkip 'the podman fixture'
        $dir = New-TestDir 'ovlps-readme-podman'
        Push-Location $RepoRoot
        try {
            $readme = Get-Content -Raw "$RepoRoot/README.md"
            $start = $readme.IndexOf('## Podman stores')
            $end = $readme.IndexOf('## Benchmarks')
            $blocks = @([regex]::Matches($readme.Substring($start, $end - $start), '(?s)```powershell\n(.*?)```') |
                ForEach-Object { $_.Groups[1].Value })
            $blocks.Count | Should -Be 1
            $out = & ([scriptblock]::Create($blocks[0].Replace('/tmp/', "$dir/"))) 2>&1
            @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) -join "`n" | Should -BeNullOrEmpty
            $out | Should -Contain 'config v3 (re-added in L6)'
            ($out | Where-Object { $_ -is [OverlayPS.Core.Docker.LayerChange] -and $_.Path -eq '/srv/cache' }).Kind | Should -Be 'Deleted'
            ($out | Where-Object { $_ -is [OverlayPS.Core.Docker.DockerLayer] }).Containers | Should -Be 'c-ran'
        }
        finally {
            Pop-Location
            rm -rf $dir
        }
    }
}

Describe 'Layers of a podman store as artifacts' {
    It 'verifies every layer from overlay-layers/<id>.tar-split.gz, exports one to its exact tar, and names a changed file' {
        Assert-RootOrSkip 'the podman fixture'
        @(Test-OverlayStore -Store $P -Verify) | Should -BeNullOrEmpty
        $img = Get-OverlayImage -Store $P fixture/base
        $out = Join-Path $Work 'base-layer.tar'
        $null = Export-OverlayLayer -Store $P -Image fixture/base -Path $out
        'sha256:' + (Get-FileHash -Algorithm SHA256 $out).Hash.ToLowerInvariant() | Should -Be $img.DiffIds[-1]

        # One byte of one file changed in a copy: the same check names the file and its layer.
        $copy = Join-Path $Work 'tampered'
        New-Item -ItemType Directory $copy | Out-Null
        tar -C $copy -xzf "$RepoRoot/tests/fixtures/podman-overlay/store.tar.gz" --xattrs --xattrs-include='*'
        $layer = (Get-OverlayImage -Store "$copy/storage" fixture/base | Get-OverlayLayer)[-1]
        $file = Get-ChildItem -File -Recurse $layer.DiffPath | Where-Object Length -gt 0 | Select-Object -First 1
        $bytes = [IO.File]::ReadAllBytes($file.FullName); $bytes[0] = $bytes[0] -bxor 0xFF
        [IO.File]::WriteAllBytes($file.FullName, $bytes)
        $found = Test-OverlayStore -Store "$copy/storage" -Verify
        $found.Problem | Should -Contain 'TamperedLayerFile'
        ($found | Where-Object Problem -eq TamperedLayerFile).Path | Should -Be $file.FullName
    }

    It 'says a containerd store has no tar-splits to verify from' {
        Assert-RootOrSkip 'the containerd fixture'
        $d = New-TestDir 'ovlps-ctd-verify'
        try {
            tar --xattrs --xattrs-include='trusted.*' --numeric-owner -C $d -xzf "$RepoRoot/tests/fixtures/containerd-overlayfs/store.tar.gz"
            $e = $null
            try { Test-OverlayStore -Store "$d/containerd" -Verify | Out-Null } catch { $e = $_ }
            $e.FullyQualifiedErrorId | Should -BeLike 'StoreKindNotSupported,*'
            $e.CategoryInfo.Category | Should -Be 'NotImplemented'
            $e.TargetObject | Should -Be "$d/containerd"
        }
        finally { rm -rf $d }
    }
}
