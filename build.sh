#!/usr/bin/env bash
# The two entry points of the README:
#   ./build.sh demo   set everything up, open pwsh with the module and a demo: drive
#   ./build.sh test   run every test (xunit and Pester); ends with "N passed, N failed"
#   ./build.sh package  build, then make .artifacts/package/OverlayPS.<version>.nupkg
# Needs only the .NET SDK: pwsh comes as a local dotnet tool, Pester from NuGet.
set -euo pipefail
cd "$(dirname "$0")"
export DOTNET_CLI_TELEMETRY_OPTOUT=1 DOTNET_NOLOGO=1 DOTNET_SKIP_FIRST_TIME_EXPERIENCE=1

setup() {
    dotnet tool restore >/dev/null
    dotnet restore tests/pester-host/PesterHost.csproj --nologo -v q >/dev/null
    # OverlayPS.dll and Core flat; Mono.Posix for linux-x64 and linux-arm64 under
    # module/bin/runtimes/<rid>/, loaded by the module for the machine it runs on.
    dotnet publish src/OverlayPS/OverlayPS.csproj -c Release -o module/bin --nologo -v q \
        -p:TreatWarningsAsErrors=true >/dev/null
    # MAML and about_ topics from module/help (needs the built cmdlets for syntax).
    dotnet pwsh -NoLogo -NoProfile -File src/build/Build-Help.ps1
}

case "${1:-}" in
    demo)
        setup
        layers=$(mktemp -d /tmp/overlayps-demo.XXXXXX)
        trap 'rm -rf "$layers"' EXIT
        dotnet pwsh -NoLogo -NoExit -File module/samples/demo.ps1 -LayerRoot "$layers"
        ;;
    test)
        setup
        shift
        exec dotnet pwsh -NoLogo -NoProfile -File tests/run.ps1 "$@"
        ;;
    build)
        setup
        ;;
    package)
        setup
        exec dotnet pwsh -NoLogo -NoProfile -File src/build/Build-Package.ps1
        ;;
    *)
        echo "usage: ./build.sh demo | test [-XunitFilter F] [-PesterPath P] | build | package" >&2
        exit 2
        ;;
esac
