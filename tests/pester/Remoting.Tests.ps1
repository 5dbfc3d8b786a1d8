# Fleet use through PowerShell remoting over SSH: a private sshd on 127.0.0.1 (Debian's
# openssh-server, installed by tests/remoting/install-sshd.sh when missing; throwaway host and
# client keys; stopped after), Invoke-Command -HostName against it, and the deserialized results
# rendered with the module's views and piped back into remote calls.
BeforeAll {
    . "$PSScriptRoot/TestHelpers.ps1"
    . "$RepoRoot/tests/remoting/TestSshd.ps1"
    Import-Module $Manifest -Force
    $script:Work = New-TestDir 'ovlps-remote'
    $script:Store = Join-Path $Work 'docker'
    $script:Sshd = $null
    $script:NoSshd = $null
    if ($IsRoot) {
        Expand-DockerFixture $Work
        $script:NoSshd = Install-TestSshd
        if (-not $NoSshd) {
            try { $script:Sshd = Start-TestSshd (Join-Path $Work 'sshd') }
            catch { $script:NoSshd = "$_" }
        }
    }
    # Off CI a machine without sshd skips loudly; with CI=true it fails, as a skip would hide it.
    function script:Assert-Sshd {
        Assert-RootOrSkip 'installing and running sshd'
        if (-not $NoSshd) { return }
        if ($InCi) { throw "The remoting test needs a private sshd: $NoSshd" }
        Set-ItResult -Skipped -Because "no private sshd for the remoting test: $NoSshd"
    }
    function script:Invoke-Remote([scriptblock] $Script, [object[]] $Arguments = @(), $InputObject) {
        $p = @{
            HostName = '127.0.0.1'; Port = $Sshd.Port; UserName = 'root'; KeyFilePath = $Sshd.KeyFile
            Options = $Sshd.Options; ScriptBlock = $Script; ArgumentList = @($Manifest) + $Arguments; ErrorAction = 'Stop'
        }
        if ($PSBoundParameters.ContainsKey('InputObject')) { $p.InputObject = $InputObject }
        # A session whose ssh transport drops (seen once in a full run on 2 cores at load 20+)
        # is tried once more: the transport is not what is tested, and a remote that really
        # fails (an error, a crash on import) fails the second time too.
        try { Invoke-Command @p }
        catch {
            $e = $_.Exception
            $transport = $false
            for (; $e; $e = $e.InnerException) { if ($e -is [System.Management.Automation.Remoting.PSRemotingTransportException]) { $transport = $true } }
            if (-not $transport) { throw }
            Invoke-Command @p
        }
    }
    function script:ChangeLines($changes) { @($changes | ForEach-Object { "$($_.Kind) $($_.Path)" } | Sort-Object) }
}
AfterAll {
    Stop-TestSshd $Sshd
    Remove-Item $Work -Recurse -Force -ErrorAction Ignore
}

Describe 'Docker store objects over PowerShell remoting (SSH)' {
    It 'returns images that carry PSComputerName and render with the module''s views' {
        Assert-Sshd
        $images = Invoke-Remote { param($m, $s) Import-Module $m; Get-OverlayImage -Store $s } $Store
        @($images).Count | Should -Be @(Get-OverlayImage -Store $Store).Count
        $images | ForEach-Object {
            $_.pstypenames[0] | Should -Be 'Deserialized.OverlayPS.Core.Docker.DockerImage'
            $_.PSComputerName | Should -Be '127.0.0.1'
            $_.Store | Should -Be $Store
        }
        $text = $images | Format-Table | Out-String -Width 250
        $text | Should -Match 'Tags\s+Id\s+Created\s+LayerCount\s+Size\s+Containers'    # the view, not a property dump
        $text | Should -Match 'app:1\.0\s+17c0fa8df651.*\s12\s+3\.03MB\s+c-ran'
    }

    It 'answers a remote Get-OverlayLayer/Get-OverlayChange of piped-back results as a local call does' {
        Assert-Sshd
        $app = Invoke-Remote { param($m, $s) Import-Module $m; Get-OverlayImage -Store $s app:1.0 } $Store
        $remoteLayers = Invoke-Remote { param($m) Import-Module $m; $input | Get-OverlayLayer } -InputObject $app
        @($remoteLayers.CacheId) | Should -Be @((Get-OverlayLayer -Store $Store -Image app:1.0).CacheId)

        $containers = Invoke-Remote { param($m, $s) Import-Module $m; Get-OverlayContainer -Store $s } $Store
        $ran = $containers | Where-Object Name -EQ 'c-ran'
        @((Invoke-Remote { param($m) Import-Module $m; $input | Get-OverlayLayer } -InputObject $ran).CacheId) |
            Should -Be @((Get-OverlayLayer -Store $Store -Container c-ran).CacheId)
        $changes = Invoke-Remote { param($m) Import-Module $m; $input | Get-OverlayChange } -InputObject $containers
        foreach ($name in 'c-ran', 'c-stopped') {
            ChangeLines ($changes | Where-Object Container -EQ $name) | Should -Be (ChangeLines (Get-OverlayChange -Store $Store -Container $name))
        }
        ($changes | Format-Table | Out-String -Width 200) | Should -Match 'Kind\s+ItemType\s+Size\s+Path'
    }

    It 'groups a fleet''s answers by PSComputerName' {
        Assert-Sshd
        # The README's fleet example, with the same machine named twice.
        $p = @{ Port = $Sshd.Port; UserName = 'root'; KeyFilePath = $Sshd.KeyFile; Options = $Sshd.Options; ErrorAction = 'Stop' }
        $all = Invoke-Command -HostName 127.0.0.1, localhost @p -ArgumentList $Manifest, $Store {
            param($m, $s) Import-Module $m; Get-OverlayContainer -Store $s -MeasureSize
        }
        $byHost = $all | Group-Object PSComputerName
        @($byHost.Name | Sort-Object) | Should -Be @('127.0.0.1', 'localhost')
        $byHost | ForEach-Object { ($_.Group | Where-Object Name -EQ 'c-ran').SizeRw | Should -Be 157 }
    }
}
