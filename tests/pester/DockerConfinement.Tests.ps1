# The Docker cmdlets and drives on a store crafted to point outside itself (issue 11, case 4):
# each refuses with an ErrorRecord (id, category, target) and nothing from the host dir the
# store points at shows up in any output.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Work = New-TestDir 'ovlps-docker-hostile'
    $script:HostDir = New-TestDir 'ovlps-docker-host'
    $script:Canary = 'canary-from-host'
    New-Item -ItemType Directory "$HostDir/layer/diff" | Out-Null
    Set-Content "$HostDir/layer/diff/$Canary" 'host secret'
    Set-Content "$HostDir/$Canary" 'host secret'
    if ($IsRoot) {
        Expand-DockerFixture $Work
    }
    $script:Store = Join-Path $Work 'docker'
    # No output may name the canary: objects are flattened to text to look for it.
    function Assert-NoCanary($out) {
        ($out | Format-List * | Out-String) | Should -Not -Match $Canary
    }
}
AfterAll {
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
    Remove-Item $HostDir -Recurse -Force -ErrorAction Ignore
}

Describe 'A container whose read-write diff dir is a symlink to a host dir' {
    BeforeAll {
        if ($IsRoot) {
            $c = Get-OverlayContainer -Store $Store c-ran
            $script:Diff = $c.GetRwLayer().DiffPath
            Move-Item $Diff "$Diff.orig"
            New-Item -ItemType SymbolicLink -Path $Diff -Target "$HostDir/layer/diff" | Out-Null
        }
    }

    It 'is refused by New-PSDrive -Container with a store error naming the diff dir' {
        Assert-RootOrSkip 'the Docker fixture'
        $err = $null
        New-PSDrive hostile -PSProvider Overlay -Root / -Store $Store -Container c-ran -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        Get-PSDrive hostile -ErrorAction Ignore | Should -BeNullOrEmpty
        Assert-CleanError $err -Id 'StoreLinkedLayerDir' -Target $Diff
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'
    }

    It 'is refused by Get-OverlayChange and Get-OverlayPathHistory, showing no host file' {
        Assert-RootOrSkip 'the Docker fixture'
        $err = $null
        $out = Get-OverlayChange -Store $Store c-ran -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-NoCanary $out
        Assert-CleanError $err -Id 'LayerUnreadable' -Target $Diff
        $err[0].CategoryInfo.Category | Should -Be 'InvalidData'

        $err = $null
        $out = Get-OverlayPathHistory -Store $Store -Container c-ran "/$Canary" -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-NoCanary $out
        Assert-CleanError $err -Id 'LayerUnreadable' -Target $Diff
    }

    It 'is not measured by -MeasureSize, and the other containers still are' {
        Assert-RootOrSkip 'the Docker fixture'
        $err = $null
        $all = Get-OverlayContainer -Store $Store -MeasureSize -ErrorVariable err -ErrorAction SilentlyContinue
        Assert-CleanError $err -Id 'LayerUnreadable' -Target $Diff
        ($all | Where-Object Name -EQ 'c-ran').SizeRw | Should -BeNullOrEmpty
        ($all | Where-Object Name -EQ 'c-stopped').SizeRw | Should -Be 8
    }

    It 'is a LinkedLayerDir finding of Test-OverlayStore' {
        Assert-RootOrSkip 'the Docker fixture'
        $f = Test-OverlayStore -Store $Store | Where-Object Problem -EQ LinkedLayerDir
        $f.Path | Should -Be $Diff
    }
}

Describe 'A container whose mount-id climbs out of overlay2/' {
    BeforeAll {
        if ($IsRoot) {
            $script:Copy = Join-Path $Work 'climb'
            New-Item -ItemType Directory $Copy | Out-Null
            Expand-DockerFixture $Copy
            $script:Copy = Join-Path $Copy 'docker'
            $c = Get-OverlayContainer -Store $Copy c-ran
            $script:MountId = "$Copy/image/overlay2/layerdb/mounts/$($c.Id)/mount-id"
            # overlay2/<this>/diff is the host dir.
            [IO.File]::WriteAllText($MountId, ('../' * 30) + "$HostDir/layer".TrimStart('/'))
        }
    }

    It 'shows nothing of the host in changes, path history or the container drive' {
        Assert-RootOrSkip 'the Docker fixture'
        $err = $null
        Assert-NoCanary (Get-OverlayChange -Store $Copy c-ran -ErrorVariable err -ErrorAction SilentlyContinue)
        Assert-CleanError $err -Id 'ContainerLayerMissing'
        $err = $null
        Assert-NoCanary (Get-OverlayPathHistory -Store $Copy -Container c-ran "/$Canary" -ErrorAction SilentlyContinue)
        New-PSDrive climb -PSProvider Overlay -Root / -Store $Copy -Container c-ran -ErrorVariable err -ErrorAction SilentlyContinue |
            Should -BeNullOrEmpty
        Assert-CleanError $err -Id 'StoreDataInvalid' -Target climb
        $err[0].Exception.Message | Should -Match 'Test-OverlayStore'
    }

    It 'is an UnsafeId finding of Test-OverlayStore' {
        Assert-RootOrSkip 'the Docker fixture'
        $f = Test-OverlayStore -Store $Copy | Where-Object Problem -EQ UnsafeId
        $f.Path | Should -Be $MountId
        $f.Message | Should -Match 'not used as a path'
    }
}
