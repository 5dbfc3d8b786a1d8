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

# New-LayerStack: the one way the Pester tests write a stack (layer dirs from a text description),
# the demo's own builder, so the format is parsed in one place.
. "$script:RepoRoot/module/samples/New-LayerStack.ps1"

# The one way the Pester tests mount a kernel overlay: the module's own Mount-Overlay, so layer
# paths reach the kernel escaped as users' mounts do (never `mount -o` strings built here). $Stack
# is a LayerStack; $With holds more Mount-Overlay parameters (@{ RedirectDir = 'on' }). Undo it
# with Dismount-Overlay.
function Mount-TestOverlay($Stack, [string] $MountPoint, [hashtable] $With = @{}) {
    [IO.Directory]::CreateDirectory($MountPoint) | Out-Null
    $mount = @{ Path = $MountPoint; LowerDir = $Stack.Lowers; UserXattr = $Stack.XattrPrefix -eq 'user.' }
    if ($Stack.Upper) { $mount.UpperDir = $Stack.Upper; $mount.WorkDir = $Stack.Work }
    Mount-Overlay @mount @With -ErrorAction Stop
}

function New-TestDir([string] $Prefix = 'ovlps') {
    $p = Join-Path ([IO.Path]::GetTempPath()) "$Prefix-$([guid]::NewGuid().ToString('N'))"
    New-Item -ItemType Directory $p | Out-Null
    $p
}

# An error a user can act on: an ErrorRecord with a stable id (optionally the one given), a
# category, the path as target, and no .NET internals in it.
function Assert-CleanError($e, [string] $Id, [string] $Target) {
    $e | Should -Not -BeNullOrEmpty
    foreach ($r in @($e)) {
        $r | Should -BeOfType System.Management.Automation.ErrorRecord
        $r.Exception | Should -Not -BeOfType System.Management.Automation.MethodInvocationException
        $r.Exception | Should -Not -BeOfType System.NullReferenceException
        $r.FullyQualifiedErrorId | Should -Not -Match '^System\.'
        $r.CategoryInfo.Category | Should -Not -Be 'NotSpecified'
        $r.TargetObject | Should -Not -BeNullOrEmpty
        $r.Exception.Message | Should -Not -Match 'Exception calling|at OverlayPS\.|Object reference'
        if ($Id) { $r.FullyQualifiedErrorId | Should -BeLike "$Id,*" }
    }
    if ($Target) { @($e)[0].TargetObject | Should -Be $Target }
}

# Unpacks the Docker overlay2 fixture store (made by a real dockerd) into <dir>/docker, as root
# (or the whiteouts and trusted.overlay.* markers are silently dropped).
function Expand-DockerFixture([string] $Into) {
    tar --xattrs --xattrs-include='trusted.*' --xattrs-include='user.*' --numeric-owner `
        -xzf "$script:RepoRoot/tests/fixtures/docker-overlay2/store.tar.gz" -C $Into
}

# Unpacks the podman (containers-storage) fixture store into <dir>/storage, as root (or the
# whiteouts and trusted.overlay.* markers are silently dropped).
function Expand-PodmanFixture([string] $Into) {
    tar --xattrs --xattrs-include='trusted.*' --xattrs-include='user.*' --numeric-owner `
        -xzf "$script:RepoRoot/tests/fixtures/podman-overlay/store.tar.gz" -C $Into
}
