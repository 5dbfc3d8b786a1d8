<#
.SYNOPSIS
Case 6 of the bench: the peak resident memory of this pwsh while `Get-ChildItem -Recurse |
Measure-Object` lists a big tree, over its idle size once the module is loaded and the drive
open. side = overlay (an Overlay drive) or filesystem (the FileSystem provider on the kernel
mount). Prints one JSON line: idleKb, peakKb, count, ms, and fdPeak: the most directory
descriptors the engine held at once while listing, over the idle ones (the layer roots).
#>
param([Parameter(Mandatory)][string] $Config)
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
$c = Get-Content -Raw $Config | ConvertFrom-Json
function Emit($o) { [Console]::Out.WriteLine(($o | ConvertTo-Json -Compress)) }
function Kb([string] $field) {
    $line = Get-Content "/proc/$PID/status" | Where-Object { $_ -like "${field}:*" }
    [long](($line -split '\s+')[1])
}

Import-Module $c.manifest
$path = $c.mount
if ($c.side -eq 'overlay') {
    try {
        $null = New-PSDrive -Name ovbench -PSProvider Overlay -Root / -LowerDir $c.lowers -UpperDir $c.upper -WorkDir $c.work
    }
    catch { Emit @{ error = "New-PSDrive -PSProvider Overlay failed: $($_.Exception.Message)" }; exit 0 }
    $path = 'ovbench:/'
}
# Warm up the code paths on one directory level, then settle: this is the idle size.
try { Get-ChildItem -LiteralPath $path | Out-Null }
catch { Emit @{ error = "Get-ChildItem on $path failed: $($_.Exception.Message)" }; exit 0 }
[GC]::Collect(); [GC]::WaitForPendingFinalizers(); [GC]::Collect()
[IO.File]::WriteAllText("/proc/$PID/clear_refs", '5')   # VmHWM := current RSS
$idle = Kb 'VmRSS'
[OverlayPS.Core.Posix.DirHandle]::ResetPeak()
$fdIdle = [OverlayPS.Core.Posix.DirHandle]::OpenCount
$sw = [Diagnostics.Stopwatch]::StartNew()
try { $count = (Get-ChildItem -Recurse -LiteralPath $path | Measure-Object).Count }
catch { Emit @{ error = "Get-ChildItem -Recurse on $path failed: $($_.Exception.Message)" }; exit 0 }
$ms = $sw.Elapsed.TotalMilliseconds
# Directory descriptors the engine held at most while listing (over those held idle: the
# layer roots); 0 on the FileSystem side, which holds none of the module's.
$fdPeak = [OverlayPS.Core.Posix.DirHandle]::PeakOpenCount - $fdIdle
Emit @{ side = $c.side; idleKb = $idle; peakKb = (Kb 'VmHWM'); count = $count; ms = $ms; fdPeak = $fdPeak; fdIdle = $fdIdle }
