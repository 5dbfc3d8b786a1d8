<#
.SYNOPSIS
Makes OverlayPS.<version>.nupkg from the built module (./build.sh build first; ./build.sh
package does both): the manifest, module/ (formats, types, help, samples) and module/bin with
Mono.Posix for linux-x64 and linux-arm64 under bin/runtimes/<rid>/, published with
PSResourceGet (Publish-PSResource) into a local folder repository.
.DESCRIPTION
The package is what Install-PSResource installs from any NuGet v2/v3 feed or folder:
Register-PSResourceRepository -Name local -Uri <folder> -Trusted; Install-PSResource OverlayPS
-Repository local. The folder repository is registered under a unique name for the publish
and unregistered after, so the user's own repository list is left as it was.
#>
param(
    [string] $Root = (Resolve-Path "$PSScriptRoot/../..").Path,
    # Where the .nupkg is written (a folder; made when missing).
    [string] $OutputDirectory = (Join-Path $Root '.artifacts/package')
)
$ErrorActionPreference = 'Stop'
$manifest = Import-PowerShellDataFile (Join-Path $Root 'OverlayPS.psd1')
foreach ($rid in 'linux-x64', 'linux-arm64') {
    foreach ($f in 'Mono.Posix.NETStandard.dll', 'libMonoPosixHelper.so') {
        if (-not (Test-Path -LiteralPath (Join-Path $Root "module/bin/runtimes/$rid/$f"))) {
            throw "module/bin/runtimes/$rid/$f is missing: run ./build.sh build first."
        }
    }
}

$stage = Join-Path ([IO.Path]::GetTempPath()) "overlayps-package-$PID"
$module = Join-Path $stage 'OverlayPS'
Remove-Item -LiteralPath $stage -Recurse -Force -ErrorAction Ignore
try {
    $null = New-Item -ItemType Directory -Force $module, (Join-Path $module 'module')
    Copy-Item (Join-Path $Root 'OverlayPS.psd1'), (Join-Path $Root 'README.md') $module
    foreach ($part in 'bin', 'samples', 'OverlayPS.Format.ps1xml', 'OverlayPS.Types.ps1xml') {
        Copy-Item -Recurse (Join-Path $Root "module/$part") (Join-Path $module 'module')
    }
    # Get-Help looks beside the manifest (<ModuleBase>/en-US) for about_ topics.
    Copy-Item -Recurse (Join-Path $Root 'module/bin/en-US') $module
    Get-ChildItem -Recurse -Filter *.pdb $module | Remove-Item

    $null = New-Item -ItemType Directory -Force $OutputDirectory
    $repo = "OverlayPSBuild$PID"
    Register-PSResourceRepository -Name $repo -Uri (Resolve-Path $OutputDirectory).Path -Trusted
    try {
        $target = Join-Path $OutputDirectory "OverlayPS.$($manifest.ModuleVersion).nupkg"
        Remove-Item -LiteralPath $target -ErrorAction Ignore
        Publish-PSResource -Path $module -Repository $repo
    }
    finally { Unregister-PSResourceRepository -Name $repo }
}
finally { Remove-Item -LiteralPath $stage -Recurse -Force -ErrorAction Ignore }
Get-Item -LiteralPath $target
