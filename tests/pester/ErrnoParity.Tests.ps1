# The error table (src/OverlayPS/Errors/ErrorRecords.Errno.cs), row by row: each errno the engine
# can return, made to happen by cmdlets on an Overlay drive and on the FileSystem provider over a
# kernel overlay mount of an identical copy of the layers. Both must report the same errors by
# category, in the same number and order (FileSystem's own existence check reports some errnos
# before the cmdlet's error: the drive does too), and the same output otherwise, so a row that
# drifts from what FileSystem says fails here, not in a user's script. Where FileSystem says only
# NotSpecified (Set-Content's clear step throws without a category), any category on the drive
# is accepted, as the issue allows a more precise one.
#
# EACCES shares EPERM's row (root meets EPERM, through immutable files). Rows the cmdlets cannot
# reach here, named so their absence is visible: ENOTEMPTY (Remove-Item asks for -Recurse before
# any rmdir, Move-Item joins a directory onto an existing one, Rename-Item checks the name first:
# only a race meets it), EBUSY (a layer entry that is a mount point in use) and
# EOPNOTSUPP/ENOSYS (a layer filesystem without xattrs or renameat2).
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    . "$PSScriptRoot/ParityHelpers.ps1"
    Import-Module $Manifest -Force
    $script:Dir = New-TestDir 'ovlps-errno'
    $script:Mounts = @()
    $spec = @'
