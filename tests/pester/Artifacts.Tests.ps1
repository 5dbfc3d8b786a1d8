# Layers and images as artifacts: Test-OverlayStore -Verify, Export-OverlayLayer and
# Save-OverlayImage on the fixture store, and against a private dockerd (docker save / load).
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    . "$PSScriptRoot/../daemon/TestDockerd.ps1"
    Import-Module $Manifest -Force
    $script:Work = New-TestDir 'ovlps-artifacts'
    $script:Store = Join-Path $Work 'docker'
    if ($IsRoot) { Expand-DockerFixture $Work }

    function Sha256([string] $Path) { 'sha256:' + (Get-FileHash $Path -Algorithm SHA256).Hash.ToLowerInvariant() }
    function Expand-Tar([string] $Tar, [string] $Into) {
        New-Item -ItemType Directory $Into -Force | Out-Null
        tar -xf $Tar -C $Into
        if ($LASTEXITCODE -ne 0) { throw "tar -xf $Tar failed" }
    }
}
# rm, not Remove-Item: the fixture's layers hold what Remove-Item gives up on (links, root-only dirs).
AfterAll { & rm -rf $Work }

Describe 'Test-OverlayStore -Verify' {
    It 'finds nothing wrong in a store docker made' {
        Assert-RootOrSkip 'the Docker fixture'
        Test-OverlayStore -Store $Store -Verify -InformationAction Ignore | Should -BeNullOrEmpty
        Test-OverlayStore -Store $Store -Verify -Quiet | Should -BeTrue
    }

    It 'shows progress for every layer, then closes its bar' {
        Assert-RootOrSkip 'the Docker fixture'
        $ps = [powershell]::Create()
        try {
            $null = $ps.AddScript("Import-Module '$Manifest'; Test-OverlayStore -Store '$Store' -Verify -InformationAction Ignore").Invoke()
            $ps.Streams.Error | Should -BeNullOrEmpty
            $records = @($ps.Streams.Progress)
        }
        finally { $ps.Dispose() }
        $layers = @(Get-OverlayLayer -Store $Store | Where-Object Kind -eq Image).Count
        $records.Activity | Select-Object -Unique | Should -Be "Verifying the layers of '$Store'"
        @($records | Where-Object RecordType -ne Completed | ForEach-Object { ($_.StatusDescription -split ' ')[1] } | Select-Object -Unique) |
            Should -Be @(1..$layers | ForEach-Object { "$_/$layers" })
        $records[-1].RecordType | Should -Be 'Completed'
    }

    It 'names a changed file and its layer, which the plain check does not see' {
        Assert-RootOrSkip 'the Docker fixture'
        $copy = New-TestDir 'ovlps-verify'
        try {
            Expand-DockerFixture $copy
            $layer = (Get-OverlayLayer -Store "$copy/docker" -Image app:1.0)[8]
            $big = Join-Path $layer.DiffPath 'app/big.bin'
            $bytes = [IO.File]::ReadAllBytes($big); $bytes[1000] = $bytes[1000] -bxor 1; [IO.File]::WriteAllBytes($big, $bytes)
            Test-OverlayStore -Store "$copy/docker" -InformationAction Ignore | Should -BeNullOrEmpty
            $found = Test-OverlayStore -Store "$copy/docker" -Verify
            @($found.Problem | ForEach-Object { "$_" } | Sort-Object) | Should -Be @('DiffIdMismatch', 'TamperedLayerFile')
            ($found | Where-Object Problem -eq TamperedLayerFile).Path | Should -Be $big
            ($found | Where-Object Problem -eq DiffIdMismatch).Subject | Should -Be $layer.ChainId
            Test-OverlayStore -Store "$copy/docker" -Verify -Quiet | Should -BeFalse
        }
        finally { & rm -rf $copy }
    }
}

