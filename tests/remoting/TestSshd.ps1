# Dot-sourced by the remoting test: a private sshd on 127.0.0.1 that serves the PowerShell SSH
# subsystem, with host and client keys made for it in a temp dir, stopped (by its own process
# id) afterwards. Every wait is bounded: no test hangs on a daemon that does not come up.

# Installs openssh-server/-client when missing (tests/remoting/install-sshd.sh); $null when ready,
# else why not.
function Install-TestSshd {
    $out = & bash "$PSScriptRoot/install-sshd.sh" 2>&1
    if ($LASTEXITCODE -ne 0) { return "installing openssh-server failed: $($out -join ' ')" }
    $null
}

function Get-FreeTcpPort {
    $l = [System.Net.Sockets.TcpListener]::new([System.Net.IPAddress]::Loopback, 0)
    $l.Start()
    try { $l.LocalEndpoint.Port } finally { $l.Stop() }
}

function Test-TcpListening([int] $Port) {
    $c = [System.Net.Sockets.TcpClient]::new()
    try { $c.ConnectAsync('127.0.0.1', $Port).Wait(1000) -and $c.Connected }
    catch { $false }
    finally { $c.Dispose() }
}

# Starts sshd -D on a free high port. Returns @{ Port; KeyFile; Dir; Process; Options } or
# throws with sshd's own log when it does not listen within $TimeoutSeconds.
function Start-TestSshd([string] $Dir, [int] $TimeoutSeconds = 30) {
    New-Item -ItemType Directory $Dir -Force | Out-Null
    & ssh-keygen -q -t ed25519 -N '' -f "$Dir/host_key" | Out-Null
    & ssh-keygen -q -t ed25519 -N '' -f "$Dir/client_key" | Out-Null
    Copy-Item "$Dir/client_key.pub" "$Dir/authorized_keys"
    # sshd refuses to start without its privilege separation dir (normally made by the service unit).
    if (-not (Test-Path /run/sshd)) { New-Item -ItemType Directory /run/sshd | Out-Null }
    # The real pwsh of this process ($PSHOME holds it also when pwsh runs as a dotnet tool).
    $pwsh = Join-Path $PSHOME 'pwsh'
    $lastError = $null
    foreach ($attempt in 1..3) {
        $port = Get-FreeTcpPort
        @"
Port $port
ListenAddress 127.0.0.1
HostKey $Dir/host_key
PidFile $Dir/sshd.pid
AuthorizedKeysFile $Dir/authorized_keys
PermitRootLogin prohibit-password
PubkeyAuthentication yes
PasswordAuthentication no
KbdInteractiveAuthentication no
UsePAM no
StrictModes no
LogLevel VERBOSE
Subsystem powershell $pwsh -sshs -NoLogo -NoProfile
"@ | Set-Content "$Dir/sshd_config"
        $psi = [System.Diagnostics.ProcessStartInfo]::new('/usr/sbin/sshd')
        foreach ($a in '-D', '-f', "$Dir/sshd_config", '-E', "$Dir/sshd.log") { $psi.ArgumentList.Add($a) }
        $psi.UseShellExecute = $false
        $proc = [System.Diagnostics.Process]::Start($psi)
        $deadline = [DateTime]::UtcNow.AddSeconds($TimeoutSeconds)
        while ([DateTime]::UtcNow -lt $deadline -and -not $proc.HasExited) {
            if (Test-TcpListening $port) {
                return [pscustomobject]@{
                    Port    = $port
                    KeyFile = "$Dir/client_key"
                    Dir     = $Dir
                    Process = $proc
                    Options = @{ StrictHostKeyChecking = 'no'; UserKnownHostsFile = '/dev/null'; BatchMode = 'yes'; ConnectTimeout = '20'; LogLevel = 'ERROR' }
                }
            }
            $proc.WaitForExit(200) | Out-Null
        }
        $lastError = (Get-Content "$Dir/sshd.log" -ErrorAction Ignore) -join "`n"
        if (-not $proc.HasExited) { $proc.Kill(); $proc.WaitForExit(10000) | Out-Null }
    }
    throw "sshd did not listen on 127.0.0.1 within ${TimeoutSeconds}s (3 ports tried). Its log: $lastError"
}

function Stop-TestSshd($Sshd) {
    if (-not $Sshd) { return }
    if (-not $Sshd.Process.HasExited) {
        $Sshd.Process.Kill()    # this sshd only: its listener; sessions it forked end with their client
        $Sshd.Process.WaitForExit(10000) | Out-Null
    }
}
