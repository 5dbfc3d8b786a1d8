# Every table view of module/OverlayPS.Format.ps1xml, rendered at 80 and 120 columns (a small
# and a common terminal): no column dropped or its header wrapped, each header a property of
# the object (so Where-Object <Header> works), and the values a user looks things up by whole.
BeforeDiscovery {
    # Listed here rather than found, so a new view without a sample fails the completeness test.
    $script:Views = @(
        'OverlayPS.Core.Docker.DockerImage'
        'OverlayPS.Core.Docker.ImageHistoryStep'
        'OverlayPS.Core.Docker.DockerContainer'
        'OverlayPS.Core.Docker.DockerLayer'
        'OverlayPS.Core.Docker.LayerChange'
        'OverlayPS.Core.Docker.StoreFinding'
        'OverlayPS.Core.Docker.PathLayerStep'
        'OverlayPS.Core.Docker.ImageWaste'
        'OverlayPS.Core.Docker.WastedFile'
        'OverlayPS.Core.Kernel.OverlayMount'
        'OverlayPS.Items.OverlayItem'
    ) | ForEach-Object { foreach ($w in 80, 120) { @{ Type = $_; Width = $w } } }
}

BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    # Short paths: a mount point or a file name is a key value and must fit whole at 80.
    $script:Work = Join-Path ([IO.Path]::GetTempPath()) "v$([guid]::NewGuid().ToString('N').Substring(0, 8))"
    New-Item -ItemType Directory $Work | Out-Null
    $script:Store = Join-Path $Work 'docker'
    $script:Samples = @{}
    $script:Keys = @{}

    # Overlay drive items need no root: a drive over two plain dirs.
    New-Item -ItemType Directory "$Work/l1/etc", "$Work/l2/etc", "$Work/u", "$Work/w" | Out-Null
    Set-Content "$Work/l2/etc/os-release" 'ID=test'
    Set-Content "$Work/l1/etc/hostname" 'views'
    $null = New-PSDrive -Name vw -PSProvider Overlay -Root / -LowerDir "$Work/l1", "$Work/l2" -UpperDir "$Work/u" -WorkDir "$Work/w"
    $Samples['OverlayPS.Items.OverlayItem'] = { Get-ChildItem vw:/etc }
    $Keys['OverlayPS.Items.OverlayItem'] = { param($o) $o.Name; $o.Layer; $o.Length; $o.Mode }

    if ($IsRoot) {
        Expand-DockerFixture $Work
        # One finding for Test-OverlayStore: an overlay2 dir nothing names.
        New-Item -ItemType Directory "$Store/overlay2/$('f' * 64)/diff" | Out-Null
        New-Item -ItemType Directory "$Work/m" | Out-Null
        $script:Mounted = Mount-Overlay -MountPoint "$Work/m" -LowerDir "$Work/l1", "$Work/l2" -PassThru
    }
    $Samples['OverlayPS.Core.Docker.DockerImage'] = { Get-OverlayImage -Store $Store }
    # Sizes show as docker prints them (3.03MB): that text is the key value.
    function Show-Size($b) { [OverlayPS.Core.Docker.ByteSize]::Format($b) }
    $Keys['OverlayPS.Core.Docker.DockerImage'] = { param($o) $o.ShortId; Show-Size $o.Size; $o.Tags | Where-Object Length -le 17 }
    $Samples['OverlayPS.Core.Docker.ImageHistoryStep'] = { Get-OverlayImage -Store $Store app:1.0 -History }
    $Keys['OverlayPS.Core.Docker.ImageHistoryStep'] = { param($o) if ($o.ImageId) { $o.ImageId.Substring(7, 12) } else { '<missing>' }; Show-Size $o.Size }
    $Samples['OverlayPS.Core.Docker.DockerContainer'] = { Get-OverlayContainer -Store $Store }
    $Keys['OverlayPS.Core.Docker.DockerContainer'] = { param($o) $o.Name; $o.ShortId; $o.State; $o.Image }
    $Samples['OverlayPS.Core.Docker.DockerLayer'] = { Get-OverlayLayer -Store $Store -Container c-ran }
    $Keys['OverlayPS.Core.Docker.DockerLayer'] = { param($o) $o.Position; $o.Kind; $o.CacheId.Substring(0, 12); Show-Size $o.Size }
    $Samples['OverlayPS.Core.Docker.LayerChange'] = { Get-OverlayChange -Store $Store -Container c-ran }
    $Keys['OverlayPS.Core.Docker.LayerChange'] = { param($o) $o.Kind; $o.ItemType; $o.Path }
    $Samples['OverlayPS.Core.Docker.StoreFinding'] = { Test-OverlayStore -Store $Store }
    $Keys['OverlayPS.Core.Docker.StoreFinding'] = { param($o) $o.Problem }
    $Samples['OverlayPS.Core.Docker.PathLayerStep'] = { Get-OverlayPathHistory -Store $Store -Image app:1.0 -Path /etc/motd }
    $Keys['OverlayPS.Core.Docker.PathLayerStep'] = { param($o) $o.Position; $o.Action; Show-Size $o.Size }
    $Samples['OverlayPS.Core.Docker.ImageWaste'] = { Measure-OverlayImage -Store $Store app:1.0 }
    $Keys['OverlayPS.Core.Docker.ImageWaste'] = { param($o) $o.Name; Show-Size $o.Size; Show-Size $o.WastedBytes; $o.WastedPercent; $o.Efficiency; $o.FileCount }
    $Samples['OverlayPS.Core.Docker.WastedFile'] = { Measure-OverlayImage -Store $Store app:1.0 -ListFiles }
    $Keys['OverlayPS.Core.Docker.WastedFile'] = { param($o) Show-Size $o.Size; $o.Path }
    $Samples['OverlayPS.Core.Kernel.OverlayMount'] = { Get-OverlayMount -Path "$Work/m" }
    $Keys['OverlayPS.Core.Kernel.OverlayMount'] = { param($o) $o.MountPoint; $o.ReadOnly }

    # The header line of a table: the line above the one made of dashes.
    function Get-TableHeader([string[]] $Lines) {
        for ($i = 1; $i -lt $Lines.Count; $i++) {
            if ($Lines[$i] -match '^[\s-]+$' -and $Lines[$i] -match '-') { return $Lines[$i - 1], $Lines[$i] }
        }
        throw "no table header in:`n$($Lines -join "`n")"
    }
}

AfterAll {
    Remove-PSDrive vw -ErrorAction Ignore
    if ($IsRoot -and (Get-OverlayMount -Path "$Work/m" -ErrorAction Ignore)) { Dismount-Overlay "$Work/m" }
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Table views at <Width> columns: <Type>' -ForEach $Views {
    It 'shows every column, headed by a property name, with key values whole' {
        if ($Type -notlike 'OverlayPS.Items.*') { Assert-RootOrSkip 'the Docker fixture and kernel mounts' }
        $Samples.ContainsKey($Type) | Should -BeTrue -Because "every view needs a sample here"
        $objects = @(& $Samples[$Type])
        $objects.Count | Should -BeGreaterThan 0
        $objects[0].PSObject.TypeNames | Should -Contain $Type

        $table = (Get-FormatData -TypeName $Type).FormatViewDefinition |
            Where-Object { $_.Control -is [System.Management.Automation.TableControl] }
        $labels = @($table.Control.Headers.Label)
        $text = $objects | Format-Table | Out-String -Width $Width
        $lines = $text -split "`r?`n"
        $lines | ForEach-Object { $_.Length | Should -BeLessOrEqual $Width }
        $header, $dashes = Get-TableHeader $lines
        # Every column, in order, its header on one line: none dropped, none wrapped ('RwLaye'/'r').
        @($header.Trim() -split '\s+') | Should -Be $labels
        @($dashes.Trim() -split '\s+').Count | Should -Be $labels.Count
        foreach ($l in $labels) {
            $objects[0].PSObject.Properties.Name | Should -Contain $l -Because "the '$l' column must be a property for Where-Object $l"
        }
        foreach ($o in $objects) {
            foreach ($k in & $Keys[$Type] $o) {
                if ("$k") { $text | Should -Match ([regex]::Escape("$k")) -Because "'$k' of $o must be shown whole at $Width columns" }
            }
        }
    }
}
