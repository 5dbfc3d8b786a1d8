#!/usr/bin/env bash
# A private dockerd for tests and benchmarks: Debian's docker.io, its own data root, exec root,
# socket, pid file and CLI config under one temp dir, no bridge, no iptables, storage driver
# overlay2. Nothing of the machine's own docker (if any) is used or touched.
#
#   dockerd.sh install          install docker.io (+ containerd, runc, busybox-static) if missing
#                               exit 0 ready; exit 3 cannot install (not root, apt failed)
#   dockerd.sh start DIR        start a dockerd in DIR (made if missing, must hold no daemon);
#                               waits until its socket answers; prints DOCKER_HOST=unix://...
#   dockerd.sh rootfs TAR       write a small busybox rootfs tarball for `docker import`
#   dockerd.sh stop DIR         stop the dockerd of DIR: TERM by its recorded pid, wait for it
#                               and its managed containerd to exit, then unmount what is still
#                               mounted beneath DIR (only there: everything there is ours)
#
# The CLI is /usr/bin/docker (Debian's, matching the daemon; another docker may come first on
# PATH). Use it as:  DOCKER_HOST=unix://DIR/docker.sock DOCKER_CONFIG=DIR/cli /usr/bin/docker ...
set -euo pipefail

DOCKERD=/usr/sbin/dockerd
DOCKER=/usr/bin/docker
START_TIMEOUT=${DOCKERD_START_TIMEOUT:-120}   # seconds; a busy 2-core CI box can be slow
STOP_TIMEOUT=${DOCKERD_STOP_TIMEOUT:-120}

die() { echo "dockerd.sh: $*" >&2; exit 1; }

installed() {
    [ -x "$DOCKERD" ] && [ -x "$DOCKER" ] && command -v containerd >/dev/null \
        && command -v runc >/dev/null && [ -x /bin/busybox ]
}

