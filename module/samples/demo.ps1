# Opened by ./build.sh demo: imports the module, builds the sample layers in a fresh temp dir
# and mounts them as the drive demo:, then prints a short tour.
param(
    # Where the sample layers are built; ./build.sh demo makes a temp dir and removes it after.
    [string] $LayerRoot = (Join-Path ([IO.Path]::GetTempPath()) "overlayps-demo-$PID")
)
# Stop at the first error while setting up, and only there: ./build.sh demo runs this with
# -NoExit, which leaves the script's variables in the interactive session, where 'Stop' would
# make every later error abort the whole command line.
$sessionPreference = $ErrorActionPreference
$ErrorActionPreference = 'Stop'
try {
    $repo = (Resolve-Path "$PSScriptRoot/../..").Path
    Import-Module (Join-Path $repo 'OverlayPS.psd1')

    $root = $LayerRoot
    . (Join-Path $PSScriptRoot 'New-LayerStack.ps1')
    $spec = Get-Content -Raw (Join-Path $PSScriptRoot 'demo-layers.txt')
    # user.overlay.* markers when not root: trusted.* ones need CAP_SYS_ADMIN.
    $userXattr = [OverlayPS.Core.Layers.LayerStack]::DefaultUserXattr
    $stack = New-LayerStack -Description $spec -Root $root -UserXattr:$userXattr
    $null = New-PSDrive -Name demo -PSProvider Overlay -Root / -LowerDir $stack.Lowers -UpperDir $stack.Upper -WorkDir $stack.Work -Scope Global
}
finally { $ErrorActionPreference = $sessionPreference }

Write-Host "`nOverlayPS demo: drive demo: over $root" -ForegroundColor Cyan
Write-Host "  upper  $($stack.Upper)"
$i = 0; foreach ($l in $stack.Lowers) { $i++; Write-Host "  lower$i $l" }
Write-Host @"

What the layers hold (module/samples/demo-layers.txt):
  /etc/hostname      in every layer: the upper's copy wins
  /etc/motd          deleted by a whiteout in lower1
  /var/cache         opaque in lower2: lower3's apt cache is hidden
  /opt/app/config.json  deleted in the upper (a whiteout you made)

The merged tree, with the layer that supplies each item:
"@
Get-ChildItem demo:/ -Recurse | Out-Host
Write-Host "Why the other names are gone: the markers each layer holds (Get-ChildItem -ShowMarkers)"
Get-ChildItem demo:/ -Recurse -ShowMarkers | Where-Object Marker |
    Format-Table Layer, Marker, @{ n = 'Hides'; e = { if ($_.Marker -eq 'opaque') { "everything below $($_.FullName) in lower layers" } else { $_.FullName } } } |
    Out-Host
Write-Host @"
Try:
  Get-Content demo:/etc/hostname            # 'demo', from the upper layer
  Set-Content demo:/README.txt 'changed'    # copies the file up into the upper dir
  Remove-Item demo:/usr/bin/tool            # leaves a whiteout in the upper dir
  Get-ChildItem $($stack.Upper) -Recurse -Force   # what the kernel would find there
  Get-Help about_Overlay_Provider
"@
