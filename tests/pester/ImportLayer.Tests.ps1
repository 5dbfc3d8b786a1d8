# Import-OverlayLayer: a layer tar made by GNU tar (with its "./" root entry) as a new lower and
# onto a drive's upper, seen through a drive at once; hostile tars as clean, named errors.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    Import-Module $Manifest -Force
}

Describe 'Import-OverlayLayer' {
    BeforeEach {
        $script:B = New-TestDir 'ovlps-import'
        foreach ($d in 'base/etc', 'base/opq', 'src/app', 'src/etc', 'src/opq', 'up', 'work') { New-Item -ItemType Directory "$B/$d" -Force | Out-Null }
        Set-Content "$B/base/etc/group" 'root:x:0:'
        Set-Content "$B/base/etc/passwd" 'root:x:0:0'
        Set-Content "$B/base/opq/old" 'old'
        Set-Content "$B/src/app/new.txt" 'new'
        New-Item "$B/src/etc/.wh.group" -ItemType File | Out-Null
        New-Item "$B/src/opq/.wh..wh..opq" -ItemType File | Out-Null
        Set-Content "$B/src/opq/fresh" 'fresh'
        tar -C "$B/src" -czf "$B/layer.tar.gz" .
    }
    AfterEach {
        Remove-PSDrive imp -ErrorAction Ignore
        Remove-Item -LiteralPath $B -Recurse -Force -ErrorAction Ignore
    }

    It 'imports a gzip layer as a new lower that a drive then serves' {
        Assert-RootOrSkip
        $dir = Import-OverlayLayer "$B/layer.tar.gz" -Destination "$B/layer" -PassThru
        $dir | Should -BeOfType System.IO.DirectoryInfo
        $dir.FullName | Should -Be "$B/layer"
        $null = New-PSDrive -Name imp -PSProvider Overlay -Root / -LowerDir "$B/layer", "$B/base"
        Get-Content imp:/app/new.txt | Should -Be 'new'
        Test-Path imp:/etc/group | Should -BeFalse
        Get-Content imp:/etc/passwd | Should -Be 'root:x:0:0'
        (Get-ChildItem imp:/opq).Name | Should -Be 'fresh'
    }

    It 'imports onto a drive''s upper, and the drive shows it at once' {
        Assert-RootOrSkip
        $null = New-PSDrive -Name imp -PSProvider Overlay -Root / -LowerDir "$B/base" -UpperDir "$B/up" -WorkDir "$B/work"
        (Get-ChildItem imp:/opq).Name | Should -Be 'old'          # resolved (and cached) before
        Test-Path imp:/etc/group | Should -BeTrue
        Import-OverlayLayer "$B/layer.tar.gz" -Drive imp:
        (Get-ChildItem imp:/opq).Name | Should -Be 'fresh'
        Test-Path imp:/etc/group | Should -BeFalse
        Get-Content imp:/app/new.txt | Should -Be 'new'
        stat -c '%F %t:%T' "$B/up/etc/group" | Should -Be 'character special file 0:0'   # the kernel's whiteout
        @(Get-ChildItem -LiteralPath "$B/work/work" -Force).Count | Should -Be 0
    }

    It 'refuses an absolute entry name with a named error and leaves nothing' {
        Assert-RootOrSkip
        Set-Content "$B/victim" 'mine'
        tar -C / -cPf "$B/evil.tar" "$B/victim"
        Import-OverlayLayer "$B/evil.tar" -Destination "$B/evil-layer" -ErrorAction SilentlyContinue -ErrorVariable e
        Assert-CleanError $e -Id 'LayerImportAbsoluteName' -Target "$B/victim"
        $e[0].CategoryInfo.Category | Should -Be 'SecurityError'
        Test-Path "$B/evil-layer" | Should -BeFalse
        @(Get-ChildItem -LiteralPath $B -Force -Filter '.evil-layer*').Count | Should -Be 0
        Get-Content "$B/victim" | Should -Be 'mine'
    }

    It 'refuses a layer onto a read-only drive' {
        $null = New-PSDrive -Name imp -PSProvider Overlay -Root / -LowerDir "$B/base"
        Import-OverlayLayer "$B/layer.tar.gz" -Drive imp -ErrorAction SilentlyContinue -ErrorVariable e
        Assert-CleanError $e -Id 'InvalidOperation'
    }

    It 'changes nothing with -WhatIf' {
        Import-OverlayLayer "$B/layer.tar.gz" -Destination "$B/layer" -WhatIf
        Test-Path "$B/layer" | Should -BeFalse
    }
}

