#!/usr/bin/env bash
# Installs Debian's OpenSSH server and client when missing, for the remoting test (which starts
# its own sshd on 127.0.0.1 with throwaway keys; the system's ssh service is never started or
# configured). CI starts from a machine with only the .NET SDK, so the test calls this itself.
set -euo pipefail
if [ -x /usr/sbin/sshd ] && command -v ssh >/dev/null && command -v ssh-keygen >/dev/null; then
    exit 0
fi
if [ "$(id -u)" != 0 ]; then
    echo "openssh-server is not installed and installing it needs root" >&2
    exit 1
fi
export DEBIAN_FRONTEND=noninteractive
# No service start during the install: the package's postinst would otherwise start the system
# sshd on port 22 where no policy-rc.d forbids it (Debian's docker images ship one; a bare
# machine may not). The file is ours only if we made it.
made_policy=
if [ ! -e /usr/sbin/policy-rc.d ]; then
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d
    chmod 755 /usr/sbin/policy-rc.d
    made_policy=1
fi
trap '[ -n "$made_policy" ] && rm -f /usr/sbin/policy-rc.d' EXIT
timeout 600 apt-get update -qq
timeout 600 apt-get install -y -qq --no-install-recommends openssh-server openssh-client >/dev/null
