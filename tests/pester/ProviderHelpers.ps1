# Dot-sourced by the Provider*.Tests.ps1 files after TestHelpers.ps1: a small layer stack with
# every overlay case the provider must show (whiteout, opaque dir, lower-only, merged dirs,
# symlink, hidden file, awkward names) and a drive over it.

$script:ProviderSpec = @'
lower2 file     /etc/hostname                 base
lower2 file     /etc/motd                     Welcome\n
lower2 file     /etc/os-release               NAME=Demo\nVERSION=1\nID=demo\n
lower2 file     /var/cache/old.bin            stale
lower2 file     /usr/bin/tool                 v1\n
lower2 file     /data/numbers.txt             one\ntwo\nthree\nfour\nfive\n
lower2 file     /data/csv.txt                 a,b,c,
lower1 file     /etc/hostname                 middle
lower1 whiteout /etc/motd
lower1 opaque   /var/cache
lower1 file     /var/cache/new.bin            fresh
lower1 link     /usr/bin/tool-latest          tool
lower1 file     /usr/bin/.hidden-tool         hidden\n
lower1 dir      /names
upper  file     /etc/hostname                 upper-host
upper  file     /home/user/notes.txt          notes\n
'@

# Builds the stack's layer dirs under $Root; returns the LayerStack.
function New-ProviderStack([string] $Root) {
    $stack = New-LayerStack -Description $script:ProviderSpec -Root $Root -UserXattr:([OverlayPS.Core.Layers.LayerStack]::DefaultUserXattr)
    # Names with spaces cannot be written in the spec's one-line format.
    Set-Content -LiteralPath "$($stack.Lowers[0])/names/sp ace [x].txt" 'brackets'
    Set-Content -LiteralPath "$($stack.Lowers[0])/names/ünï cödé.txt" 'unicode'
    $stack
}

# Builds the stack under a fresh dir and mounts it as drive $Name; returns the stack.
function New-ProviderDrive([string] $Name, [string] $Root, [switch] $ReadOnly) {
    $stack = New-ProviderStack $Root
    if ($ReadOnly) {
        $null = New-PSDrive -Name $Name -PSProvider Overlay -Root / -LowerDir $stack.Lowers -Scope Global
    }
    else {
        $null = New-PSDrive -Name $Name -PSProvider Overlay -Root / -LowerDir $stack.Lowers -UpperDir $stack.Upper -WorkDir $stack.Work -Scope Global
    }
    $stack
}

# Undoes New-ProviderDrive: the drive, then its layer dirs.
function Remove-ProviderDrive([string] $Name, [string] $Root) {
    Remove-PSDrive $Name -Force -ErrorAction Ignore
    Remove-Item $Root -Recurse -Force -ErrorAction Ignore
}