Describe 'Export-OverlayLayer of layer dirs' {
    BeforeEach {
        $script:B = New-TestDir 'ovlps-export-dir'
        foreach ($d in 'base/etc', 'base/opq', 'up', 'work') { New-Item -ItemType Directory "$B/$d" -Force | Out-Null }
        Set-Content "$B/base/etc/group" 'root:x:0:'
        Set-Content "$B/base/opq/old" 'old'
    }
    AfterEach {
        Remove-PSDrive exp, back -ErrorAction Ignore
        Remove-Item -LiteralPath $B -Recurse -Force -ErrorAction Ignore
    }

    It 'writes a drive''s upper as a layer tar that imports back to the same view' {
        Assert-RootOrSkip
        $null = New-PSDrive -Name exp -PSProvider Overlay -Root / -LowerDir "$B/base" -UpperDir "$B/up" -WorkDir "$B/work"
        Set-Content exp:/added.txt 'added'
        Remove-Item exp:/etc/group
        Remove-Item exp:/opq -Recurse
        New-Item -ItemType Directory exp:/opq | Out-Null
        Set-Content exp:/opq/fresh 'fresh'
        $file = Export-OverlayLayer -Drive exp -Path "$B/up.tar.gz" -Compress
        $file | Should -BeOfType System.IO.FileInfo
        $names = tar -tzf "$B/up.tar.gz"
        $names | Should -Contain 'etc/.wh.group'
        $names | Should -Contain 'opq/.wh..wh..opq'
        Import-OverlayLayer "$B/up.tar.gz" -Destination "$B/back"
        $null = New-PSDrive -Name back -PSProvider Overlay -Root / -LowerDir "$B/back", "$B/base"
        (Get-ChildItem back:/ -Recurse -Name | Sort-Object) | Should -Be (Get-ChildItem exp:/ -Recurse -Name | Sort-Object)
        Get-Content back:/opq/fresh | Should -Be 'fresh'
    }

    It 'writes a container''s rw layer from the store, with every change docker diff lists' {
        Assert-RootOrSkip
        Expand-DockerFixture $B
        $file = Export-OverlayLayer -Store "$B/docker" -Container c-ran -Path "$B/c-ran.tar" -HostOwnerNames
        $names = @(tar -tf $file.FullName) -replace '/$', ''
        foreach ($c in Get-OverlayChange -Store "$B/docker" -Container c-ran) {
            $p = $c.Path.TrimStart('/')
            if ($c.Kind -eq 'Deleted') {
                # a whiteout, or gone with its whole opaque parent
                $wh = $p -replace '[^/]+$', '.wh.$0'
                $opq = ($p -replace '/?[^/]+$', '') + '/.wh..wh..opq'
                ($names -contains $wh -or $names -contains $opq) | Should -BeTrue -Because "$p was deleted"
            }
            else { $names | Should -Contain $p }
        }
    }

    It 'refuses a read-only drive and an existing file, cleanly' {
        $null = New-PSDrive -Name exp -PSProvider Overlay -Root / -LowerDir "$B/base"
        Export-OverlayLayer -Drive exp -Path "$B/x.tar" -ErrorAction SilentlyContinue -ErrorVariable e
        Assert-CleanError $e -Id 'InvalidOperation'
        Test-Path "$B/x.tar" | Should -BeFalse
    }
}

Describe 'The README example of layer tars' {
    It 'runs as written and shows what it says' {
        Assert-RootOrSkip 'trusted.* overlay markers'
        $dir = New-TestDir 'ovlps-readme-layers'
        try {
            $readme = Get-Content -Raw "$RepoRoot/README.md"
            $start = $readme.IndexOf('### Layer tars of drives and containers')
            $end = $readme.IndexOf("`n## ", $start)     # the section ends where the next one begins
            $blocks = @([regex]::Matches($readme.Substring($start, $end - $start), '(?s)```powershell\n(.*?)```') | ForEach-Object { $_.Groups[1].Value })
            $blocks.Count | Should -Be 1
            $out = & ([scriptblock]::Create($blocks[0].Replace('/tmp/', "$dir/"))) 2>&1
            @($out | Where-Object { $_ -is [System.Management.Automation.ErrorRecord] }) -join "`n" | Should -BeNullOrEmpty
            $out | Should -Contain 'web1'
            $out | Should -Contain 'hostname'
            $out | Should -Not -Contain 'motd'
            [OverlayPS.Core.Posix.Files]::LStat("$dir/lt/changes/etc/motd").IsCharDevice00 | Should -BeTrue
        }
        finally {
            Remove-PSDrive lt, lt2 -ErrorAction Ignore
            Remove-Item -LiteralPath $dir -Recurse -Force -ErrorAction Ignore
        }
    }
}
