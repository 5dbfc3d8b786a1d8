# Dot-sourced by every *.Tests.ps1: where the module is, and the root-only rule.
$script:RepoRoot = (Resolve-Path "$PSScriptRoot/../..").Path
$script:Manifest = Join-Path $script:RepoRoot 'OverlayPS.psd1'
$script:IsRoot = ((id -u) -eq '0')
$script:InCi = $env:CI -eq 'true'

# Call first inside an It that needs root. Off CI it skips with the reason; with CI=true a
# skip would hide a regression, so it fails instead.
function Assert-RootOrSkip([string] $What = 'this test') {
    if ($script:IsRoot) { return }
    if ($script:InCi) { throw "$What needs root, and CI=true forbids skipping it." }
    Set-ItResult -Skipped -Because "$What needs root (kernel mounts, trusted.* xattrs, mknod)"
}

function New-TestDir([string] $Prefix = 'ovlps') {
    $p = Join-Path ([IO.Path]::GetTempPath()) "$Prefix-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $p | Out-Null
    $p
}
