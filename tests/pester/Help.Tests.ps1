BeforeDiscovery {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    $script:cmdlets = Get-Command -Module OverlayPS -CommandType Cmdlet | ForEach-Object { @{ Name = $_.Name } }
}
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
    $script:common = [System.Management.Automation.Cmdlet]::CommonParameters +
        [System.Management.Automation.Cmdlet]::OptionalCommonParameters
}

Describe 'The manifest and the dll agree' {
    It 'exports exactly the cmdlets the dll defines' {
        $manifest = Import-PowerShellDataFile $Manifest
        $defined = [OverlayPS.Provider.OverlayProvider].Assembly.GetTypes() |
            Where-Object { $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false) } |
            ForEach-Object {
                $a = $_.GetCustomAttributes([System.Management.Automation.CmdletAttribute], $false)[0]
                "$($a.VerbName)-$($a.NounName)"
            }
        ($manifest.CmdletsToExport | Sort-Object) | Should -Be ($defined | Sort-Object)
    }

    It 'declares an OutputType on every cmdlet' {
        Get-Command -Module OverlayPS -CommandType Cmdlet | ForEach-Object {
            $_.OutputType | Should -Not -BeNullOrEmpty -Because "$($_.Name) should declare [OutputType]"
        }
    }
}

Describe 'Help for <Name>' -ForEach $cmdlets {
    BeforeAll { $help = Get-Help $Name -Full }

    It 'has a synopsis and a description' {
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $help.Synopsis | Should -Not -Match '^\s*\S+-\S+\s*\[' # not the auto-generated syntax line
        ($help.description | Out-String).Trim() | Should -Not -BeNullOrEmpty
    }

    It 'has at least one example with code' {
        @($help.examples.example).Count | Should -BeGreaterThan 0
        $help.examples.example[0].code | Should -Not -BeNullOrEmpty
    }

    It 'describes every parameter' {
        foreach ($p in (Get-Command $Name).Parameters.Keys | Where-Object { $_ -notin $common }) {
            $ph = $help.parameters.parameter | Where-Object name -eq $p
            ($ph.description | Out-String).Trim() | Should -Not -BeNullOrEmpty -Because "-$p of $Name needs a description"
        }
    }

    It 'lists its INPUTS and OUTPUTS as the cmdlet declares them' {
        @($help.inputTypes.inputType).Count | Should -BeGreaterThan 0
        $pipeTypes = (Get-Command $Name).Parameters.Values | Where-Object { $_.ParameterSets.Values | Where-Object { $_.ValueFromPipeline -or $_.ValueFromPipelineByPropertyName } } |
            ForEach-Object { $_.ParameterType.FullName }
        $expectedIn = if ($pipeTypes) { @($pipeTypes) } else { @('None') }
        @($help.inputTypes.inputType.type.name | Sort-Object) | Should -Be @($expectedIn | Sort-Object)
        @($help.returnValues.returnValue.type.name) | Should -Be @((Get-Command $Name).OutputType.Name)
    }

    It 'has RELATED LINKS to commands and topics that exist' {
        $links = @($help.relatedLinks.navigationLink.linkText)
        $links.Count | Should -BeGreaterThan 0
        foreach ($l in $links) {
            $known = (Get-Command $l -ErrorAction Ignore) -or (Get-Help $l -ErrorAction Ignore | Where-Object Category -eq 'HelpFile')
            $known | Should -BeTrue -Because "$Name links to '$l'"
        }
    }
}

Describe 'About topics' {
    It 'finds about_<Topic>' -ForEach @(
        @{ Topic = 'about_Overlay_Provider' }, @{ Topic = 'about_Overlay_Mounts' }, @{ Topic = 'about_Overlay_DockerStore' }) {
        (Get-Help $Topic | Out-String) | Should -Match ([regex]::Escape($Topic))
    }
}

Describe 'Help for the Overlay provider' {
    It 'documents every dynamic parameter the provider adds, with its cmdlets and type' {
        $help = Get-Help Overlay -Category Provider
        $help.Synopsis | Should -Not -BeNullOrEmpty
        $documented = @($help.DynamicParameters.DynamicParameter)
        # The provider's dynamic parameter classes, as it returns them to New-PSDrive,
        # Get-ChildItem, Test-Path and the content cmdlets.
        $classes = [OverlayPS.Provider.OverlayDriveParameters], [OverlayPS.Provider.OverlayChildItemParameters],
            [OverlayPS.Provider.OverlayItemExistsParameters], [OverlayPS.Content.ContentReaderParameters], [OverlayPS.Content.ContentWriterParameters]
        foreach ($c in $classes) {
            foreach ($p in $c.GetProperties() | Where-Object { $_.GetCustomAttributes([System.Management.Automation.ParameterAttribute], $true) }) {
                $d = $documented | Where-Object Name -eq $p.Name | Select-Object -First 1
                $d | Should -Not -BeNullOrEmpty -Because "-$($p.Name) of $($c.Name) needs a description"
                "$($d.Description)".Trim() | Should -Not -BeNullOrEmpty
                $d.Type.Name | Should -Be $p.PropertyType.FullName
                $d.CmdletSupported | Should -Not -BeNullOrEmpty
            }
        }
        ($documented | Where-Object Name -eq 'ShowMarkers').CmdletSupported | Should -Be 'Get-ChildItem'
        ($documented | Where-Object Name -eq 'LowerDir').CmdletSupported | Should -Be 'New-PSDrive'
    }
}
