# The CI smoke run of the benchmark (issue 7): bench/run.sh at the quick size must run every
# case end to end and print its row. No timing is asserted: the table's numbers are for people.
BeforeAll {
    . $PSScriptRoot/TestHelpers.ps1
}

Describe 'bench/run.sh -Size quick' {
    BeforeAll {
        $script:BenchOut = $null
        $script:BenchExit = $null
        if ($script:IsRoot) {
            # The module was just published by ./build.sh; the bench builds its own driver.
            $script:BenchOut = & bash (Join-Path $script:RepoRoot 'bench/run.sh') -Size quick -NoBuild 2>$null
            $script:BenchExit = $LASTEXITCODE
        }
    }

    It 'completes without a failed case' {
        Assert-RootOrSkip 'the bench (kernel overlay mounts)'
        if (-not $script:IsRoot) { return }
        $script:BenchExit | Should -Be 0 -Because ($script:BenchOut -join "`n")
        $script:BenchOut -match '\(case failed\)' | Should -BeNullOrEmpty
    }

    It 'prints a markdown table with a row for each of the six cases' {
        Assert-RootOrSkip 'the bench (kernel overlay mounts)'
        if (-not $script:IsRoot) { return }
        $script:BenchOut | Should -Contain '| Case | Size | Ours (median) | Reference (median) | Ratio | Target | Met |'
        foreach ($n in 1..6) {
            @($script:BenchOut -match "^\| $n\. ").Count | Should -BeGreaterThan 0 -Because "case $n needs a row"
        }
        # Lookup: one row per stack depth (1, 10, 100, 500 lowers) plus the per-layer growth.
        @($script:BenchOut -match '^\| 3\. Lookup of a bottom-layer file').Count | Should -Be 4
        ($script:BenchOut | Where-Object { $_ -like 'Machine:*' }) | Should -Not -BeNullOrEmpty
    }

    It 'sees the same number of entries through every side it compares' {
        Assert-RootOrSkip 'the bench (kernel overlay mounts)'
        if (-not $script:IsRoot) { return }
        $script:BenchOut -match 'COUNT MISMATCH|wrong count|listed \d+ of \d+' | Should -BeNullOrEmpty
    }
}
