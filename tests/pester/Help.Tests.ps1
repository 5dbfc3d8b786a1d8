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
}

Describe 'About topics' {
    It 'finds about_<Topic>' -ForEach @(
        @{ Topic = 'about_Overlay_Provider' }, @{ Topic = 'about_Overlay_Mounts' }, @{ Topic = 'about_Overlay_DockerStore' }) {
        (Get-Help $Topic | Out-String) | Should -Match ([regex]::Escape($Topic))
    }
}
