@{
    RootModule           = 'module/bin/OverlayPS.dll'
    ModuleVersion        = '0.1.0'
    GUID                 = '5d3f7a0e-8c1b-4c39-9a55-2f0e6b3c9d71'
    Author               = 'OverlayPS developers'
    Copyright            = '(c) OverlayPS developers. MIT License.'
    Description          = 'The Linux overlay filesystem in PowerShell: an Overlay provider over a userspace union engine, kernel overlay mounts, and Docker overlay2 store inspection.'
    PowerShellVersion    = '7.4'
    CompatiblePSEditions = @('Core')
    FormatsToProcess     = @('module/OverlayPS.Format.ps1xml')
    TypesToProcess       = @('module/OverlayPS.Types.ps1xml')
    CmdletsToExport      = @(
        'Copy-OverlayItem'
        'Dismount-Overlay'
        'Export-OverlayLayer'
        'Get-OverlayChange'
        'Get-OverlayContainer'
        'Get-OverlayContent'
        'Get-OverlayImage'
        'Get-OverlayLayer'
        'Get-OverlayMount'
        'Get-OverlayPathHistory'
        'Measure-OverlayImage'
        'Mount-Overlay'
        'Save-OverlayImage'
        'Test-OverlayStore'
    )
    FunctionsToExport    = @()
    AliasesToExport      = @()
    VariablesToExport    = @()
    PrivateData          = @{
        PSData = @{
            Tags       = @('overlay', 'overlayfs', 'docker', 'overlay2', 'linux', 'provider')
        }
    }
}
