#!/usr/bin/env bash
# podman diff vs Get-OverlayChange on the same container, both timed in one run:
#   sudo ./bench/podman-diff.sh [-Files 5000] [-Runs 10] [-NoBuild]
# Makes a private podman store (its own --root/--runroot and config under a fresh temp dir;
# busybox-static imported as the image, no registry), creates a container, writes -Files files
# into it (and deletes and chmods some image files) through `podman mount` (no runtime needed),
# unmounts it, then alternates `podman diff` and Get-OverlayChange -Runs times each in one
# pwsh, checks they report the same changes, and prints the medians and the ratio.
# Installs podman, runc, conmon and busybox-static from Debian when missing. Removes its
# temp dir, and the host dirs podman creates whatever --root says, if this run created them.
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
[ "$(id -u)" = 0 ] || { echo "needs root (podman's rootful store, overlay mounts)" >&2; exit 2; }
for b in podman runc conmon busybox; do
    command -v $b >/dev/null || { apt-get update >&2; DEBIAN_FRONTEND=noninteractive apt-get install -y \
        --no-install-recommends podman runc conmon busybox-static >&2; break; }
done
[ "$build" = 1 ] && ./build.sh build >&2

W=$(mktemp -d /tmp/ovlps-podbench.XXXXXX)
ROOT=$W/storage RUNROOT=$W/run
# Host dirs podman touches whatever --root says (see tests/fixtures/podman-overlay/make-store.sh).
HOST_DIRS="/run/libpod /run/containers /var/lib/containers /var/cache/containers"
NEW_HOST_DIRS=""
for d in $HOST_DIRS; do [ -e "$d" ] || NEW_HOST_DIRS="$NEW_HOST_DIRS $d"; done
P() { podman --root "$ROOT" --runroot "$RUNROOT" --storage-driver overlay "$@"; }
cleanup() {
    P umount --all >/dev/null 2>&1 || true
    { grep -E " $W/" /proc/self/mountinfo || true; } | awk '{print $5}' | sort -r | while read -r m; do umount "$m"; done
    rm -rf "$W"
    # Only what podman left there for this run, and only when the dir was not there before.
    rm -f /var/lib/containers/cache/blob-info-cache-v1.boltdb /var/cache/containers/short-name-aliases.conf.lock
    for d in $NEW_HOST_DIRS; do
        [ -d "$d" ] && find "$d" -depth -type d -empty -delete
        [ -e "$d" ] && echo "left non-empty $d" >&2
    done
    return 0
}
trap cleanup EXIT
mkdir -p "$ROOT" "$RUNROOT" "$W/conf" "$W/tmp" "$W/rootfs/bin" "$W/rootfs/etc"
printf '[storage]\ndriver = "overlay"\nrunroot = "%s"\ngraphroot = "%s"\n' "$RUNROOT" "$ROOT" > "$W/conf/storage.conf"
printf '[containers]\nnetns = "none"\n[engine]\nruntime = "runc"\ncgroup_manager = "cgroupfs"\nevents_logger = "file"\nevents_logfile_path = "%s/events.log"\ntmp_dir = "%s/tmp"\n' "$W" "$W" > "$W/conf/containers.conf"
export CONTAINERS_STORAGE_CONF=$W/conf/storage.conf CONTAINERS_CONF=$W/conf/containers.conf TMPDIR=$W/tmp

# The image: busybox-static and its applet links, a few files to change.
cp "$(command -v busybox)" "$W/rootfs/bin/busybox"
for a in $("$W/rootfs/bin/busybox" --list); do [ "$a" = busybox ] || ln -s busybox "$W/rootfs/bin/$a"; done
echo 'root:x:0:0:root:/root:/bin/sh' > "$W/rootfs/etc/passwd"
echo 'welcome' > "$W/rootfs/etc/motd"
tar -C "$W/rootfs" -cf "$W/rootfs.tar" .
P import -q "$W/rootfs.tar" localhost/bench/base:latest >/dev/null
P create -q --name bench localhost/bench/base:latest /bin/true >/dev/null
merged=$(P mount bench)
mkdir -p "$merged/data"
for ((i = 0; i < files; i++)); do
    [ $((i % 500)) = 0 ] && mkdir -p "$merged/data/d$((i / 500))"
    echo "$i" > "$merged/data/d$((i / 500))/f$i"
done
rm "$merged/etc/motd"; chmod 600 "$merged/etc/passwd"; rm "$merged/bin/vi"
P umount bench >/dev/null

cat > "$W/measure.ps1" <<'PS'
param($Root, $RunRoot, $Runs, $Manifest)
$ErrorActionPreference = 'Stop'
Import-Module $Manifest
function Median($xs) { $s = @($xs | Sort-Object); $s[[int][math]::Floor(($s.Count - 1) / 2)] }
$podman = @(); $ours = @(); $theirs = $null; $mine = $null
for ($i = 0; $i -lt $Runs; $i++) {
    $sw = [Diagnostics.Stopwatch]::StartNew()
    $theirs = podman --root $Root --runroot $RunRoot --storage-driver overlay diff --format json bench | ConvertFrom-Json
    if ($LASTEXITCODE) { throw "podman diff failed ($LASTEXITCODE)" }
    $podman += $sw.Elapsed.TotalMilliseconds
    $sw.Restart()
    $mine = @(Get-OverlayChange -Store $Root -Container bench)
    $ours += $sw.Elapsed.TotalMilliseconds
}
# Both must say the same, or the timing compares nothing.
foreach ($k in @{ Added = 'added'; Changed = 'changed'; Deleted = 'deleted' }.GetEnumerator()) {
    $a = @($mine | Where-Object Kind -eq $k.Key | ForEach-Object Path | Sort-Object)
    $b = @($theirs.($k.Value) | Sort-Object)
    if (($a -join "`n") -ne ($b -join "`n")) { throw "$($k.Key): Get-OverlayChange has $($a.Count), podman diff $($b.Count)" }
}
$p = Median $podman; $o = Median $ours
'| Case | Changes | podman diff (median) | Get-OverlayChange (median) | Ratio |'
'|---|---|---|---|---|'
'| podman diff of one container ({0} runs each, alternating) | {1} | {2:N1} ms | {3:N1} ms | {4:N1}x faster |' -f $Runs, $mine.Count, $p, $o, ($p / $o)
PS
dotnet pwsh -NoLogo -NoProfile -File "$W/measure.ps1" -Root "$ROOT" -RunRoot "$RUNROOT" -Runs "$runs" -Manifest "$PWD/OverlayPS.psd1"