Describe 'Export-OverlayLayer' {
    It 'writes each layer of an image as a tar whose sha256 is its DiffID, plain and gzip' {
        Assert-RootOrSkip 'the Docker fixture'
        $img = Get-OverlayImage -Store $Store app:1.0
        for ($i = 1; $i -le $img.LayerCount; $i++) {
            $file = Export-OverlayLayer -Store $Store -Image app:1.0 -Index $i -Path "$Work/l$i.tar"
            $file | Should -BeOfType System.IO.FileInfo
            Sha256 $file.FullName | Should -Be $img.DiffIds[$i - 1]
        }
        $gz = Export-OverlayLayer -Store $Store -Image app:1.0 -Path "$Work/top.tar.gz" -Compress
        gzip -dc $gz.FullName > "$Work/top-unzipped.tar"
        Sha256 "$Work/top-unzipped.tar" | Should -Be $img.DiffIds[-1]
    }

    It 'takes layer objects from the pipeline and resolves a relative path against the FileSystem location' {
        Assert-RootOrSkip 'the Docker fixture'
        $base = Get-OverlayLayer -Store $Store -Image base:latest
        Push-Location $Work
        try { $file = $base | Export-OverlayLayer -Path ./base.tar }
        finally { Pop-Location }
        $file.FullName | Should -Be (Join-Path $Work 'base.tar')
        Sha256 $file.FullName | Should -Be $base.DiffId
    }

    It 'refuses to overwrite without -Force and replaces with it' {
        Assert-RootOrSkip 'the Docker fixture'
        Set-Content "$Work/exists.tar" 'keep me'
        $err = $null
        Export-OverlayLayer -Store $Store -Image base:latest -Path "$Work/exists.tar" -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-CleanError $err 'DestinationExists' "$Work/exists.tar"
        Get-Content "$Work/exists.tar" | Should -Be 'keep me'
        $file = Export-OverlayLayer -Store $Store -Image base:latest -Path "$Work/exists.tar" -Force
        Sha256 $file.FullName | Should -Be (Get-OverlayImage -Store $Store base:latest).DiffIds[0]
    }

    It 'leaves no file, not even a partial one, when the layer does not verify' {
        Assert-RootOrSkip 'the Docker fixture'
        $copy = New-TestDir 'ovlps-export-bad'
        try {
            Expand-DockerFixture $copy
            $layer = (Get-OverlayLayer -Store "$copy/docker" -Image app:1.0)[2]
            Remove-Item (Join-Path $layer.DiffPath 'app/tool.sh')
            $out = New-TestDir 'ovlps-export-out'
            $err = $null
            Export-OverlayLayer -Store "$copy/docker" -Layer $layer.DiffId -Path "$out/l.tar" -ErrorVariable err -ErrorAction SilentlyContinue |
                Should -BeNullOrEmpty
            Assert-CleanError $err 'LayerNotVerified'
            $err[0].Exception.Message | Should -Match 'app/tool.sh'
            @(Get-ChildItem $out -Force) | Should -BeNullOrEmpty
        }
        finally { & rm -rf $copy $out }
    }

    It 'refuses a container''s read-write layer, which has no recorded tar' {
        Assert-RootOrSkip 'the Docker fixture'
        $rw = (Get-OverlayContainer -Store $Store c-ran).GetRwLayer()
        $err = $null
        Export-OverlayLayer -Store $Store -Layer $rw -Path "$Work/rw.tar" -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-CleanError $err 'NotAnImageLayer'
        Test-Path "$Work/rw.tar" | Should -BeFalse
    }

    It 'refuses a destination on another provider''s drive' {
        Assert-RootOrSkip 'the Docker fixture'
        $err = $null
        Export-OverlayLayer -Store $Store -Image base:latest -Path 'Env:/layer.tar' -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-CleanError $err 'DestinationNotOnFileSystem' 'Env:/layer.tar'
    }

    It 'writes nothing under -WhatIf' {
        Assert-RootOrSkip 'the Docker fixture'
        Export-OverlayLayer -Store $Store -Image base:latest -Path "$Work/whatif.tar" -WhatIf
        Test-Path "$Work/whatif.tar" | Should -BeFalse
    }
}

Describe 'Save-OverlayImage' {
    It 'writes docker 20.10''s save layout: config as stored, layer tars equal to their DiffIDs, manifest with the named tags' {
        Assert-RootOrSkip 'the Docker fixture'
        $img = Get-OverlayImage -Store $Store app:1.0
        $file = Save-OverlayImage -Store $Store -Image app:1.0, app:latest -Path "$Work/app.tar"
        Expand-Tar $file.FullName "$Work/app-saved"
        $manifest = Get-Content -Raw "$Work/app-saved/manifest.json" | ConvertFrom-Json
        @($manifest).Count | Should -Be 1
        $manifest[0].RepoTags | Should -Be @('app:1.0', 'app:latest')
        Sha256 "$Work/app-saved/$($manifest[0].Config)" | Should -Be $img.Id
        @($manifest[0].Layers).Count | Should -Be $img.LayerCount
        for ($i = 0; $i -lt $img.LayerCount; $i++) {
            Sha256 "$Work/app-saved/$($manifest[0].Layers[$i])" | Should -Be $img.DiffIds[$i]
            Get-Content "$Work/app-saved/$(Split-Path $manifest[0].Layers[$i])/VERSION" | Should -Be '1.0'
        }
        (Get-Content -Raw "$Work/app-saved/repositories" | ConvertFrom-Json).app.'1.0' | Should -Be (Split-Path $manifest[0].Layers[-1])
        Test-Path "$Work/app-saved/index.json" | Should -BeFalse   # 20.10 writes no OCI layout
        # The same image saves to the same bytes.
        $again = Save-OverlayImage -Store $Store -Image app:1.0, app:latest -Path "$Work/app2.tar"
        Sha256 $again.FullName | Should -Be (Sha256 $file.FullName)
    }

    It 'records no tag for an image named by id, as docker save' {
        Assert-RootOrSkip 'the Docker fixture'
        $img = Get-OverlayImage -Store $Store base:latest
        $file = Save-OverlayImage -Store $Store -Image $img.Id -Path "$Work/byid.tar"
        Expand-Tar $file.FullName "$Work/byid"
        (Get-Content -Raw "$Work/byid/manifest.json" | ConvertFrom-Json)[0].RepoTags | Should -BeNullOrEmpty
    }
}

