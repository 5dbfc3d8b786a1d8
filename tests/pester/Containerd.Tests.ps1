# The store cmdlets, drives and completion on a real containerd store (containerd 1.6,
# namespaces default and moby), judged by what ctr said about it (ground-truth/).
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Work = New-TestDir 'ovlps-containerd'
    $script:Store = Join-Path $Work 'containerd'
    $script:Fixture = Join-Path $RepoRoot 'tests/fixtures/containerd-overlayfs'
    $script:Truth = Join-Path $Fixture 'ground-truth'
    $script:Snapshots = "$Store/io.containerd.snapshotter.v1.overlayfs/snapshots"
    function Expand-ContainerdFixture([string] $Into) {
        # As root, or the whiteouts and trusted.overlay.opaque markers are silently dropped.
        tar --xattrs --xattrs-include='trusted.*' --xattrs-include='user.*' --numeric-owner `
            -xzf "$Fixture/store.tar.gz" -C $Into
    }
    if ($IsRoot) { Expand-ContainerdFixture $Work }
    $script:Here = Get-Location
}
AfterAll {
    Set-Location $Here
    Remove-PSDrive capp -Force -ErrorAction Ignore
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'The README containerd examples' {
    It 'run as written, without an error, and say what the comments say' {
        Assert-RootOrSkip 'the containerd fixture'
        $readme = Get-Content -Raw "$RepoRoot/README.md"
        $start = $readme.IndexOf('## containerd stores')
        $end = $readme.IndexOf("`n## ", $start + 1)
        $blocks = @([regex]::Matches($readme.Substring($start, $end - $start), '(?s)```powershell\n(.*?)```') |
            ForEach-Object { $_.Groups[1].Value })
        $blocks.Count | Should -Be 1
        Set-Location $Work
        try { $out = & ([scriptblock]::Create($blocks[0])) 2>&1 6>&1 }
        finally { Set-Location $Here }
        @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) -join "`n" | Should -BeNullOrEmpty
        $images = $out | Where-Object { $_ -is [OverlayPS.Core.Docker.DockerImage] }
        @($images | Where-Object Namespace -eq 'moby').Count | Should -Be 2
        ($out | Where-Object { $_ -is [OverlayPS.Core.Docker.DockerLayer] -and $_.Containers -contains 'c-ran' -and $_.Kind -eq 'Container' }).CacheId | Should -Be '9'
        ($out | Where-Object { $_ -is [OverlayPS.Core.Docker.LayerChange] }).Path | Should -Contain '/direct-add.txt'
        ($out | Where-Object { $_ -is [OverlayPS.Core.Docker.PathLayerStep] }).Position | Should -Be @(1, 3)
        "$($out | Where-Object { $_ -is [System.Management.Automation.InformationRecord] })" |
            Should -Be "No problems found in '$Store' (12 layer dirs, 2 images, 3 containers)."
        ($out | Where-Object { $_ -is [OverlayPS.Items.OverlayItem] }).Name | Should -Contain 'hello.txt'
    }
}

