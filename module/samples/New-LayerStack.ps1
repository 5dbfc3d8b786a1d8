# Dot-source for New-LayerStack: layer dirs built from a small text description, so a stack with
# whiteouts and opaque dirs (special files and xattrs git cannot carry) is made on the spot.
# Used by demo.ps1 (demo-layers.txt) and by the Pester tests; needs the module imported.
#
# One entry a line: <layer> <kind> </path> [text], where layer is upper or lowerN (lower1 =
# topmost, as in lowerdir=) and kind is dir, file (text = content, \n = newline), link
# (text = target), whiteout, or opaque (a directory marked overlay.opaque=y). '#' starts a
# comment.

function New-LayerStack {
    [OutputType('OverlayPS.Core.Layers.LayerStack')]
    param(
        [Parameter(Mandatory)] [string] $Description,
        # Gets <Root>/upper, <Root>/work and <Root>/lower1..N.
        [Parameter(Mandatory)] [string] $Root,
        # Markers as user.overlay.* (what an unprivileged or -UserXattr mount reads).
        [switch] $UserXattr
    )
    # Every line is checked before anything is written, so a bad one leaves nothing behind.
    $kinds = 'dir', 'file', 'link', 'whiteout', 'opaque'
    $entries = foreach ($raw in $Description -split "`n") {
        $line = $raw.Trim()
        if ($line.Length -eq 0 -or $line.StartsWith('#')) { continue }
        $layer, $kind, $path, $text = $line -split '\s+', 4
        if ($layer -notmatch '^(upper|lower[1-9][0-9]*)$' -or -not "$path".StartsWith('/')) {
            throw "Bad layer description line (want '<upper|lowerN> <kind> </path> [text]'): $line"
        }
        if ($kind -notin $kinds) { throw "Unknown kind '$kind' (want one of $($kinds -join ', ')): $line" }
        if (($path -split '/') -contains '..') { throw "'..' is not allowed in a layer description path: $line" }
        [pscustomobject]@{ Layer = $layer; Kind = $kind; Path = $path.TrimEnd('/'); Text = "$text"; Line = $line }
    }
    # A later entry under a link would be written wherever the link points, outside the layer.
    foreach ($link in $entries | Where-Object Kind -EQ 'link') {
        $under = $entries | Where-Object { $_.Layer -eq $link.Layer -and $_.Path.StartsWith("$($link.Path)/") }
        if ($under) { throw "'$($link.Path)' is a link in $($link.Layer), so nothing can be made below it: $(@($under)[0].Line)" }
    }

    $lowerCount = ($entries | Where-Object Layer -NE 'upper' | ForEach-Object { [int]$_.Layer.Substring(5) } |
        Measure-Object -Maximum).Maximum
    $lowers = foreach ($i in 1..[Math]::Max(1, [int]$lowerCount)) { Join-Path $Root "lower$i" }
    foreach ($dir in @($lowers) + "$Root/upper", "$Root/work") { [IO.Directory]::CreateDirectory($dir) | Out-Null }
    $stack = [OverlayPS.Core.Layers.LayerStack]::new([string[]]$lowers, "$Root/upper", "$Root/work", $null, $UserXattr.IsPresent)

    foreach ($e in $entries) {
        # [IO.*] take the name literally (a PowerShell path would read wildcards in it).
        $target = (Join-Path $Root $e.Layer) + $e.Path
        [IO.Directory]::CreateDirectory([IO.Path]::GetDirectoryName($target)) | Out-Null
        switch ($e.Kind) {
            'dir' { [IO.Directory]::CreateDirectory($target) | Out-Null }
            'opaque' {
                [IO.Directory]::CreateDirectory($target) | Out-Null
                [OverlayPS.Core.Posix.Xattrs]::Set($target, $stack.OpaqueXattr, 'y')
            }
            'file' { [IO.File]::WriteAllText($target, $e.Text.Replace('\n', "`n")) }
            'link' { [IO.File]::CreateSymbolicLink($target, $e.Text) | Out-Null }
            'whiteout' { [OverlayPS.Core.Posix.Files]::MakeWhiteout($target) }
        }
    }
    $stack
}
