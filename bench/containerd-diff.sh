#!/usr/bin/env bash
# Get-OverlayChange on a containerd container vs the kernel's view, both timed in one run:
#   sudo ./bench/containerd-diff.sh [-Files 5000] [-Runs 10] [-NoBuild]
# Unpacks the containerd fixture (tests/fixtures/containerd-overlayfs) into a fresh temp dir,
# writes -Files files into container c-ran's snapshot (snapshots/9/fs, as a running container
# would), then alternates, -Runs times each in one pwsh:
#   - the kernel's view, what containerd and Docker 29 diff from: mount the container's
#     snapshot over its parents and the parents alone (read-only overlays, lowerdir= only),
#     walk both merged trees with find(1) (one lstat per entry, in C), unmount;
#   - Get-OverlayChange -Store <root> -Container c-ran (opens the store: both bbolt files,
#     the content blobs; then scans the upper dir against the held lower dirs).
# Checks that the added and deleted paths agree, prints the medians and the ratio. Removes its
# temp dir and everything it mounted there.
set -euo pipefail
cd "$(dirname "$0")/.."
files=5000 runs=10 build=1
while [ $# -gt 0 ]; do
    case "$1" in
        -Files) files=$2; shift 2 ;;
        -Runs) runs=$2; shift 2 ;;
        -NoBuild) build=0; shift ;;
        *) echo "usage: $0 [-Files N] [-Runs N] [-NoBuild]" >&2; exit 2 ;;
    esac
done
[ "$(id -u)" = 0 ] || { echo "needs root (whiteouts, trusted.* xattrs, overlay mounts)" >&2; exit 2; }
[ "$build" = 1 ] && ./build.sh build >&2

W=$(mktemp -d /tmp/ovlps-ctdbench.XXXXXX)
cleanup() {
    { grep -E " $W/" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r | while read -r m; do umount "$m"; done
    rm -rf "$W"
}
trap cleanup EXIT
tar --xattrs --xattrs-include='trusted.*' --xattrs-include='user.*' --numeric-owner \
    -xzf tests/fixtures/containerd-overlayfs/store.tar.gz -C "$W"
ROOT=$W/containerd
S=$ROOT/io.containerd.snapshotter.v1.overlayfs/snapshots
for ((i = 0; i < files; i++)); do
    [ $((i % 500)) = 0 ] && mkdir -p "$S/9/fs/data/d$((i / 500))"
    echo "$i" > "$S/9/fs/data/d$((i / 500))/f$i"
done
mkdir -p "$W/now" "$W/before"

# The kernel's view: c-ran's snapshot (9) over its parents (4 3 2 1, ground-truth/snapshot-map.txt).
cat > "$W/kernel-view.sh" <<SH
#!/usr/bin/env bash
set -e
mount -t overlay overlay -o ro,lowerdir=$S/9/fs:$S/4/fs:$S/3/fs:$S/2/fs:$S/1/fs "$W/now"
mount -t overlay overlay -o ro,lowerdir=$S/4/fs:$S/3/fs:$S/2/fs:$S/1/fs "$W/before"
(cd "$W/now" && find . -printf '%y %m %U %G %s %T@ %p\n' | sort -k7) > "$W/now.txt"
(cd "$W/before" && find . -printf '%y %m %U %G %s %T@ %p\n' | sort -k7) > "$W/before.txt"
umount "$W/now"; umount "$W/before"
SH
chmod +x "$W/kernel-view.sh"

cat > "$W/measure.ps1" <<'PS'
param($Root, $W, $Runs, $Manifest)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
function Median($xs) { $s = @($xs | Sort-Object); $s[[int][math]::Floor(($s.Count - 1) / 2)] }
$kernel = @(); $ours = @(); $mine = $null
for ($i = 0; $i -lt $Runs; $i++) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    & "$W/kernel-view.sh"
    if ($LASTEXITCODE) { throw "kernel view failed ($LASTEXITCODE)" }
    $kernel += $sw.Elapsed.TotalMilliseconds
    $sw.Restart()
    $mine = @(Get-OverlayChange -Store $Root -Container c-ran)
    $ours += $sw.Elapsed.TotalMilliseconds
}
# Both must see the same added and deleted paths, or the timing compares nothing.
$now = @{}; foreach ($l in Get-Content "$W/now.txt") { $now[$l.Split(' ', 7)[6].Substring(1)] = 1 }
$before = @{}; foreach ($l in Get-Content "$W/before.txt") { $before[$l.Split(' ', 7)[6].Substring(1)] = 1 }
$added = @($now.Keys | Where-Object { $_ -and -not $before.ContainsKey($_) } | Sort-Object)
$gone = @{}; foreach ($k in $before.Keys) { if ($k -and -not $now.ContainsKey($k)) { $gone[$k] = 1 } }
# docker diff names a deleted dir, not what was inside it.
$deleted = @($gone.Keys | Where-Object { -not $gone.ContainsKey(($_ -replace '/[^/]*$', '')) } | Sort-Object)
$a = @($mine | Where-Object Kind -eq Added | ForEach-Object Path | Sort-Object)
$d = @($mine | Where-Object Kind -eq Deleted | ForEach-Object Path | Sort-Object)
if (($a -join "`n") -ne ($added -join "`n")) { throw "Added: Get-OverlayChange has $($a.Count), the kernel view $($added.Count)" }
if (($d -join "`n") -ne ($deleted -join "`n")) { throw "Deleted: Get-OverlayChange has $($d.Count), the kernel view $($deleted.Count)" }
$k = Median $kernel; $o = Median $ours
'| Case | Changes | kernel view: mount both, walk both (median) | Get-OverlayChange (median) | Ratio |'
'|---|---|---|---|---|'
'| containerd container c-ran ({0} runs each, alternating) | {1} | {2:N1} ms | {3:N1} ms | {4:N1}x faster |' -f $Runs, $mine.Count, $k, $o, ($k / $o)
PS
dotnet pwsh -NoLogo -NoProfile -File "$W/measure.ps1" -Root "$ROOT" -W "$W" -Runs "$runs" -Manifest "$PWD/OverlayPS.psd1"
