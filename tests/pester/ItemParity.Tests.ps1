# Items that behave like FileSystemInfo: the same script runs against the FileSystem provider on a
# kernel overlay mount and against an Overlay drive over an identical copy of the layers. It sets
# times, modes and the read-only flag through the item objects and Set-ItemProperty, then runs
# every cmdlet that honours the read-only flag, with and without -Force, and the content
# cmdlets' warnings. Each step's output (values, errors by category, warnings word for word) and
# the upper dirs left behind (modes included) must be the same.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    . "$PSScriptRoot/ParityHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Dir = New-TestDir 'ovlps-itemparity'
    $script:Mounted = $false
    # Every file and dir starts in the lower layer, so each change is also a copy-up.
    $spec = @'
lower1 file /a.txt        alpha\n
lower1 file /b.txt        bravo\n
lower1 file /.dot         dot\n
lower1 file /dir/one.txt  one\n
lower1 file /dir/two.txt  two\n
lower1 link /link-a       a.txt
lower1 link /link-dir     dir
lower1 file /ro/rm        rm\n
lower1 file /ro/rmf       rmf\n
lower1 file /ro/set       set\n
lower1 file /ro/setf      setf\n
lower1 file /ro/add       add\n
lower1 file /ro/addf      addf\n
lower1 file /ro/clr       clr\n
lower1 file /ro/clrf      clrf\n
lower1 file /ro/cp        cp\n
lower1 file /ro/cpf       cpf\n
lower1 file /ro/mv        mv\n
lower1 file /ro/mvf       mvf\n
lower1 file /ro/ren       ren\n
lower1 file /ro/src       src\n
lower1 file /ro/src2      src2\n
lower1 file /ro/src3      src3\n
lower1 file /rodir/in     in\n
lower1 file /tree/keep    keep\n
lower1 file /tree/sub/x   x\n
'@
    if ($IsRoot) {
        $script:KStack = New-LayerStack -Description $spec -Root "$Dir/kernel"
        $script:EStack = New-LayerStack -Description $spec -Root "$Dir/engine"
        $null = New-PSDrive -Name ovi -PSProvider Overlay -Root / -LowerDir $EStack.Lowers -UpperDir $EStack.Upper -WorkDir $EStack.Work -Scope Global
        Mount-TestOverlay $KStack "$Dir/merged"
        $script:Mounted = $true
        $null = New-PSDrive -Name kfi -PSProvider FileSystem -Root "$Dir/merged" -Scope Global
    }
    $t1 = [datetime]::new(2001, 2, 3, 4, 5, 6, [DateTimeKind]::Utc)
    $t2 = [datetime]::new(2002, 3, 4, 5, 6, 7, [DateTimeKind]::Local)

    # What both sides print of an item: its mode, flag and attributes.
    function Show([string] $p) { $i = Get-Item -LiteralPath $p -Force; "$($i.UnixMode) readonly=$($i.IsReadOnly) $($i.Attributes)" }

    $script:Steps = [ordered]@{
        # Timestamps set on the objects Get-Item, Get-ChildItem and New-Item return.
        'LastWriteTimeUtc on Get-Item'  = { param($d) $i = Get-Item "$d/a.txt"; $i.LastWriteTimeUtc = $t1; $i.LastWriteTimeUtc.ToString('o'); (Get-Item "$d/a.txt").LastWriteTimeUtc.ToString('o') }
        'LastWriteTime (local)'         = { param($d) $i = Get-Item "$d/b.txt"; $i.LastWriteTime = $t2; (Get-Item "$d/b.txt").LastWriteTime.ToString('o') }
        'LastAccessTime(Utc)'           = { param($d) $i = Get-Item "$d/b.txt"; $i.LastAccessTimeUtc = $t1; (Get-Item "$d/b.txt").LastAccessTimeUtc.ToString('o'); $i.LastAccessTime = $t2; (Get-Item "$d/b.txt").LastAccessTime.ToString('o'); (Get-Item "$d/b.txt").LastWriteTime.ToString('o') }
        'times on Get-ChildItem items'  = { param($d) Get-ChildItem "$d/dir" | ForEach-Object { $_.LastWriteTimeUtc = $t1 }; Get-ChildItem "$d/dir" | Sort-Object Name | ForEach-Object { "$($_.Name) $($_.LastWriteTimeUtc.ToString('o'))" } }
        'times on a directory'          = { param($d) (Get-Item "$d/dir").LastWriteTimeUtc = $t1; (Get-Item "$d/dir").LastWriteTimeUtc.ToString('o') }
        'times on the New-Item object'  = { param($d) $n = New-Item "$d/new.txt" -Value 'x'; $n.LastWriteTimeUtc = $t1; (Get-Item "$d/new.txt").LastWriteTimeUtc.ToString('o') }
        'Set-ItemProperty times'        = { param($d) Set-ItemProperty "$d/a.txt" LastAccessTimeUtc $t1; Set-ItemProperty "$d/a.txt" LastWriteTime $t2; $i = Get-Item "$d/a.txt"; $i.LastAccessTimeUtc.ToString('o'); $i.LastWriteTime.ToString('o') }
        # Attributes, IsReadOnly and UnixFileMode.
        'Attributes of each kind'       = { param($d) "$((Get-Item "$d/a.txt").Attributes)"; "$((Get-Item "$d/dir").Attributes)"; "$((Get-Item "$d/.dot" -Force).Attributes)"; "$((Get-Item "$d/link-a").Attributes)"; "$((Get-Item "$d/link-dir").Attributes)" }
        'UnixFileMode setter'           = { param($d) $i = Get-Item "$d/a.txt"; $i.UnixFileMode = 'UserRead, UserWrite, GroupRead'; "$($i.UnixFileMode)"; Show "$d/a.txt" }
        'Attributes = ReadOnly'         = { param($d) $i = Get-Item "$d/a.txt"; $i.Attributes = 'ReadOnly'; Show "$d/a.txt"; $i.Attributes = 'Normal'; Show "$d/a.txt" }
        'IsReadOnly setter'             = { param($d) $i = Get-Item "$d/b.txt"; $i.IsReadOnly = $true; $i.IsReadOnly; Show "$d/b.txt"; $i.IsReadOnly = $false; Show "$d/b.txt" }
        'no change, no copy-up'         = { param($d) (Get-Item "$d/tree/keep").IsReadOnly = $false; (Get-Item "$d/tree").Attributes = 'Directory'; Show "$d/tree/keep" }
        'Set-ItemProperty UnixFileMode' = { param($d) Set-ItemProperty "$d/dir/one.txt" UnixFileMode 'UserRead, UserWrite, UserExecute'; Show "$d/dir/one.txt" }
        'Set-ItemProperty Attributes'   = { param($d) Set-ItemProperty "$d/dir/two.txt" Attributes ReadOnly; Show "$d/dir/two.txt" }
        'Set-ItemProperty IsReadOnly'   = { param($d) Get-ChildItem "$d/ro" -File | Where-Object Name -NE 'src' | Set-ItemProperty -Name IsReadOnly -Value $true; Get-ChildItem "$d/ro" | Sort-Object Name | ForEach-Object { "$($_.Name) $($_.UnixMode)" } }
        'IsReadOnly on a directory'     = { param($d) Set-ItemProperty "$d/dir" IsReadOnly $true; Show "$d/dir" }
        # The read-only flag, cmdlet by cmdlet (we are root: the kernel would let each through).
        'remove read-only'              = { param($d) Remove-Item "$d/ro/rm"; Test-Path "$d/ro/rm" }
        'remove read-only -Force'       = { param($d) Remove-Item "$d/ro/rmf" -Force; Test-Path "$d/ro/rmf" }
        'set-content read-only'         = { param($d) Set-Content "$d/ro/set" 'new'; Get-Content "$d/ro/set"; Show "$d/ro/set" }
        'set-content read-only -Force'  = { param($d) Set-Content "$d/ro/setf" 'new' -Force; Get-Content "$d/ro/setf"; Show "$d/ro/setf" }
        'add-content read-only'         = { param($d) Add-Content "$d/ro/add" 'more'; Get-Content "$d/ro/add"; Show "$d/ro/add" }
        'add-content read-only -Force'  = { param($d) Add-Content "$d/ro/addf" 'more' -Force; Get-Content "$d/ro/addf"; Show "$d/ro/addf" }
        'clear-content read-only'       = { param($d) Clear-Content "$d/ro/clr"; (Get-Item "$d/ro/clr").Length; Show "$d/ro/clr" }
        'clear-content read-only -Force' = { param($d) Clear-Content "$d/ro/clrf" -Force; (Get-Item "$d/ro/clrf").Length; Show "$d/ro/clrf" }
        'copy onto read-only'           = { param($d) Copy-Item "$d/ro/src" "$d/ro/cp"; Get-Content "$d/ro/cp"; Show "$d/ro/cp" }
        'copy onto read-only -Force'    = { param($d) Copy-Item "$d/ro/src" "$d/ro/cpf" -Force; Get-Content "$d/ro/cpf"; Show "$d/ro/cpf" }
        'move onto read-only'           = { param($d) Move-Item "$d/ro/src2" "$d/ro/mv"; Get-Content "$d/ro/mv"; Test-Path "$d/ro/src2" }
        'move onto read-only -Force'    = { param($d) Move-Item "$d/ro/src3" "$d/ro/mvf" -Force; Get-Content "$d/ro/mvf"; Show "$d/ro/mvf"; Test-Path "$d/ro/src3" }
        'rename read-only'              = { param($d) Rename-Item "$d/ro/ren" 'ren2'; Show "$d/ro/ren2" }
        'copy of a read-only file'      = { param($d) Copy-Item "$d/ro/ren2" "$d/ro/ren3"; Show "$d/ro/ren3" }
        'a copy keeps the times'        = { param($d) foreach ($f in 'one', 'two') { $i = Get-Item "$d/dir/$f.txt"; $i.LastAccessTimeUtc = $t1; $i.LastWriteTimeUtc = $t1.AddDays(1) }; Copy-Item "$d/dir/two.txt" "$d/two-copy"; Copy-Item "$d/dir" "$d/dir-copy" -Recurse; foreach ($c in "$d/two-copy", "$d/dir-copy/one.txt") { $c = Get-Item $c; $c.LastWriteTimeUtc.ToString('o'); $c.LastAccessTimeUtc.ToString('o') } }
        'new-item -Force on read-only'  = { param($d) New-Item "$d/ro/ren3" -Value 'q' -Force | ForEach-Object Name; Get-Content "$d/ro/ren3" }
        'read-only dir'                 = { param($d) (Get-Item "$d/rodir").Attributes = 'Directory, ReadOnly'; Show "$d/rodir"; Remove-Item "$d/rodir" -Recurse; Test-Path "$d/rodir/in"; Remove-Item "$d/rodir" -Recurse -Force; Test-Path "$d/rodir" }
        'read-only file in a tree'      = { param($d) (Get-Item "$d/tree/sub/x").IsReadOnly = $true; Remove-Item "$d/tree" -Recurse; Test-Path "$d/tree/sub/x"; Test-Path "$d/tree/keep"; Remove-Item "$d/tree" -Recurse -Force; Test-Path "$d/tree" }
        # Switches written before the path: PowerShell binds them to the FileSystem provider's
        # parameters (those of the current location) and hands those to the drive.
        'switches before the path'      = { param($d) Get-Content -Raw "$d/lines-raw" -ErrorAction SilentlyContinue; Set-Content -NoNewline "$d/nonl" -Value 'a', 'b'; (Get-Item "$d/nonl").Length; Get-Content -Raw "$d/nonl"; Get-Content -Delimiter 'a' "$d/nonl"; (Get-ChildItem -Hidden "$d/").Name; (Get-ChildItem -File "$d/dir" | Sort-Object Name).Name; (Get-ChildItem -Directory "$d/" | Sort-Object Name).Name -join ','; Test-Path -OlderThan ([datetime]'2010-01-01') "$d/b.txt"; Test-Path -NewerThan ([datetime]'2010-01-01') "$d/b.txt" }
        'encoding before the path'      = { param($d) Set-Content -Encoding unicode -AsByteStream "$d/ub" -Value ([byte[]](65, 66)); Get-Content -Encoding unicode "$d/b.txt" -TotalCount 1 | ForEach-Object Length; Add-Content -Encoding ascii "$d/nonl" 'z'; Get-Content -Raw "$d/nonl" }
        # Warnings where the parameters are the same.
        'get-content bytes + encoding'  = { param($d) Get-Content "$d/b.txt" -AsByteStream -Encoding Unicode -TotalCount 2; Get-Content "$d/b.txt" -AsByteStream -Raw -Encoding ascii | ForEach-Object Length }
        'set/add-content bytes + enc'   = { param($d) Set-Content "$d/bytes" -AsByteStream -Encoding Unicode -Value ([byte[]](1, 2)); Add-Content "$d/bytes" -AsByteStream -Encoding utf8 -Value ([byte]3); (Get-Item "$d/bytes").Length }
        'no warning without -Encoding'  = { param($d) Get-Content "$d/b.txt" -AsByteStream -TotalCount 1; Get-Content "$d/b.txt" -Encoding ascii }
    }
}
AfterAll {
    Remove-PSDrive kfi, ovi -Force -ErrorAction Ignore
    if ($Mounted) { Dismount-Overlay "$Dir/merged" }
    Remove-Item $Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'Item properties and the read-only flag on a kernel mount (FileSystem) and an Overlay drive' {
    It 'gives the same output, errors and warnings at every step' {
        Assert-RootOrSkip 'a kernel overlay mount'
        # Every error of a step is seen, not only the first (the suite runs with 'Stop').
        $ErrorActionPreference = 'Continue'
        $diffs = foreach ($name in $Steps.Keys) {
            $k = Invoke-ParityStep $Steps[$name] 'kfi:'
            $o = Invoke-ParityStep $Steps[$name] 'ovi:'
            if (($k -join "`n") -cne ($o -join "`n")) {
                "step '$name':`n  kernel: $($k -join ' ; ')`n  drive:  $($o -join ' ; ')"
            }
        }
        $diffs -join "`n" | Should -BeNullOrEmpty
    }

    It 'leaves the same upper dir, modes included' {
        Assert-RootOrSkip 'a kernel overlay mount'
        Compare-Object (Get-UpperTree $KStack.Upper) (Get-UpperTree $EStack.Upper) | Out-String | Should -BeNullOrEmpty
    }
}

Describe 'Item objects and their way back to the engine' {
    BeforeAll {
        $script:SDir = New-TestDir 'ovlps-itemser'
        New-Item -ItemType Directory "$SDir/lower", "$SDir/upper", "$SDir/work" | Out-Null
        Set-Content "$SDir/lower/gone.txt" 'x'
        $null = New-PSDrive -Name ovs -PSProvider Overlay -Root / -LowerDir "$SDir/lower" -UpperDir "$SDir/upper" -WorkDir "$SDir/work" -Scope Global
    }
    AfterAll {
        Remove-PSDrive ovs -Force -ErrorAction Ignore
        Remove-Item $SDir -Recurse -Force -ErrorAction Ignore
    }

    It 'serializes without the engine (Clixml and JSON)' {
        $i = New-Item ovs:/f.txt -Value 'x'
        $xml = [System.Management.Automation.PSSerializer]::Serialize($i, 3)
        # No engine object in it (type names of the provider's methods may appear, as for any provider).
        $xml | Should -Not -Match '<T>OverlayPS.Core.Union.OverlayFs</T>'
        $json = $i | ConvertTo-Json -Depth 2 -WarningAction Ignore
        ($json | ConvertFrom-Json).UnionPath | Should -Be '/f.txt'
        $back = [System.Management.Automation.PSSerializer]::Deserialize($xml)
        $back.LastWriteTimeUtc | Should -Be $i.LastWriteTimeUtc
    }

    It 'refuses to change a whiteout marker, with a message that says why' {
        Remove-Item ovs:/gone.txt
        $m = Get-ChildItem ovs:/ -ShowMarkers | Where-Object Marker -EQ 'whiteout'
        $m | Should -Not -BeNullOrEmpty
        { $m.LastWriteTimeUtc = [datetime]::UtcNow } | Should -Throw '*whiteout marker*cannot be changed*'
    }

    It 'refuses a FileSystem-only switch written before the path, naming it' {
        # The current location is a FileSystem one, so -ReadOnly binds there first.
        Push-Location $SDir
        try {
            $err = { Get-ChildItem -ReadOnly ovs:/ -ErrorAction Stop } | Should -Throw -PassThru
            $err.Exception.Message | Should -BeLike "*'-ReadOnly'*not offered on an Overlay drive*"
            $err.CategoryInfo.Category | Should -Be 'InvalidArgument'
        }
        finally { Pop-Location }
    }

    It 'reports an engine error from a setter as a setter error (a read-only drive: EROFS)' {
        $null = New-PSDrive -Name ovsro -PSProvider Overlay -Root / -LowerDir "$SDir/lower", "$SDir/upper"
        try {
            $i = Get-Item ovsro:/f.txt
            { $i.IsReadOnly = $true } | Should -Throw '*Read-only file system*'
        }
        finally { Remove-PSDrive ovsro -Force }
    }
}
