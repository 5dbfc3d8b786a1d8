<#
.SYNOPSIS
Builds the module's help from module/help: each <Verb-Noun>.md becomes a command entry of the
MAML file OverlayPS.dll-Help.xml, with syntax, parameter types, pipeline input, INPUTS and
OUTPUTS read from the built cmdlets themselves (so they cannot drift from the code), RELATED
LINKS from the file's list; Overlay.provider.md becomes the provider's help (Get-Help Overlay),
its dynamic parameters' types read from the provider's parameter classes; about_*.help.txt
topics are copied as they are.
.DESCRIPTION
Get-Help looks for help in <ModuleBase>/<culture>. The manifest sits at the repository root,
so the output goes to ./en-US (generated, git-ignored) and beside the dll in module/bin/en-US.
#>
param(
    [string] $Root = (Resolve-Path "$PSScriptRoot/../..").Path
)
$ErrorActionPreference = 'Stop'
$helpSource = Join-Path $Root 'module/help'
$targets = @((Join-Path $Root 'en-US'), (Join-Path $Root 'module/bin/en-US'))
Import-Module (Join-Path $Root 'OverlayPS.psd1') -Force

function ConvertFrom-HelpMarkdown([string] $file) {
    # Sections by heading: "## NAME" and "### sub" entries below PARAMETERS and EXAMPLES.
    $doc = @{ Name = ''; Synopsis = ''; Description = ''; Parameters = [ordered]@{}; Examples = @(); Notes = ''; Drives = ''; Links = @() }
    $section = ''; $sub = $null; $buf = [System.Collections.Generic.List[string]]::new()
    $flush = {
        $text = ($buf -join "`n").Trim()
        switch ($section) {
            'SYNOPSIS' { $doc.Synopsis = $text }
            'DESCRIPTION' { $doc.Description = $text }
            'NOTES' { $doc.Notes = $text }
            'DRIVES' { $doc.Drives = $text }
            'DYNAMIC PARAMETERS' { if ($sub) { $doc.Parameters[$sub] = $text } }
            'RELATED LINKS' { $doc.Links = @($buf | Where-Object { $_ -match '^\s*-\s*\S' } | ForEach-Object { ($_ -replace '^\s*-\s*', '').Trim() }) }
            'PARAMETERS' { if ($sub) { $doc.Parameters[$sub.TrimStart('-')] = $text } }
            'EXAMPLES' {
                if ($sub) {
                    $m = [regex]::Match($text, '(?s)```(?:powershell)?\s*\n(.*?)\n```\s*(.*)')
                    $doc.Examples += @{ Title = $sub; Code = $m.Groups[1].Value.Trim(); Remarks = $m.Groups[2].Value.Trim() }
                }
            }
        }
        $buf.Clear()
    }
    foreach ($line in Get-Content $file) {
        if ($line -match '^# (.+)$' -and -not $doc.Name) { $doc.Name = $Matches[1].Trim(); continue }
        if ($line -match '^## (.+)$') { & $flush; $section = $Matches[1].Trim().ToUpperInvariant(); $sub = $null; continue }
        if ($line -match '^### (.+)$') { & $flush; $sub = $Matches[1].Trim(); continue }
        $buf.Add($line)
    }
    & $flush
    $doc
}

function Add-Paras($xml, $parent, [string] $text) {
    foreach ($p in ($text -split "\n\s*\n")) {
        if (-not $p.Trim()) { continue }
        $e = $xml.CreateElement('maml', 'para', 'http://schemas.microsoft.com/maml/2004/10')
        $e.InnerText = ($p -replace '\s*\n\s*', ' ').Trim()
        [void]$parent.AppendChild($e)
    }
}

$ns = @{
    maml = 'http://schemas.microsoft.com/maml/2004/10'
    command = 'http://schemas.microsoft.com/maml/dev/command/2004/10'
    dev = 'http://schemas.microsoft.com/maml/dev/2004/10'
}
$xml = [xml]'<?xml version="1.0" encoding="utf-8"?><helpItems schema="maml" xmlns="http://msh"></helpItems>'
function El([string] $prefix, [string] $name, $parent, [string] $text) {
    $e = $xml.CreateElement($prefix, $name, $ns[$prefix])
    if ($PSBoundParameters.ContainsKey('text')) { $e.InnerText = $text }
    [void]$parent.AppendChild($e)
    $e
}

