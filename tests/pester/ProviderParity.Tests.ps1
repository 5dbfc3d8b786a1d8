# The parity suite: one script of cmdlet calls runs against a FileSystem drive on a real kernel
# overlay mount of a stack, and against an Overlay drive on an identical copy of that stack.
# Each step's output (names, container flags, lengths, contents, errors by category) and, at
# the end, the merged trees and the upper dirs must be the same.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    . "$PSScriptRoot/ProviderHelpers.ps1"
    . "$PSScriptRoot/ParityHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Here = Get-Location
    $script:Dir = New-TestDir 'ovlps-parity'
    $script:Mounted = $false
    if ($IsRoot) {
        # The same description builds both stacks, so they hold the same names, kinds and bytes.
        $script:KStack = New-ProviderStack "$Dir/kernel"
        $script:EStack = New-ProviderDrive -Name ov -Root "$Dir/engine"
        Mount-TestOverlay $KStack "$Dir/merged"
        $script:Mounted = $true
        $null = New-PSDrive -Name kfs -PSProvider FileSystem -Root "$Dir/merged" -Scope Global
    }

    # Where the drive deliberately does better than FileSystem: Set-Content's clear step turns a
    # provider error into a terminating one with no id, category or target (PowerShell's
    # SetContentCommand), so the drive lets its writer report it per path instead.
    # (A run with $ErrorActionPreference = 'Stop', as tests/run.ps1 has, makes that error
    # terminating too, but with its category.)
    $script:Deliberate = @{
        'set-content'          = 'VALUE TERMINATING NotSpecified', '^(ERROR|VALUE TERMINATING) WriteError$'
        'set-content on a dir' = 'VALUE TERMINATING NotSpecified', '^(ERROR|VALUE TERMINATING) InvalidOperation$'
    }
    function Test-SameStep([string] $name, [string[]] $k, [string[]] $o) {
        if (($k -join "`n") -ceq ($o -join "`n")) { return $true }
        $d = $Deliberate[$name]
        $null -ne $d -and ($k -join "`n") -ceq $d[0] -and ($o -join "`n") -cmatch $d[1]
    }

    # The script both drives run, step by step. Listings are sorted: readdir order differs
    # between the kernel and the engine and is not part of the contract.
    $script:Steps = [ordered]@{
        'list root'                    = { param($d) (Get-ChildItem "$d/" | Sort-Object Name) }
        'list recurse names'           = { param($d) Get-ChildItem "$d/" -Recurse -Name | Sort-Object }
        'list -Force -Filter'          = { param($d) Get-ChildItem "$d/usr/bin" -Force -Filter '*TOOL*' | Sort-Object Name }
        'list -Filter brackets'        = { param($d) Get-ChildItem "$d/names" -Filter '*[x]*'; Get-ChildItem "$d/names" -Filter '[s]*'; Get-ChildItem "$d/etc" -Filter 'HOST?AME' }
        'list -Hidden, -Force -Dir'    = { param($d) Get-ChildItem "$d/usr/bin" -Hidden; Get-ChildItem "$d/" -Force -Directory -Recurse | Sort-Object Name }
        'get-item of a dot-file'       = { param($d) Get-Item "$d/usr/bin/.hidden-tool"; Get-Item "$d/usr/bin/.hidden-tool" -Force; Get-ChildItem "$d/usr/bin/.hidden-tool"; Get-ChildItem "$d/usr/bin/.hidden-tool" -Hidden }
        'list -Name -Filter'           = { param($d) Get-ChildItem "$d/etc" -Name -Filter '*e*' | Sort-Object }
        'new dir exists'               = { param($d) New-Item -ItemType Directory "$d/etc" }
        'new symlink exists'           = { param($d) New-Item -ItemType SymbolicLink "$d/etc/hostname" -Value 'x' }
        'list -File -Depth 1'          = { param($d) Get-ChildItem "$d/" -File -Recurse -Depth 1 | Sort-Object Name }
        'list -Include -Exclude'       = { param($d) Get-ChildItem "$d/etc/*" -Include 'h*', 'o*' -Exclude 'os*' }
        'get-item whited out'          = { param($d) Get-Item "$d/etc/motd" }
        'test-path'                    = { param($d) Test-Path "$d/etc/hostname", "$d/etc/motd", "$d/var/cache/old.bin" }
        'test-path -PathType'          = { param($d) Test-Path "$d/etc" -PathType Leaf; Test-Path "$d/etc" -PathType Container }
        'content lines'                = { param($d) Get-Content "$d/data/numbers.txt" -TotalCount 3 }
        'content raw'                  = { param($d) Get-Content "$d/etc/os-release" -Raw }
        'content bytes'                = { param($d) Get-Content "$d/etc/hostname" -AsByteStream -TotalCount 4 }
        'content delimiter'            = { param($d) Get-Content "$d/data/csv.txt" -Delimiter ',' }
        'content -Raw -Delimiter'      = { param($d) Get-Content "$d/data/csv.txt" -Delimiter ',' -Raw }
        'content literal brackets'     = { param($d) Get-Content -LiteralPath "$d/names/sp ace [x].txt" }
        'content of a directory'       = { param($d) Get-Content "$d/etc" }
        'set-content copies up'        = { param($d) Set-Content "$d/etc/os-release" 'changed'; Get-Content "$d/etc/os-release" }
        'add-content'                  = { param($d) Add-Content "$d/data/numbers.txt" 'six'; Get-Content "$d/data/numbers.txt" -Raw }
        'set-content -NoNewline'       = { param($d) Set-Content "$d/new.txt" 'a', 'b' -NoNewline; Get-Content "$d/new.txt" -Raw }
        'set-content bytes'            = { param($d) Set-Content "$d/bytes.bin" -AsByteStream -Value ([byte[]](1, 2, 3)); (Get-Item "$d/bytes.bin").Length }
        'add-content utf8BOM'          = { param($d) Add-Content "$d/bom.txt" 'x' -Encoding utf8BOM; (Get-Item "$d/bom.txt").Length }
        'clear-content'                = { param($d) Clear-Content "$d/etc/hostname"; (Get-Item "$d/etc/hostname").Length }
        'remove leaves a whiteout'     = { param($d) Remove-Item "$d/usr/bin/tool"; Test-Path "$d/usr/bin/tool" }
        'remove missing'               = { param($d) Remove-Item "$d/nope" }
        'remove non-empty -Recurse'    = { param($d) Remove-Item "$d/var" -Recurse; Test-Path "$d/var" }
        'new dir over whiteout'        = { param($d) New-Item -ItemType Directory "$d/var"; Get-ChildItem "$d/var" }
        'new file over whiteout'       = { param($d) New-Item "$d/etc/motd" -Value 'fresh motd'; Get-Content "$d/etc/motd" }
        'new file exists'              = { param($d) New-Item "$d/etc/os-release" }
        'new file -Force'              = { param($d) New-Item "$d/etc/os-release" -Force -Value 'forced' }
        'new file in missing dir'      = { param($d) New-Item "$d/nodir/file.txt" -Value 'x' }
        'set-content in missing dir'   = { param($d) Set-Content "$d/nodir/file.txt" 'x' }
        'new dir nested'               = { param($d) New-Item -ItemType Directory "$d/a/b/c" }
        'new dir -Force existing'      = { param($d) New-Item -ItemType Directory "$d/etc" -Force }
        'rename file'                  = { param($d) Rename-Item "$d/home/user/notes.txt" 'notes2.txt'; Get-ChildItem "$d/home/user" }
        'rename lower dir EXDEV'       = { param($d) Rename-Item "$d/etc" 'etc2'; Test-Path "$d/etc" }
        'rename onto existing'         = { param($d) Rename-Item "$d/data/csv.txt" 'numbers.txt' }
        'rename upper-only dir'        = { param($d) Rename-Item "$d/a" 'a2'; Get-ChildItem "$d/a2" -Recurse -Name }
        'move lower file'              = { param($d) Move-Item "$d/data/csv.txt" "$d/home/csv.txt"; Test-Path "$d/data/csv.txt" }
        'move lower dir (copy+delete)' = { param($d) Move-Item "$d/data" "$d/data2"; Get-ChildItem "$d/data2" | Sort-Object Name; Test-Path "$d/data" }
        'move into existing dir'       = { param($d) Move-Item "$d/new.txt" "$d/home"; Test-Path "$d/home/new.txt" }
        'copy file'                    = { param($d) Copy-Item "$d/etc/os-release" "$d/os-copy"; Get-Content "$d/os-copy" }
        'copy dir -Recurse'            = { param($d) Copy-Item "$d/usr" "$d/usr-copy" -Recurse; Get-ChildItem "$d/usr-copy" -Recurse -Name | Sort-Object }
        'remove -Recurse spares hidden' = { param($d) Remove-Item "$d/usr-copy" -Recurse; Get-ChildItem "$d/usr-copy" -Recurse -Force -Name | Sort-Object }
        'copy dir without -Recurse'    = { param($d) Copy-Item "$d/etc" "$d/etc-shallow"; Get-ChildItem "$d/etc-shallow" }
        'move dir into itself'         = { param($d) Move-Item "$d/home" "$d/home/user" }
        'set-content on a dir'         = { param($d) Set-Content "$d/etc" 'x' }
        'get-content missing'          = { param($d) Get-Content "$d/nope.txt" }
        'remove file -Recurse'         = { param($d) Remove-Item "$d/os-copy" -Recurse; Test-Path "$d/os-copy" }
        'test-path wildcard'           = { param($d) Test-Path "$d/etc/*"; Test-Path "$d/zz*" }
        'copy -Recurse -PassThru'      = { param($d) Copy-Item "$d/home" "$d/home-pt" -Recurse -PassThru | Sort-Object Name }
        'rename/move -PassThru'        = { param($d) Rename-Item "$d/home-pt" 'home-pt2' -PassThru; Move-Item "$d/home-pt2" "$d/home-pt3" -PassThru }
        'whatif changes nothing'       = { param($d) Remove-Item "$d/names" -Recurse -WhatIf; Test-Path "$d/names" }
        'remove dir with brackets'     = { param($d) Remove-Item -LiteralPath "$d/names/sp ace [x].txt"; Get-ChildItem "$d/names" }
        'symlink: item and content'    = { param($d) Get-Item "$d/usr/bin/tool-latest" | ForEach-Object { $_.Name; $_.LinkType; $_.Target }; Get-Content "$d/usr/bin/tool-latest" }
        'new symbolic link'            = { param($d) New-Item -ItemType SymbolicLink "$d/home/host-link" -Value '../etc/hostname' | ForEach-Object { $_.Name; $_.Target }; Get-Content "$d/home/host-link" -Raw }
        'new hard link'                = { param($d) Push-Location "$d/home"; try { New-Item -ItemType HardLink hard -Value user/notes2.txt | ForEach-Object Name; Get-Content hard } finally { Pop-Location } }
        'copy file over existing'      = { param($d) Copy-Item "$d/etc/hostname" "$d/os-copy"; (Get-Item "$d/os-copy").Length }
        'move onto existing -Force'    = { param($d) Move-Item "$d/os-copy" "$d/bom.txt" -Force; Test-Path "$d/os-copy"; (Get-Item "$d/bom.txt").Length }
        'move onto existing'           = { param($d) Move-Item "$d/bytes.bin" "$d/bom.txt"; Test-Path "$d/bytes.bin" }
        'remove file in merged dir'    = { param($d) Remove-Item "$d/etc/hostname"; Get-ChildItem "$d/etc" | Sort-Object Name }
        'remove dir -Recurse -Force'   = { param($d) Remove-Item "$d/usr" -Recurse -Force; Test-Path "$d/usr"; Get-ChildItem "$d/" -Force -Name | Sort-Object }
        'content -ReadCount -Encoding' = { param($d) Get-Content "$d/etc/os-release" -ReadCount 2 -Encoding ascii | ForEach-Object { $_ -join '+' } }
        'content -Raw empty file'      = { param($d) Get-Content "$d/etc/hostname" -Raw }
        'clear-content missing'        = { param($d) Clear-Content "$d/nope.txt" }
        'rename to another dir'        = { param($d) Rename-Item "$d/bom.txt" "$d/home/bom.txt" }
        'rename missing'               = { param($d) Rename-Item "$d/nope" 'x' }
        'set LastWriteTime'            = { param($d) Set-ItemProperty "$d/etc/os-release" -Name LastWriteTime -Value ([datetime]'2001-02-03T04:05:06Z'); (Get-Item "$d/etc/os-release").LastWriteTimeUtc.ToString('o') }
        'get-itemproperty Length'      = { param($d) (Get-ItemProperty "$d/etc/os-release" -Name Length).Length }
        'recurse -Include dir path'    = { param($d) Get-ChildItem "$d/home" -Recurse -Include '*.txt' | Sort-Object Name }
        'set-location relative'        = { param($d) Push-Location "$d/home"; try { Get-ChildItem user | Sort-Object Name; Get-Content ../etc/os-release } finally { Pop-Location } }
        'copy a file onto itself'      = { param($d) Copy-Item "$d/etc/os-release" "$d/etc/os-release"; Copy-Item "$d/etc/os-release" "$d/etc"; Get-Content "$d/etc/os-release" }
        'rename to its own name'       = { param($d) Rename-Item "$d/etc/os-release" 'os-release'; Get-Content "$d/etc/os-release" }
        'add-content keeps a BOM'      = { param($d) Set-Content "$d/e16.txt" 'hé' -Encoding unicode; Add-Content "$d/e16.txt" 'x' -Encoding utf8NoBOM; (Get-Content "$d/e16.txt") -join '+'; (Get-Item "$d/e16.txt").Length }
        'clear-content of a dir'       = { param($d) Clear-Content "$d/etc" }
        'resolve-path -Relative up'    = { param($d) Push-Location "$d/home/user"; try { Resolve-Path -Relative .; Resolve-Path -Relative ..; Resolve-Path -Relative notes2.txt } finally { Pop-Location } }
        'measure file sizes'           = { param($d) Get-ChildItem "$d/" -Recurse -Force | Measure-Object -Property Length -Sum | ForEach-Object { $_.Count; $_.Sum } }
        'copy -Recurse -Exclude/Filter' = { param($d) Copy-Item "$d/etc" "$d/etc-x" -Recurse -Exclude 'm*'; Copy-Item "$d/etc" "$d/etc-f" -Recurse -Filter 'm*'; (Get-ChildItem "$d/etc-x", "$d/etc-f" -Recurse -Name | Sort-Object) -join ',' }
        'rename by BaseName'           = { param($d) Get-ChildItem "$d/home" -File | Rename-Item -NewName { $_.BaseName + '.bak' } -PassThru | Sort-Object Name | ForEach-Object { $_.Name; $_.Extension } }
        'copy into existing dirs'      = { param($d) Copy-Item "$d/etc" "$d/etc-merge" -Recurse; Copy-Item "$d/etc" "$d/etc-merge" -Recurse; Copy-Item "$d/etc" "$d/etc-merge" -Recurse -Force; Copy-Item "$d/etc" "$d/etc"; Copy-Item "$d/etc" "$d/etc-merge" -Recurse; (Get-ChildItem "$d/etc-merge" -Recurse -Name | Sort-Object) -join ',' }
        'copy into a missing dir'      = { param($d) Copy-Item "$d/etc/os-release" "$d/nodir/x"; Move-Item "$d/etc/os-release" "$d/nodir/y"; Test-Path "$d/etc/os-release" }
    }
}
AfterAll {
    Set-Location $Here
    Remove-PSDrive kfs, ov -Force -ErrorAction Ignore
    if ($Mounted) { Dismount-Overlay "$Dir/merged" }
    Remove-Item $Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'The same writes on a read-only kernel mount and a read-only Overlay drive' {
    BeforeAll {
        $script:RoMounted = $false
        if ($IsRoot) {
            $ro = New-ProviderStack "$Dir/ro-kernel"
            $null = New-ProviderDrive -Name ovro -Root "$Dir/ro-engine" -ReadOnly
            # Lowers only: the kernel mounts it read-only (EROFS on every write).
            Mount-TestOverlay ([OverlayPS.Core.Layers.LayerStack]::new($ro.Lowers)) "$Dir/ro-merged"
            $script:RoMounted = $true
            $null = New-PSDrive -Name kro -PSProvider FileSystem -Root "$Dir/ro-merged" -Scope Global
        }
        $script:RoSteps = [ordered]@{
            'new file'      = { param($d) New-Item "$d/x.txt" -Value 'x' }
            'new dir'       = { param($d) New-Item -ItemType Directory "$d/x" }
            'set-content'   = { param($d) Set-Content "$d/etc/hostname" 'x' }
            'add-content'   = { param($d) Add-Content "$d/etc/hostname" 'x' }
            'clear-content' = { param($d) Clear-Content "$d/etc/hostname" }
            'remove file'   = { param($d) Remove-Item "$d/etc/hostname" }
            'remove tree'   = { param($d) Remove-Item "$d/usr" -Recurse }
            'rename'        = { param($d) Rename-Item "$d/etc/hostname" 'h2' }
            'copy'          = { param($d) Copy-Item "$d/etc/hostname" "$d/etc/h3" }
            'still there'   = { param($d) Get-Content "$d/etc/hostname"; (Get-ChildItem "$d/" -Recurse -Name | Sort-Object) -join ',' }
        }
    }
    AfterAll {
        Remove-PSDrive kro, ovro -Force -ErrorAction Ignore
        if ($RoMounted) { Dismount-Overlay "$Dir/ro-merged" }
    }

    It 'refuses each write alike, by category, and changes nothing' {
        Assert-RootOrSkip 'a kernel overlay mount'
        $diffs = foreach ($name in $RoSteps.Keys) {
            $k = Invoke-ParityStep $RoSteps[$name] 'kro:'
            $o = Invoke-ParityStep $RoSteps[$name] 'ovro:'
            if (-not (Test-SameStep $name $k $o)) {
                "step '$name':`n  kernel: $($k -join ' ; ')`n  drive:  $($o -join ' ; ')"
            }
        }
        $diffs -join "`n" | Should -BeNullOrEmpty
    }
}

Describe 'The same script on a kernel overlay mount (FileSystem) and an Overlay drive' {
    It 'gives the same output at every step' {
        Assert-RootOrSkip 'a kernel overlay mount'
        $diffs = foreach ($name in $Steps.Keys) {
            $k = Invoke-ParityStep $Steps[$name] 'kfs:'
            $o = Invoke-ParityStep $Steps[$name] 'ov:'
            if (-not (Test-SameStep $name $k $o)) {
                "step '$name':`n  kernel: $($k -join ' ; ')`n  drive:  $($o -join ' ; ')"
            }
        }
        $diffs -join "`n" | Should -BeNullOrEmpty
    }

    It 'leaves the same merged tree' {
        Assert-RootOrSkip 'a kernel overlay mount'
        $k = Get-MergedTree 'kfs:/'
        $o = Get-MergedTree 'ov:/'
        Compare-Object $k $o | Out-String | Should -BeNullOrEmpty
    }

    It 'leaves the same upper dir' {
        Assert-RootOrSkip 'a kernel overlay mount'
        $k = Get-UpperTree $KStack.Upper
        $o = Get-UpperTree $EStack.Upper
        Compare-Object $k $o | Out-String | Should -BeNullOrEmpty
    }
}