Describe 'Against a private dockerd' {
    BeforeAll {
        $script:D = $null
        if ($IsRoot) { $script:D = Start-TestDockerd }
        if ($D) {
            $env:DOCKER_BUILDKIT = '0'
            New-TestRootfsTar (Join-Path $D.Dir 'rootfs.tar') | Out-Null
            Invoke-TestDocker $D import --change 'CMD ["/bin/sh"]' (Join-Path $D.Dir 'rootfs.tar') mini:1 | Out-Null
            $ctx = Join-Path $D.Dir 'ctx'
            New-Item -ItemType Directory $ctx | Out-Null
            @'
FROM mini:1
ENV GREETING=hello
RUN echo hi > /hi.txt && mkdir -p /d/e && echo x > /d/e/x && ln /hi.txt /hi-link && ln -s /hi.txt /hi-sym
RUN rm /etc/group && rm -rf /d && mkdir /d && echo y > /d/y && head -c 300000 /bin/busybox > /blob
LABEL stage=two
'@ | Set-Content (Join-Path $ctx 'Dockerfile')
            Invoke-TestDocker $D build -q -t artifacts:1 -t artifacts:also $ctx | Out-Null
        }
    }
    AfterAll {
        Remove-Item Env:DOCKER_BUILDKIT -ErrorAction Ignore
        Stop-TestDockerd $D
    }

    It 'exports each layer byte for byte as the layer.tar docker save writes' {
        Assert-RootOrSkip 'a private dockerd'
        if (-not $D) { $D = Start-TestDockerd; return }
        $saved = Join-Path $D.Dir 'docker-saved.tar'
        Invoke-TestDocker $D save -o $saved artifacts:1 | Out-Null
        Expand-Tar $saved (Join-Path $D.Dir 'docker-saved')
        $manifest = Get-Content -Raw (Join-Path $D.Dir 'docker-saved/manifest.json') | ConvertFrom-Json
        $img = Get-OverlayImage -Store $D.DataRoot artifacts:1
        $img.LayerCount | Should -Be 3
        for ($i = 1; $i -le $img.LayerCount; $i++) {
            $ours = Export-OverlayLayer -Store $D.DataRoot -Image artifacts:1 -Index $i -Path (Join-Path $D.Dir "ours-$i.tar")
            $theirs = Join-Path $D.Dir "docker-saved/$($manifest[0].Layers[$i - 1])"
            $ours.Length | Should -Be (Get-Item $theirs).Length
            Sha256 $ours.FullName | Should -Be (Sha256 $theirs)
        }
        Test-OverlayStore -Store $D.DataRoot -Verify -Quiet | Should -BeTrue
    }

    It 'saves a tar that docker load turns back into the same image id, tags and history' {
        Assert-RootOrSkip 'a private dockerd'
        if (-not $D) { $D = Start-TestDockerd; return }
        $id = Invoke-TestDocker $D image inspect --format '{{.Id}}' artifacts:1
        $history = Invoke-TestDocker $D history --no-trunc --format '{{.ID}} {{.CreatedBy}} {{.Size}}' artifacts:1
        $ours = Save-OverlayImage -Store $D.DataRoot -Image artifacts:1, artifacts:also -Path (Join-Path $D.Dir 'ours.tar')
        Invoke-TestDocker $D rmi artifacts:1 artifacts:also | Out-Null
        $loaded = Invoke-TestDocker $D load -i $ours.FullName
        ($loaded -join "`n") | Should -Match 'Loaded image: artifacts:1'
        Invoke-TestDocker $D image inspect --format '{{.Id}}' artifacts:1 | Should -Be $id
        (Invoke-TestDocker $D image inspect --format '{{json .RepoTags}}' artifacts:1 | ConvertFrom-Json | Sort-Object) |
            Should -Be @('artifacts:1', 'artifacts:also')
        # History: the loaded image has no parent chain, so docker shows <missing> for the older
        # steps' ids, as for any loaded image; what each step did and its size are the same.
        $after = Invoke-TestDocker $D history --no-trunc --format '{{.ID}} {{.CreatedBy}} {{.Size}}' artifacts:1
        @($after | ForEach-Object { $_ -replace '^\S+ ', '' }) | Should -Be @($history | ForEach-Object { $_ -replace '^\S+ ', '' })
        ($after[0] -split ' ')[0] | Should -Be $id
    }
}
