<#
.SYNOPSIS
Case 5 of the bench: list the layers, images and containers of a store with the module's
cmdlets, alternating with `ls -R` of the store's layerdb; then a container's changes. One
JSON line per run (ms): list, lsR, changes.
#>
param([Parameter(Mandatory)][string] $Config)
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
$c = Get-Content -Raw $Config | ConvertFrom-Json
function Emit($o) { [Console]::Out.WriteLine(($o | ConvertTo-Json -Compress)) }
function LsR { $sw = [Diagnostics.Stopwatch]::StartNew(); & /bin/sh -c "ls -R '$($c.layerdb)' > /dev/null"; $sw.Elapsed.TotalMilliseconds }

Import-Module $c.manifest
$missing = 'Get-OverlayLayer', 'Get-OverlayImage', 'Get-OverlayContainer' | Where-Object { -not (Get-Command $_ -ErrorAction Ignore) }
if ($missing) {
    Emit @{ error = "store cmdlets not on main yet ($($missing -join ', '))" }
    for ($i = 0; $i -lt $c.runs; $i++) { Emit @{ kind = 'run'; lsR = (LsR) } }
    exit 0
}
$hasChange = [bool](Get-Command Get-OverlayChange -ErrorAction Ignore)
for ($i = 0; $i -lt $c.runs; $i++) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $layers = @(Get-OverlayLayer -Store $c.store)
    $images = @(Get-OverlayImage -Store $c.store)
    $containers = @(Get-OverlayContainer -Store $c.store)
    $list = $sw.Elapsed.TotalMilliseconds
    $run = @{ kind = 'run'; list = $list; lsR = (LsR); layers = $layers.Count; images = $images.Count; containers = $containers.Count }
    if ($hasChange) {
        $sw.Restart()
        $changes = @(Get-OverlayChange -Store $c.store -Container $c.container)
        $run.changes = $sw.Elapsed.TotalMilliseconds
        $run.changeCount = $changes.Count
    }
    Emit $run
}