Describe 'containerd images, containers and layers' {
    It 'lists the images and containers ctr lists, in each namespace' {
        Assert-RootOrSkip 'the containerd fixture'
        foreach ($ns in 'default', 'moby') {
            $ctr = Get-Content "$Truth/ns-$ns/images-ls.txt" | Select-Object -Skip 1 | ForEach-Object { , ($_ -split '\s+') }
            $images = Get-OverlayImage -Store $Store -Namespace $ns
            ($images.Id | Sort-Object) | Should -Be ($ctr | ForEach-Object { $_[2] } | Sort-Object)
            $images.StoreKind | Select-Object -Unique | Should -Be 'ContainerdOverlayfs'
            $ids = Get-Content "$Truth/ns-$ns/containers-ls.txt" | Select-Object -Skip 1 | ForEach-Object { ($_ -split '\s+')[0] }
            ((Get-OverlayContainer -Store $Store -Namespace $ns).Id | Sort-Object) | Should -Be ($ids | Sort-Object)
        }
        (Get-OverlayImage -Store $Store docker.io/fixture/app:1.0).Name | Should -Be 'fixture/app:1.0'
    }

    It 'names the snapshot key that owns every snapshot dir, in its namespace' {
        Assert-RootOrSkip 'the containerd fixture'
        $map = (Get-Content -Raw "$Truth/snapshot-map.json" | ConvertFrom-Json).namespaced_snapshots
        $map.Count | Should -Be 17
        foreach ($s in $map) {
            $layer = Get-OverlayLayer -Store $Store -Namespace $s.namespace -Path "$Snapshots/$($s.backend.id)/fs"
            $layer.SnapshotKey | Should -Be $s.key
            $layer.CacheId | Should -Be "$($s.backend.id)"
        }
    }

    It 'carries the namespace down the pipeline, also through Export-Clixml' {
        Assert-RootOrSkip 'the containerd fixture'
        $c = Get-OverlayContainer -Store $Store -Namespace moby
        ($c | Get-OverlayLayer).CacheId | Should -Be @('5', '6', '7', '8', '12')
        $c | Export-Clixml "$Work/c.xml"
        (Import-Clixml "$Work/c.xml" | Get-OverlayLayer).CacheId | Should -Be @('5', '6', '7', '8', '12')
        (Get-OverlayImage -Store $Store -Namespace moby fixture/base:1.0 | Get-OverlayLayer).Namespace | Should -Be 'moby'
    }

    It 'shows changes of a container and the files of an image drive' {
        Assert-RootOrSkip 'the containerd fixture'
        $changes = Get-OverlayChange -Store $Store c-ran
        ($changes | Where-Object Path -eq '/app/empty-file').Kind | Should -Be 'Deleted'
        $changes.Namespace | Select-Object -Unique | Should -Be 'default'
        # Path history and waste say the namespace too, so piping them finds the same store again.
        $steps = Get-OverlayPathHistory -Store $Store -Namespace moby -Image fixture/base:1.0 /etc
        $steps.Namespace | Select-Object -Unique | Should -Be 'moby'
        $steps.StoreKind | Select-Object -Unique | Should -Be 'ContainerdOverlayfs'
        (Measure-OverlayImage -Store $Store -Namespace moby fixture/base:1.0).Namespace | Should -Be 'moby'
        New-PSDrive capp -PSProvider Overlay -Root / -Store $Store -Image fixture/app:1.0 | Out-Null
        try { Get-Content capp:/etc/motd | Should -Not -BeNullOrEmpty }
        finally { Remove-PSDrive capp -Force }
    }
}

Describe 'Completion and errors on containerd stores' {
    It 'completes -Namespace, and image names of the namespace given' {
        Assert-RootOrSkip 'the containerd fixture'
        $line = "Get-OverlayImage -Store '$Store' -Namespace "
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be @('default', 'moby')
        $line = "Get-OverlayImage -Store '$Store' -Namespace moby fixture/b"
        (TabExpansion2 -inputScript $line -cursorColumn $line.Length).CompletionMatches.CompletionText | Should -Be 'fixture/base:1.0'
    }

    It 'refuses an unknown namespace, and -Namespace on a store without namespaces' {
        Assert-RootOrSkip 'the containerd fixture'
        $err = $null
        try { Get-OverlayImage -Store $Store -Namespace nosuch -ErrorAction Stop } catch { $err = $_ }
        Assert-CleanError $err 'NamespaceNotFound' 'nosuch'
        $err.Exception.Message | Should -BeLike "*has no namespace 'nosuch'; it has: default, moby*"
        $d = New-TestDir
        try {
            New-Item -ItemType Directory "$d/docker/image/overlay2", "$d/docker/overlay2" | Out-Null   # an overlay2 root
            $err = $null
            try { Get-OverlayImage -Store "$d/docker" -Namespace moby -ErrorAction Stop } catch { $err = $_ }
            Assert-CleanError $err 'NamespaceNotFound' 'moby'
        }
        finally { Remove-Item $d -Recurse -Force }
    }

    It 'gives one clean error naming the file for a corrupt metadata database' {
        Assert-RootOrSkip 'the containerd fixture'
        $d = New-TestDir
        try {
            Expand-ContainerdFixture $d
            $db = "$d/containerd/io.containerd.metadata.v1.bolt/meta.db"
            $bytes = [IO.File]::ReadAllBytes($db)
            [IO.File]::WriteAllBytes($db, $bytes[0..8191])   # the two meta pages only
            $err = $null
            try { Get-OverlayImage -Store "$d/containerd" -ErrorAction Stop } catch { $err = $_ }
            Assert-CleanError $err 'StoreDatabaseCorrupt' $db
            $err.CategoryInfo.Category | Should -Be 'InvalidData'
            $err.Exception.Message | Should -BeLike "*not a readable bbolt database*truncated*"
        }
        finally { Remove-Item $d -Recurse -Force }
    }
}
