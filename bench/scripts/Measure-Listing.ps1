<#
.SYNOPSIS
Case 1 of the bench: Get-ChildItem -Recurse on an Overlay drive against Get-ChildItem -Recurse
on the FileSystem provider over the kernel mount of the same stack, in alternation, in one
pwsh. Prints one JSON object per line (a count check, then one line per run, in ms).
#>
param([Parameter(Mandatory)][string] $Config)
$ErrorActionPreference = 'Stop'
$PSStyle.OutputRendering = 'PlainText'
$c = Get-Content -Raw $Config | ConvertFrom-Json
function Emit($o) { [Console]::Out.WriteLine(($o | ConvertTo-Json -Compress)) }

Import-Module $c.manifest
try {
    $null = New-PSDrive -Name ovbench -PSProvider Overlay -Root / -LowerDir $c.lowers -UpperDir $c.upper -WorkDir $c.work
}
catch { Emit @{ error = "New-PSDrive -PSProvider Overlay failed: $($_.Exception.Message)" }; exit 0 }

$ours = 'ovbench:/'
# Counts once (this also warms up both sides: JIT, caches).
try { $oursCount = (Get-ChildItem -Recurse -LiteralPath $ours | Measure-Object).Count }
catch { Emit @{ error = "Get-ChildItem -Recurse on the Overlay drive failed: $($_.Exception.Message)" }; exit 0 }
$refCount = (Get-ChildItem -Recurse -LiteralPath $c.mount | Measure-Object).Count
Emit @{ kind = 'count'; ours = $oursCount; reference = $refCount }

for ($i = 0; $i -lt $c.runs; $i++) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    Get-ChildItem -Recurse -LiteralPath $ours | Out-Null
    $o = $sw.Elapsed.TotalMilliseconds
    $sw.Restart()
    Get-ChildItem -Recurse -LiteralPath $c.mount | Out-Null
    $r = $sw.Elapsed.TotalMilliseconds
    Emit @{ kind = 'run'; ours = $o; reference = $r }
}
