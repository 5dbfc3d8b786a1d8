<#
.SYNOPSIS
Runs every test: the xunit suite (engine, in-process PowerShell) and the Pester suite (a fresh
pwsh against the built module), then prints one closing line "N passed, N failed[, N skipped]".
Exits non-zero when anything failed or when a suite could not run at all.
#>
param(
    [string] $XunitFilter,
    [string[]] $PesterPath = @("$PSScriptRoot/pester")
)
$ErrorActionPreference = 'Stop'
$root = Split-Path $PSScriptRoot -Parent
$artifacts = Join-Path $root '.artifacts/test'
Remove-Item $artifacts -Recurse -Force -ErrorAction Ignore
New-Item -ItemType Directory $artifacts -Force | Out-Null

$passed = 0; $failed = 0; $skipped = 0

# --- xunit -------------------------------------------------------------------------------
$trx = Join-Path $artifacts 'xunit.trx'
$dotnetArgs = @('test', (Join-Path $root 'tests/OverlayPS.Tests/OverlayPS.Tests.csproj'),
    '--nologo', '--logger', "trx;LogFileName=$trx", '--logger', 'console;verbosity=minimal')
if ($XunitFilter) { $dotnetArgs += @('--filter', $XunitFilter) }
& dotnet @dotnetArgs
if (Test-Path $trx) {
    [xml] $x = Get-Content -Raw $trx
    $c = $x.TestRun.ResultSummary.Counters
    $passed += [int]$c.passed
    $failed += [int]$c.failed + [int]$c.error + [int]$c.timeout + [int]$c.aborted
    $skipped += [int]$c.notExecuted
    # Show why tests were skipped: a skip is a test that did not run.
    $x.TestRun.Results.UnitTestResult | Where-Object outcome -eq 'NotExecuted' | ForEach-Object {
        Write-Host "SKIPPED (xunit) $($_.testName): $($_.Output.StdOut)$($_.Output.ErrorInfo.Message)" -ForegroundColor Yellow
    }
}
else {
    Write-Host 'xunit did not produce results (build or host failure)' -ForegroundColor Red
    $failed += 1
}

# --- Pester ------------------------------------------------------------------------------
$pester = Get-ChildItem (Join-Path ([Environment]::GetFolderPath('UserProfile')) '.nuget/packages/pester/5.7.1/tools/Pester.psd1') -ErrorAction Ignore
if ($env:NUGET_PACKAGES) { $pester = Get-ChildItem (Join-Path $env:NUGET_PACKAGES 'pester/5.7.1/tools/Pester.psd1') -ErrorAction Ignore }
if (-not $pester) {
    Write-Host 'Pester 5.7.1 is not in the NuGet cache: run ./build.sh test (it restores tests/pester-host).' -ForegroundColor Red
    $failed += 1
}
else {
    # Each Pester run is its own pwsh process: a binary module cannot be unloaded, and this is
    # exactly what a user gets from Import-Module.
    $resultFile = Join-Path $artifacts 'pester.json'
    $script = @"
`$ErrorActionPreference = 'Stop'
Import-Module '$($pester.FullName)'
`$cfg = New-PesterConfiguration
`$cfg.Run.Path = @('$($PesterPath -join "','")')
`$cfg.Run.PassThru = `$true
`$cfg.Output.Verbosity = 'Normal'
`$r = Invoke-Pester -Configuration `$cfg
`$r.Skipped | ForEach-Object { Write-Host "SKIPPED (Pester) `$(`$_.ExpandedPath): `$(`$_.ErrorRecord)" -ForegroundColor Yellow }
@{ Passed = `$r.PassedCount; Failed = `$r.FailedCount + `$r.FailedBlocksCount + `$r.FailedContainersCount; Skipped = `$r.SkippedCount + `$r.NotRunCount } |
    ConvertTo-Json | Set-Content '$resultFile'
"@
    & dotnet pwsh -NoLogo -NoProfile -Command $script
    if (Test-Path $resultFile) {
        $p = Get-Content -Raw $resultFile | ConvertFrom-Json
        $passed += $p.Passed; $failed += $p.Failed; $skipped += $p.Skipped
    }
    else {
        Write-Host 'Pester did not produce results' -ForegroundColor Red
        $failed += 1
    }
}

# In CI every test must run: a skipped root-only test there is a failure.
if ($env:CI -eq 'true' -and $skipped -gt 0) {
    Write-Host "CI=true: $skipped skipped test(s) count as failures." -ForegroundColor Red
    $failed += $skipped; $skipped = 0
}

$line = "$passed passed, $failed failed"
if ($skipped -gt 0) { $line += ", $skipped skipped" }
Write-Host $line
exit ([int]($failed -gt 0))
