<#
.SYNOPSIS
Layer tars of a drive's upper: Export-OverlayLayer -Drive against GNU tar -c of the same upper
dir, and Import-OverlayLayer -Destination against GNU tar -x of the same tar, in alternation,
in one pwsh (root: whiteouts and owners). Prints one JSON object per line (ms per run).
Usage: pwsh -File bench/scripts/Measure-LayerTars.ps1 [-Files 20000] [-Runs 3]
#>
param([int] $Files = 20000, [int] $Runs = 3)
$ErrorActionPreference = 'Stop'
Import-Module "$PSScriptRoot/../../OverlayPS.psd1"
function Emit($o) { [Console]::Out.WriteLine(($o | ConvertTo-Json -Compress)) }

$root = Join-Path ([IO.Path]::GetTempPath()) "ovlps-bench-tars-$([guid]::NewGuid().ToString('N'))"
try {
    foreach ($d in 'base', 'up', 'work') { New-Item -ItemType Directory "$root/$d" | Out-Null }
    # The upper: $Files files of 4 KiB in 100 dirs (80 MiB), written straight into the upper dir.
    $block = [byte[]]::new(4096); [Random]::new(1).NextBytes($block)
    for ($i = 0; $i -lt $Files; $i++) {
        $dir = "$root/up/d$($i % 100)"
        if ($i -lt 100) { New-Item -ItemType Directory $dir | Out-Null }
        [IO.File]::WriteAllBytes("$dir/f$i", $block)
    }
    $null = New-PSDrive -Name tarbench -PSProvider Overlay -Root / -LowerDir "$root/base" -UpperDir "$root/up" -WorkDir "$root/work"
    for ($r = 0; $r -lt $Runs; $r++) {
        Remove-Item "$root/ours.tar", "$root/gnu.tar" -ErrorAction Ignore
        $sw = [Diagnostics.Stopwatch]::StartNew()
        $null = Export-OverlayLayer -Drive tarbench -Path "$root/ours.tar"
        $ours = $sw.Elapsed.TotalMilliseconds
        $sw.Restart()
        tar --format=pax --numeric-owner -C "$root/up" -cf "$root/gnu.tar" .
        $gnu = $sw.Elapsed.TotalMilliseconds
        Emit @{ case = 'export'; files = $Files; ours_ms = [math]::Round($ours); gnu_tar_ms = [math]::Round($gnu); ratio = [math]::Round($ours / $gnu, 2) }

        Remove-Item "$root/imp", "$root/gx" -Recurse -Force -ErrorAction Ignore
        $sw.Restart()
        Import-OverlayLayer "$root/ours.tar" -Destination "$root/imp"
        $ours = $sw.Elapsed.TotalMilliseconds
        New-Item -ItemType Directory "$root/gx" | Out-Null
        $sw.Restart()
        tar --numeric-owner -C "$root/gx" -xf "$root/ours.tar"
        $gnu = $sw.Elapsed.TotalMilliseconds
        Emit @{ case = 'import'; files = $Files; ours_ms = [math]::Round($ours); gnu_tar_ms = [math]::Round($gnu); ratio = [math]::Round($ours / $gnu, 2) }
    }
}
finally {
    Remove-PSDrive tarbench -ErrorAction Ignore
    Remove-Item -LiteralPath $root -Recurse -Force -ErrorAction Ignore
}
