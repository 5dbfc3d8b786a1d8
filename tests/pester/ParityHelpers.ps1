# Dot-sourced by the parity suites (ProviderParity, ItemParity): one step's output as comparable
# lines, and the trees a kernel mount and an Overlay drive leave behind.

# One output object as a comparable line: what a user would look at, not how it is typed.
function ConvertTo-ParityLine($o) {
    if ($o -is [System.Management.Automation.ErrorRecord]) { return "ERROR $($o.CategoryInfo.Category)" }
    if ($o -is [System.Management.Automation.WarningRecord]) { return "WARNING $($o.Message)" }
    if ($o -is [System.Management.Automation.PSObject] -and $o.PSObject.Properties['PSIsContainer']) {
        $len = if ($o.PSIsContainer) { '' } else { $o.Length }
        return "ITEM $($o.PSChildName) container=$($o.PSIsContainer) length=$len"
    }
    if ($o -is [System.IO.FileSystemInfo] -or $o -is [OverlayPS.Items.OverlayItem]) {
        $p = [System.Management.Automation.PSObject]::AsPSObject($o)
        $len = if ($p.PSIsContainer) { '' } else { $o.Length }
        return "ITEM $($o.Name) container=$($p.PSIsContainer) length=$len"
    }
    if ($o -is [array]) { return ($o | ForEach-Object { ConvertTo-ParityLine $_ }) -join ' | ' }
    "VALUE $o"
}

# Runs one step on drive $d and returns its output, errors and warnings as lines.
function Invoke-ParityStep([scriptblock] $Step, [string] $d) {
    # A terminating error ends the step, on both sides alike; it is recorded, not thrown.
    $out = try { & $Step $d 2>&1 3>&1 } catch { "TERMINATING $($_.CategoryInfo.Category)" }
    @($out | ForEach-Object { ConvertTo-ParityLine $_ })
}

# Everything that lands in an upper dir, one line per path: kind, size, content hash,
# symlink target, opaque marker (the kernel's origin/impure xattrs are caches, not compared).
function Get-UpperTree([string] $upper) {
    Get-ChildItem -LiteralPath $upper -Recurse -Force | ForEach-Object {
        $path = $_.FullName
        $rel = $path.Substring($upper.Length)
        $st = [OverlayPS.Core.Posix.Files]::LStat($path)
        $kind = if ($st.IsCharDevice00) { 'whiteout' } else { "$($st.Kind)" }
        $extra = switch ($st.Kind) {
            'Regular' { "$($st.Size) $((Get-FileHash -LiteralPath $path -Algorithm SHA256).Hash.Substring(0, 16))" }
            'Symlink' { [OverlayPS.Core.Posix.Files]::ReadLink($path) }
            'Directory' { "opaque=$([OverlayPS.Core.Posix.Xattrs]::GetString($path, 'trusted.overlay.opaque'))" }
            default { '' }
        }
        "$rel $kind mode=$([Convert]::ToString($st.Mode, 8)) $extra"
    } | Sort-Object
}

function Get-MergedTree([string] $root) {
    $base = (Resolve-Path -LiteralPath $root).ProviderPath.TrimEnd('/')
    Get-ChildItem -LiteralPath $root -Recurse -Force | ForEach-Object {
        $p = [System.Management.Automation.PSObject]::AsPSObject($_)
        $rel = ($p.PSPath -replace '^.*::', '').Substring($base.Length)
        $len = if ($p.PSIsContainer) { '' } else { $_.Length }
        "$rel container=$($p.PSIsContainer) length=$len"
    } | Sort-Object
}

