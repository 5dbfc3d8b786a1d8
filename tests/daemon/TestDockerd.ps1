# Dot-sourced by Pester files and bench scripts that compare with a real dockerd: a private
# daemon (tests/daemon/dockerd.sh) in a temp dir, its own socket, data root and CLI config.
#
#   $d = Start-TestDockerd            # $null + a skip (or a throw in CI) when docker.io is unavailable
#   Invoke-TestDocker $d import $tar t:1
#   Stop-TestDockerd $d               # waits for exit, unmounts only beneath $d.Dir, removes it

$script:DockerdScript = Join-Path $PSScriptRoot 'dockerd.sh'

# Installs docker.io when missing. $null when ready, else why not (not root, apt failed).
function Install-TestDockerd {
    $out = & bash $script:DockerdScript install 2>&1
    if ($LASTEXITCODE -eq 3) { return "docker.io cannot be installed here: $($out -join ' ')" }
    if ($LASTEXITCODE -ne 0) { throw "dockerd.sh install failed: $($out -join ' ')" }
    $null
}

# Starts a private dockerd. Returns @{ Dir; DataRoot; Socket } ready for Invoke-TestDocker. When
# docker.io cannot be installed: inside an It, marks it skipped (loudly, with the reason) and
# returns $null; with CI=true it throws instead, because a skipped comparison hides a regression.
function Start-TestDockerd {
    $why = if ((id -u) -ne '0') { 'a private dockerd needs root' } else { Install-TestDockerd }
    if ($why) {
        if ($env:CI -eq 'true') { throw "$why, and CI=true forbids skipping it." }
        Write-Warning "SKIPPING dockerd comparisons: $why"
        if (Get-Command Set-ItResult -ErrorAction Ignore) {
            try { Set-ItResult -Skipped -Because $why } catch { }
        }
        return $null
    }
    $dir = Join-Path ([IO.Path]::GetTempPath()) "ovlps-dockerd-$([guid]::NewGuid().ToString('N'))"
    $out = & bash $script:DockerdScript start $dir 2>&1
    if ($LASTEXITCODE -ne 0) { throw "dockerd.sh start failed: $($out -join "`n")" }
    [pscustomobject]@{
        Dir      = $dir
        DataRoot = Join-Path $dir 'root'
        Socket   = Join-Path $dir 'docker.sock'
    }
}

# The daemon's own CLI (/usr/bin/docker, Debian's, matching the daemon) against this daemon.
# Throws with docker's stderr on a non-zero exit; returns stdout lines.
function Invoke-TestDocker($Dockerd) {
    $argv = $args
    $old = $env:DOCKER_HOST, $env:DOCKER_CONFIG
    $env:DOCKER_HOST = "unix://$($Dockerd.Socket)"
    $env:DOCKER_CONFIG = Join-Path $Dockerd.Dir 'cli'
    $errFile = Join-Path $Dockerd.Dir "cli-stderr-$([guid]::NewGuid().ToString('N'))"
    try {
        $out = & /usr/bin/docker @argv 2>$errFile
        if ($LASTEXITCODE -ne 0) { throw "docker $($argv -join ' ') failed: $(Get-Content -Raw $errFile)" }
        $out
    }
    finally {
        $env:DOCKER_HOST, $env:DOCKER_CONFIG = $old
        Remove-Item $errFile -ErrorAction Ignore
    }
}

# A small busybox rootfs tarball for `docker import`.
function New-TestRootfsTar([string] $Path) {
    $out = & bash $script:DockerdScript rootfs $Path 2>&1
    if ($LASTEXITCODE -ne 0) { throw "dockerd.sh rootfs failed: $($out -join ' ')" }
    $Path
}

function Stop-TestDockerd($Dockerd) {
    if (-not $Dockerd) { return }
    $out = & bash $script:DockerdScript stop $Dockerd.Dir 2>&1
    if ($LASTEXITCODE -ne 0) { throw "dockerd.sh stop failed: $($out -join "`n")" }
    # rm, not Remove-Item: the data root holds what a container left (an /etc/mtab link to
    # /proc/mounts, root-only dirs) that Remove-Item gives up on; nothing is mounted here now.
    & rm -rf $Dockerd.Dir
}