$common = [System.Management.Automation.Cmdlet]::CommonParameters + [System.Management.Automation.Cmdlet]::OptionalCommonParameters
$missing = @()
foreach ($cmd in Get-Command -Module OverlayPS -CommandType Cmdlet | Sort-Object Name) {
    $file = Join-Path $helpSource "$($cmd.Name).md"
    if (-not (Test-Path $file)) { $missing += $cmd.Name; continue }
    $doc = ConvertFrom-HelpMarkdown $file
    $c = El command command $xml.DocumentElement
    $details = El command details $c
    El command name $details $cmd.Name | Out-Null
    El command verb $details $cmd.Verb | Out-Null
    El command noun $details $cmd.Noun | Out-Null
    Add-Paras $xml (El maml description $details) $doc.Synopsis
    Add-Paras $xml (El maml description $c) $doc.Description

    $syntax = El command syntax $c
    foreach ($set in $cmd.ParameterSets) {
        $item = El command syntaxItem $syntax
        El maml name $item $cmd.Name | Out-Null
        foreach ($p in $set.Parameters | Where-Object Name -notin $common) {
            $pe = El command parameter $item
            $pe.SetAttribute('required', "$($p.IsMandatory)".ToLower())
            $pe.SetAttribute('position', $(if ($p.Position -ge 0) { "$($p.Position)" } else { 'named' }))
            El maml name $pe $p.Name | Out-Null
            if ($p.ParameterType -ne [System.Management.Automation.SwitchParameter]) {
                El command parameterValue $pe $p.ParameterType.Name | Out-Null
            }
        }
    }
    $params = El command parameters $c
    foreach ($p in $cmd.Parameters.Values | Where-Object Name -notin $common | Sort-Object Name) {
        $attrs = $p.ParameterSets.Values
        $pe = El command parameter $params
        $pe.SetAttribute('required', "$([bool]($attrs | Where-Object IsMandatory))".ToLower())
        $pipe = @()
        if ($attrs | Where-Object ValueFromPipeline) { $pipe += 'ByValue' }
        if ($attrs | Where-Object ValueFromPipelineByPropertyName) { $pipe += 'ByPropertyName' }
        $pe.SetAttribute('pipelineInput', $(if ($pipe) { "True ($($pipe -join ', '))" } else { 'False' }))
        $pos = ($attrs | Where-Object Position -ge 0 | Select-Object -First 1).Position
        $pe.SetAttribute('position', $(if ($null -ne $pos) { "$pos" } else { 'named' }))
        $pe.SetAttribute('globbing', 'false')
        El maml name $pe $p.Name | Out-Null
        $text = $doc.Parameters[$p.Name]
        if (-not $text) { $missing += "$($cmd.Name) -$($p.Name)"; $text = '' }
        Add-Paras $xml (El maml description $pe) $text
        El command parameterValue $pe $p.ParameterType.Name | Out-Null
        $t = El dev type $pe
        El maml name $t $p.ParameterType.FullName | Out-Null
    }
    # INPUTS: what binds from the pipeline, by value or by property name.
    $inputs = El command inputTypes $c
    $piped = @($cmd.Parameters.Values | Where-Object Name -notin $common | ForEach-Object {
            $p = $_
            $how = @()
            if ($p.ParameterSets.Values | Where-Object ValueFromPipeline) { $how += 'by value' }
            if ($p.ParameterSets.Values | Where-Object ValueFromPipelineByPropertyName) { $how += "by property name ($((@($p.Name) + $p.Aliases) -join ', '))" }
            if ($how) { @{ Type = $p.ParameterType.FullName; Text = "Binds to -$($p.Name) $($how -join ' and ')." } }
        })
    if (-not $piped) { $piped = @(@{ Type = 'None'; Text = 'This cmdlet takes no input from the pipeline.' }) }
    foreach ($in in $piped) {
        $it = El command inputType $inputs
        El maml name (El dev type $it) $in.Type | Out-Null
        Add-Paras $xml (El maml description $it) $in.Text
    }
    # OUTPUTS: the cmdlet's [OutputType]s.
    $returns = El command returnValues $c
    foreach ($t in $cmd.OutputType) {
        $rv = El command returnValue $returns
        El maml name (El dev type $rv) $t.Name | Out-Null
    }
    $examples = El command examples $c
    $i = 0
    foreach ($ex in $doc.Examples) {
        $i++
        $e = El command example $examples
        El maml title $e "-------------------------- $($ex.Title) --------------------------" | Out-Null
        El dev code $e $ex.Code | Out-Null
        Add-Paras $xml (El dev remarks $e) $ex.Remarks
    }
    if ($doc.Notes) {
        $alert = El maml alertSet $c
        Add-Paras $xml (El maml alert $alert) $doc.Notes
    }
    if (-not $doc.Links) { $missing += "$($cmd.Name) RELATED LINKS" }
    $related = El maml relatedLinks $c
    foreach ($l in $doc.Links) {
        $nav = El maml navigationLink $related
        El maml linkText $nav $l | Out-Null
        El maml uri $nav '' | Out-Null
    }
}