lower1 file /f          data\n
lower1 file /d/in       in\n
lower1 file /low/x      x\n
lower1 link /loop1      loop2
lower1 link /loop2      loop1
upper  file /imm        immutable\n
upper  dir  /immdir
'@
    $script:Long = 'n' * 256
    if ($IsRoot) {
        # chattr is e2fsprogs' (Debian priority important: on a standard machine, maybe not a bare one).
        if (-not (Get-Command chattr -ErrorAction Ignore)) {
            $env:DEBIAN_FRONTEND = 'noninteractive'
            timeout 600 apt-get update -qq; timeout 600 apt-get install -y -qq --no-install-recommends e2fsprogs | Out-Null
        }
        foreach ($side in 'kernel', 'engine') {
            $s = New-LayerStack -Description $spec -Root "$Dir/$side"
            # Immutable even to root: the kernel's EPERM, met through the upper layer on both sides.
            chattr +i "$($s.Upper)/imm" "$($s.Upper)/immdir"
            Set-Variable -Scope Script -Name "$($side)Stack" -Value $s
        }
        $null = New-PSDrive -Name ove -PSProvider Overlay -Root / -LowerDir $engineStack.Lowers -UpperDir $engineStack.Upper -WorkDir $engineStack.Work -Scope Global
        $null = New-PSDrive -Name overo -PSProvider Overlay -Root / -LowerDir (@($engineStack.Upper) + $engineStack.Lowers) -Scope Global
        Mount-TestOverlay $kernelStack "$Dir/merged"
        $script:Mounts += "$Dir/merged"
        # The upper dir as one more lower, no upper: the kernel mounts it read-only, as the drive
        # without -UpperDir is (both need two lowers then).
        Mount-TestOverlay ([OverlayPS.Core.Layers.LayerStack]::new([string[]](@($kernelStack.Upper) + $kernelStack.Lowers))) "$Dir/ro-merged"
        $script:Mounts += "$Dir/ro-merged"
        $null = New-PSDrive -Name kfe -PSProvider FileSystem -Root "$Dir/merged" -Scope Global
        $null = New-PSDrive -Name kfero -PSProvider FileSystem -Root "$Dir/ro-merged" -Scope Global
    }

    # One step's output as ParityHelpers' lines, and its error records (terminating one included).
    function Invoke-Step([scriptblock] $Step, [string] $d) {
        $errors = [System.Collections.Generic.List[System.Management.Automation.ErrorRecord]]::new()
        $out = try {
            & $Step $d 2>&1 3>&1 | ForEach-Object { if ($_ -is [System.Management.Automation.ErrorRecord]) { $errors.Add($_) }; $_ }
        }
        catch { $errors.Add($_); "TERMINATING $($_.CategoryInfo.Category)" }
        @{ Lines = @($out | ForEach-Object { ConvertTo-ParityLine $_ }); Errors = $errors }
    }

    # Line by line; FileSystem's NotSpecified (an error or a terminating one) matches any category.
    function Test-SameLines([string[]] $k, [string[]] $o) {
        if ($k.Count -ne $o.Count) { return $false }
        for ($i = 0; $i -lt $k.Count; $i++) {
            if ($k[$i] -ceq $o[$i]) { continue }
            if ($k[$i] -cmatch '^(ERROR|VALUE TERMINATING) NotSpecified$' -and $o[$i] -cmatch '^(ERROR|VALUE TERMINATING) \w+$') { continue }
            return $false
        }
        $true
    }

    # Errno -> the steps that meet it. Each step must fail on both sides.
    $script:Rows = [ordered]@{
        ENOENT       = @(
            { param($d) Get-Content "$d/nope" }
            { param($d) Get-Item "$d/nope" }
            { param($d) Remove-Item "$d/nope" }
            { param($d) Rename-Item "$d/nope" 'x' }
            { param($d) Clear-Content "$d/nope" }
            { param($d) Copy-Item "$d/nope" "$d/x" }
            { param($d) Set-Content "$d/nodir/x" 'x' }
        )
        ENOTDIR      = @(
            { param($d) Get-Content "$d/f/x" }
            { param($d) Get-ChildItem "$d/f/x" }
            { param($d) Set-Content "$d/f/x" 'x' }
            { param($d) New-Item "$d/f/x" -Value 'x' }
            { param($d) Remove-Item "$d/f/x" }
        )
        EPERM        = @(
            { param($d) Set-Content "$d/imm" 'x' }
            { param($d) Add-Content "$d/imm" 'x' }
            { param($d) Clear-Content "$d/imm" }
            { param($d) Remove-Item "$d/imm" }
            { param($d) Rename-Item "$d/imm" 'imm2' }
            { param($d) New-Item "$d/immdir/new" -Value 'x' }
            { param($d) New-Item -ItemType Directory "$d/immdir/sub" }
            { param($d) Set-ItemProperty "$d/imm" -Name LastWriteTime -Value ([datetime]'2001-02-03') }
        )
        EROFS        = @(
            { param($d) Set-Content "$d/f" 'x' }
            { param($d) New-Item "$d/new" -Value 'x' }
            { param($d) New-Item -ItemType Directory "$d/newdir" }
            { param($d) Remove-Item "$d/f" }
            { param($d) Rename-Item "$d/f" 'g' }
            { param($d) Clear-Content "$d/f" }
            { param($d) Copy-Item "$d/f" "$d/g" }
        )
        EEXIST       = @(
            { param($d) New-Item "$d/f" }
            { param($d) New-Item -ItemType Directory "$d/d" }
            { param($d) New-Item -ItemType SymbolicLink "$d/f" -Value 'd' }
            { param($d) Push-Location "$d/"; try { New-Item -ItemType HardLink f -Value 'd/in' } finally { Pop-Location } }
            { param($d) Rename-Item "$d/f" 'd' }
            { param($d) Move-Item "$d/d/in" "$d/f" }
        )
        EXDEV        = @(
            { param($d) Rename-Item "$d/low" 'low2' }
        )
        EISDIR       = @(
            { param($d) Set-Content "$d/d" 'x' }
            { param($d) Add-Content "$d/d" 'x' }
            { param($d) Get-Content "$d/d" }
        )
        ELOOP        = @(
            { param($d) Get-Content "$d/loop1" }
            { param($d) Set-Content "$d/loop1" 'x' }
            { param($d) Get-ChildItem "$d/loop1/x" }
        )
        ENAMETOOLONG = @(
            { param($d) New-Item "$d/$Long" -Value 'x' }
            { param($d) New-Item "$d/$Long" -Force }
            { param($d) New-Item -ItemType Directory "$d/$Long" }
            { param($d) New-Item -ItemType Directory "$d/$Long/x" }
            { param($d) New-Item -ItemType Directory "$d/$Long/x/y" -Force }
            { param($d) New-Item "$d/$Long/x" -Value 'x' -Force }
            { param($d) New-Item -ItemType SymbolicLink "$d/$Long/x" -Value 'f' -Force }
            { param($d) New-Item -ItemType Directory ("$d/" + ((1..30 | ForEach-Object { 'd' * 150 }) -join '/')) -Force }
            { param($d) New-Item -ItemType SymbolicLink "$d/$Long" -Value 'f' }
            { param($d) Push-Location "$d/"; try { New-Item -ItemType HardLink $Long -Value 'f' } finally { Pop-Location } }
            { param($d) Get-Content "$d/$Long" }
            { param($d) Get-Content "$d/$Long/x" }
            { param($d) Get-Item "$d/$Long" }
            { param($d) Get-ChildItem "$d/$Long" }
            { param($d) Test-Path "$d/$Long" }
            { param($d) Set-Content "$d/$Long" 'x' }
            { param($d) Add-Content "$d/$Long" 'x' }
            { param($d) Clear-Content "$d/$Long" }
            { param($d) Remove-Item "$d/$Long" }
            { param($d) Rename-Item "$d/f" $Long }
            { param($d) Rename-Item "$d/d" $Long }
            { param($d) Move-Item "$d/f" "$d/$Long" }
            { param($d) Copy-Item "$d/f" "$d/$Long" }
            { param($d) Copy-Item "$d/d" "$d/$Long" -Recurse }
        )
        EINVAL       = @(
            { param($d) Move-Item "$d/d" "$d/d/in2" }
        )
    }
}
AfterAll {
    Remove-PSDrive kfe, kfero, ove, overo -Force -ErrorAction Ignore
    foreach ($m in $Mounts) { Dismount-Overlay $m }
    if ($IsRoot) { chattr -R -i $Dir 2>$null }
    Remove-Item $Dir -Recurse -Force -ErrorAction Ignore
}

Describe 'The error table, errno by errno, on a kernel mount (FileSystem) and an Overlay drive' {
    It 'reports <_> as FileSystem does' -ForEach @(
        'ENOENT', 'ENOTDIR', 'EPERM', 'EROFS', 'EEXIST', 'EXDEV', 'EISDIR', 'ELOOP', 'ENAMETOOLONG', 'EINVAL'
    ) {
        Assert-RootOrSkip 'a kernel overlay mount'
        $errno = $_
        $ErrorActionPreference = 'Continue'
        # EROFS on the read-only pair (no upper dir), every other errno on the writable one.
        $kfs, $drive = if ($errno -eq 'EROFS') { 'kfero:', 'overo:' } else { 'kfe:', 'ove:' }
        $failed = 0
        $problems = foreach ($step in $Rows[$errno]) {
            $k = Invoke-Step $step $kfs
            $o = Invoke-Step $step $drive
            if ($k.Errors.Count) { $failed++ }
            if (-not (Test-SameLines $k.Lines $o.Lines)) { "{$step}`n  kernel: $($k.Lines -join ' ; ')`n  drive:  $($o.Lines -join ' ; ')" }
        }
        $problems -join "`n" | Should -BeNullOrEmpty
        # Each row's steps must really fail there, or the row tests nothing.
        $failed | Should -Be @($Rows[$errno]).Count
    }
}