cmd_install() {
    installed && return 0
    if [ "$(id -u)" != 0 ]; then
        echo "dockerd.sh: docker.io is not installed and installing it needs root" >&2
        exit 3
    fi
    export DEBIAN_FRONTEND=noninteractive
    # No service start during the install (a bare machine may not forbid it; without systemd
    # as PID 1 nothing would start anyway). The policy file is ours only if we made it.
    local made_policy=
    if [ ! -e /usr/sbin/policy-rc.d ]; then
        printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
        chmod 755 /usr/sbin/policy-rc.d
        made_policy=1
    fi
    local rc=0
    {
        timeout 900 apt-get -o DPkg::Lock::Timeout=600 update -qq &&
        timeout 900 apt-get -o DPkg::Lock::Timeout=600 install -y -qq --no-install-recommends \
            docker.io containerd runc busybox-static >/dev/null
    } || rc=$?
    [ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d
    if [ $rc -ne 0 ] || ! installed; then
        echo "dockerd.sh: installing docker.io failed (apt-get exit $rc)" >&2
        exit 3
    fi
}

# The pid recorded by `start`, if that process is still a dockerd.
daemon_pid() {
    local dir=$1 pid
    [ -f "$dir/dockerd.started.pid" ] || return 1
    pid=$(cat "$dir/dockerd.started.pid")
    [ -n "$pid" ] && [ -r "/proc/$pid/cmdline" ] || return 1
    tr '\0' ' ' < "/proc/$pid/cmdline" | grep -q "^$DOCKERD .*--data-root $dir/root " || return 1
    echo "$pid"
}

cmd_start() {
    local dir=${1:?usage: dockerd.sh start DIR}
    installed || die "docker.io is not installed (run: dockerd.sh install)"
    mkdir -p "$dir"
    dir=$(cd "$dir" && pwd -P)
    daemon_pid "$dir" >/dev/null && die "a dockerd already runs in $dir"
    mkdir -p "$dir/root" "$dir/exec" "$dir/cli" "$dir/logs"
    # A private config file: /etc/docker/daemon.json is ignored, and the libtrust key that
    # 20.10 writes goes here instead of /etc/docker/key.json (it has no flag for that).
    printf '{ "deprecated-key-path": "%s" }\n' "$dir/key.json" > "$dir/daemon.json"
    local sock="$dir/docker.sock"
    setsid "$DOCKERD" \
        --data-root "$dir/root" --exec-root "$dir/exec" --pidfile "$dir/docker.pid" \
        --host "unix://$sock" --storage-driver overlay2 \
        --iptables=false --ip-masq=false --bridge=none --userland-proxy=false \
        --config-file "$dir/daemon.json" \
        </dev/null >"$dir/logs/dockerd.log" 2>&1 &
    local pid=$!
    echo "$pid" > "$dir/dockerd.started.pid"
    # Poll the socket: ready when the daemon answers a ping (bounded; fails early if it died).
    local deadline=$((SECONDS + START_TIMEOUT))
    until DOCKER_HOST="unix://$sock" DOCKER_CONFIG="$dir/cli" "$DOCKER" version --format '{{.Server.Version}}' >/dev/null 2>&1; do
        if ! kill -0 "$pid" 2>/dev/null; then
            echo "dockerd.sh: dockerd exited during start; its log:" >&2
            tail -40 "$dir/logs/dockerd.log" >&2
            exit 1
        fi
        if [ $SECONDS -ge $deadline ]; then
            echo "dockerd.sh: dockerd did not answer on $sock within ${START_TIMEOUT}s; stopping it" >&2
            tail -40 "$dir/logs/dockerd.log" >&2
            cmd_stop "$dir" || true
            exit 1
        fi
        sleep 0.2
    done
    echo "DOCKER_HOST=unix://$sock"
}

# Waits (bounded) until process $1 is gone.
wait_gone() {
    local pid=$1 what=$2
    [ -d "/proc/$pid" ] || return 0
    # tail --pid returns when the process exits; timeout bounds the wait.
    timeout "$STOP_TIMEOUT" tail --pid="$pid" -f /dev/null || true
    if [ -d "/proc/$pid" ] && ! grep -q '^State:.*Z' "/proc/$pid/status" 2>/dev/null; then
        echo "dockerd.sh: $what (pid $pid) did not exit within ${STOP_TIMEOUT}s" >&2
        return 1
    fi
}

cmd_stop() {
    local dir=${1:?usage: dockerd.sh stop DIR} pid cpid=
    [ -d "$dir" ] || return 0
    dir=$(cd "$dir" && pwd -P)
    # The managed containerd it started: wait for it too (dockerd stops it on TERM).
    if [ -f "$dir/exec/containerd/containerd.pid" ]; then
        cpid=$(cat "$dir/exec/containerd/containerd.pid")
        tr '\0' ' ' < "/proc/$cpid/cmdline" 2>/dev/null | grep -q "$dir/exec/containerd" || cpid=
    fi
    if pid=$(daemon_pid "$dir"); then
        kill -TERM "$pid"
        wait_gone "$pid" dockerd
    fi
    [ -n "$cpid" ] && wait_gone "$cpid" containerd
    # Mounts beneath our own dir only (our overlay2 mounts, a shm of a container), deepest first.
    local m left
    for m in $(awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo | sort -r); do
        umount "$m" 2>/dev/null || umount -l "$m" || true
    done
    left=$(awk -v d="$dir/" 'index($5, d) == 1 { print $5 }' /proc/self/mountinfo)
    [ -z "$left" ] || die "still mounted beneath $dir: $left"
    rm -f "$dir/dockerd.started.pid"
}

cmd_rootfs() {
    local tar=${1:?usage: dockerd.sh rootfs TAR}
    [ -x /bin/busybox ] || die "busybox-static is not installed (run: dockerd.sh install)"
    local rfs
    rfs=$(mktemp -d "${TMPDIR:-/tmp}/ovlps-rootfs.XXXXXX")
    mkdir -p "$rfs"/{bin,etc,tmp,root,proc,sys,dev}
    cp /bin/busybox "$rfs/bin/busybox"
    local a
    for a in sh ls cat echo rm mkdir mv cp ln chmod touch sleep true head; do ln -s busybox "$rfs/bin/$a"; done
    chmod 1777 "$rfs/tmp"
    printf 'root:x:0:0:root:/root:/bin/sh\n' > "$rfs/etc/passwd"
    printf 'root:x:0:\n' > "$rfs/etc/group"
    tar --numeric-owner -C "$rfs" -cf "$tar" .
    rm -rf "$rfs"
}

case "${1:-}" in
    install) cmd_install ;;
    start) shift; cmd_start "$@" ;;
    stop) shift; cmd_stop "$@" ;;
    rootfs) shift; cmd_rootfs "$@" ;;
    *) echo "usage: dockerd.sh install | start DIR | stop DIR | rootfs TAR" >&2; exit 2 ;;
esac