# The provider's help: <providerHelp> in the same file (ProviderInfo.HelpFile names it), in the
# default namespace as PowerShell's own provider help is written.
$providerDoc = ConvertFrom-HelpMarkdown (Join-Path $helpSource 'Overlay.provider.md')
function PEl([string] $name, $parent, [string] $text) {
    $e = $xml.CreateElement($name, 'http://msh')
    if ($PSBoundParameters.ContainsKey('text')) { $e.InnerText = $text }
    [void]$parent.AppendChild($e)
    $e
}
function PParas($parent, [string] $text) {
    foreach ($p in ($text -split "\n\s*\n")) { if ($p.Trim()) { PEl 'para' $parent (($p -replace '\s*\n\s*', ' ').Trim()) | Out-Null } }
}
$ph = PEl 'providerHelp' $xml.DocumentElement
PEl 'Name' $ph 'Overlay' | Out-Null
PParas (PEl 'Drives' $ph) $providerDoc.Drives
PEl 'Synopsis' $ph $providerDoc.Synopsis | Out-Null
PParas (PEl 'DetailedDescription' $ph) $providerDoc.Description
PEl 'Capabilities' $ph | Out-Null
PEl 'Tasks' $ph | Out-Null
# Every [Parameter] of the classes the provider returns as dynamic parameters must be written up.
$dynamicTypes = [OverlayPS.Provider.OverlayProvider].Assembly.GetTypes() | Where-Object {
    $_.Name -match 'Parameters$' -and ($_.GetProperties() | Where-Object { $_.GetCustomAttributes([System.Management.Automation.ParameterAttribute], $true) }) }
$dynamic = @{}
foreach ($t in $dynamicTypes) {
    foreach ($p in $t.GetProperties() | Where-Object { $_.GetCustomAttributes([System.Management.Automation.ParameterAttribute], $true) }) {
        $dynamic["$($t.Name) -$($p.Name)"] = $p.PropertyType
    }
}
$documented = @{}
$dps = PEl 'DynamicParameters' $ph
foreach ($key in $providerDoc.Parameters.Keys) {
    $cmdlets, $name = $key -split '\s+-', 2
    $type = $dynamic.Keys | Where-Object { $_ -like "* -$name" } | ForEach-Object { $dynamic[$_] } | Select-Object -First 1
    $dp = PEl 'DynamicParameter' $dps
    PEl 'Name' $dp $name | Out-Null
    PEl 'CmdletSupported' $dp $cmdlets | Out-Null
    PEl 'Name' (PEl 'Type' $dp) $(if ($type) { $type.FullName } else { 'System.Object' }) | Out-Null
    PEl 'Description' $dp (($providerDoc.Parameters[$key] -replace '\s*\n\s*', ' ').Trim()) | Out-Null
    PEl 'PossibleValues' $dp | Out-Null
    $documented[$name] = $true
}
foreach ($k in $dynamic.Keys) { if (-not $documented[($k -split ' -')[1]]) { $missing += "Overlay provider $k" } }
$links = PEl 'RelatedLinks' $ph
foreach ($l in $providerDoc.Links) { PEl 'linkText' (PEl 'navigationLink' $links) $l | Out-Null }

foreach ($t in $targets) {
    New-Item -ItemType Directory $t -Force | Out-Null
    $xml.Save((Join-Path $t 'OverlayPS.dll-Help.xml'))
    Copy-Item (Join-Path $helpSource 'about_*.help.txt') $t -ErrorAction Ignore
}
if ($missing) {
    Write-Warning "Help missing for: $($missing -join '; ')"
}
