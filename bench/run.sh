#!/usr/bin/env bash
# The benchmark, one command:  sudo ./bench/run.sh [-Size quick|full] [-Case 1,3] [-NoBuild]
#   -Size quick   small data, a minute or so (CI smoke run); full: the README's table
#   -NoBuild      skip ./build.sh build (the module must already be built)
# Builds the module (pwsh cases use it as a user would) and bench/OverlayPS.Bench, then runs
# every case against its reference in alternation and prints a markdown table on stdout.
set -euo pipefail
cd "$(dirname "$0")/.."
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1
build=1
args=()
for a in "$@"; do
    case "$a" in
        -NoBuild|-nobuild|--no-build) build=0 ;;
        *) args+=("$a") ;;
    esac
done
if [ "$(id -u)" != 0 ]; then
    echo "bench/run.sh needs root (kernel overlay mounts, trusted.* xattrs, whiteouts)" >&2
    exit 2
fi
if [ "$build" = 1 ]; then
    ./build.sh build >&2
fi
dotnet build bench/OverlayPS.Bench/OverlayPS.Bench.csproj -c Release -o .artifacts/bench --nologo -v q >&2
exec dotnet .artifacts/bench/OverlayPS.Bench.dll -RepoRoot "$PWD" ${args[@]+"${args[@]}"}
