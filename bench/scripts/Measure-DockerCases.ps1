<#
.SYNOPSIS
The bench cases that need a real dockerd, in one run against one private daemon
(tests/daemon/dockerd.sh): layer verification (Test-OverlayStore -Verify) against sha256sum over
the same bytes, on the fixture store and on a generated store of -SizeMiB, and case 5's
reference: docker diff and Get-OverlayChange on the same stopped container.
Runs each pair alternately (ours, reference, ...) -Runs times and prints markdown table rows
(medians). Needs root; installs Debian's docker.io when missing.

    sudo dotnet pwsh -NoProfile -File bench/scripts/Measure-DockerCases.ps1 [-SizeMiB 1024] [-Runs 5]
#>
param([int] $SizeMiB = 1024, [int] $Runs = 5, [int] $Changes = 2000)
$ErrorActionPreference = 'Stop'
$repo = (Resolve-Path "$PSScriptRoot/../..").Path
. "$repo/tests/daemon/TestDockerd.ps1"
Import-Module "$repo/OverlayPS.psd1"

function Median([double[]] $v) { $s = $v | Sort-Object; if ($s.Count % 2) { $s[[int][math]::Floor($s.Count / 2)] } else { ($s[$s.Count / 2 - 1] + $s[$s.Count / 2]) / 2 } }
function Time([scriptblock] $b) { $sw = [Diagnostics.Stopwatch]::StartNew(); & $b | Out-Null; $sw.Elapsed.TotalMilliseconds }
function Fmt([double] $ms) { if ($ms -ge 1000) { '{0:0.00} s' -f ($ms / 1000) } else { '{0:0} ms' -f $ms } }
function Row([string] $case, [string] $size, [double] $ours, [string] $refText, [double] $ref, [string] $target, [bool] $met) {
    '| {0} | {1} | {2} | {3} | {4:0.00} | {5} | {6} |' -f $case, $size, (Fmt $ours), $refText, ($ours / $ref), $target, $(if ($met) { 'yes' } else { 'no' })
}

# Verification of every image layer vs sha256sum over the files the layers hold (the same
# bytes read; the tar headers come from the tar-split), alternately, page cache warm for both.
function Compare-Verify([string] $Store, [string] $Label) {
    $diffs = @(Get-OverlayLayer -Store $Store | Where-Object Kind -eq Image | ForEach-Object DiffPath)
    $list = Join-Path $work 'files.list'
    & bash -c "find $($diffs -join ' ') -type f -print0 > '$list'"
    $bytes = [long](& bash -c "xargs -0 -a '$list' stat -c %s | awk '{s+=`$1} END {print s+0}'")
    $ours = @(); $ref = @()
    Test-OverlayStore -Store $Store -Verify -Quiet | Out-Null   # warm: page cache, JIT
    for ($i = 0; $i -lt $Runs; $i++) {
        $ours += Time { if (-not (Test-OverlayStore -Store $Store -Verify -Quiet -ProgressAction SilentlyContinue)) { throw "$Label does not verify" } }
        $ref += Time { & bash -c "xargs -0 -a '$list' sha256sum > /dev/null" }
    }
    $o = Median $ours; $r = Median $ref
    Row "7. Layer verification (Test-OverlayStore -Verify vs sha256sum)" "$Label, $($diffs.Count) layers, $([math]::Round($bytes / 1MB, 1)) MiB" $o "$(Fmt $r) (sha256sum over the layers' files)" $r '<= 1.3' (($o / $r) -le 1.3)
}

$work = Join-Path ([IO.Path]::GetTempPath()) "ovlps-bench-docker-$([guid]::NewGuid().ToString('N'))"
New-Item -ItemType Directory $work | Out-Null
$d = Start-TestDockerd
if (-not $d) { Write-Host 'no dockerd: nothing measured'; exit 0 }
$rows = @()
try {
    # 7a. the fixture store
    tar --xattrs --xattrs-include='trusted.*' --numeric-owner -xzf "$repo/tests/fixtures/docker-overlay2/store.tar.gz" -C $work
    $rows += Compare-Verify (Join-Path $work 'docker') 'fixture store'
    & rm -rf (Join-Path $work 'docker')

    # 7b. a generated store: a busybox rootfs plus -SizeMiB of random data (64 MiB files) and
    # 2,000 small files, imported as one layer, and a second layer built on it.
    $rfs = Join-Path $work 'rootfs'
    New-Item -ItemType Directory $rfs | Out-Null
    & bash "$repo/tests/daemon/dockerd.sh" rootfs (Join-Path $work 'mini.tar')
    tar -xf (Join-Path $work 'mini.tar') -C $rfs
    New-Item -ItemType Directory "$rfs/data", "$rfs/small" | Out-Null
    $big = [math]::Max(1, [int][math]::Floor($SizeMiB / 64))
    & bash -c "for i in `$(seq 1 $big); do head -c $([math]::Min(64, $SizeMiB))M /dev/urandom > '$rfs/data/blob'`$i; done; for i in `$(seq 1 2000); do echo small `$i > '$rfs/small/f'`$i; done"
    tar --numeric-owner -C $rfs -cf (Join-Path $work 'big.tar') .
    Remove-Item $rfs -Recurse -Force
    Invoke-TestDocker $d import --change 'CMD ["/bin/sh"]' (Join-Path $work 'big.tar') big:1 | Out-Null
    Remove-Item (Join-Path $work 'big.tar')
    $rows += Compare-Verify $d.DataRoot "generated store"

    # 5. docker diff vs Get-OverlayChange on one stopped container that made -Changes changes
    $script = "mkdir -p /new && i=0; while [ `$i -lt $Changes ]; do echo `$i > /new/f`$i; i=`$((i+1)); done; rm -rf /small; rm /etc/passwd; echo x >> /etc/group"
    Invoke-TestDocker $d run --name changed --network none big:1 sh -c $script | Out-Null
    $theirs = @(Invoke-TestDocker $d diff changed)
    $ours = @(Get-OverlayChange -Store $d.DataRoot -Container changed)
    if ($ours.Count -ne $theirs.Count) { throw "Get-OverlayChange gave $($ours.Count) changes, docker diff $($theirs.Count)" }
    $o = @(); $r = @()
    for ($i = 0; $i -lt $Runs; $i++) {
        $o += Time { Get-OverlayChange -Store $d.DataRoot -Container changed }
        $r += Time { Invoke-TestDocker $d diff changed }
    }
    $om = Median $o; $rm = Median $r
    $rows += Row '5. Container changes (Get-OverlayChange vs docker diff)' "$($theirs.Count) changes, 1 container (stopped), same run" $om "$(Fmt $rm) (docker diff, Debian docker.io 20.10)" $rm '>= 5x faster' (($rm / $om) -ge 5)
}
finally {
    Stop-TestDockerd $d
    & rm -rf $work
}
'| Case | Size | Ours (median) | Reference (median) | Ratio | Target | Met |'
'|---|---|---|---|---|---|---|'
$rows
