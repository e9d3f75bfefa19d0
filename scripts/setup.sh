#!/usr/bin/env bash
# Installs what Paddock needs on Debian or Ubuntu: system libraries from apt (with sudo when not
# root) and checks for the Swift toolchain. Safe to run again: it installs only what is missing.
set -euo pipefail

# System packages, one per line with what needs it.
APT_PACKAGES=(
    pkg-config      # SwiftPM finds system libraries through it
    zlib1g-dev      # PNG pictures (Imaging)
    python3-dev     # reward functions run in embedded CPython (RewardScript)
    python3-numpy   # importable from reward functions; .npy cross-checks in the tests
    python3-scipy   # importable from reward functions, as in DeepRacer
    python3-shapely # importable from reward functions, as in DeepRacer
    libopenblas-dev # matrix products for the neural networks (NeuralNetwork)
    libdnnl-dev     # oneDNN: the networks' convolutions (NeuralNetwork); 2.x on Debian 12, 3.x on Ubuntu 24.04
    python3-venv    # a virtual environment for the PyPI tools the tests check against (deepracer-utils)
    libsdl2-dev     # the desktop app's window, drawing and keyboard (App)
    libsdl2-ttf-dev # the app's text
    fonts-dejavu-core # the app's font (DejaVu Sans)
    libcmark-dev    # lessons are Markdown (Lessons)
    libcurl4-openssl-dev # the car's device console over HTTPS (CarExport)
    openssl         # the tests' stand-in car makes its self-signed certificate
)

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }

if ! command -v apt-get >/dev/null 2>&1; then
    say "This set-up script needs apt (Debian or Ubuntu). Install these packages with your system's"
    say "package manager, then run the command again: ${APT_PACKAGES[*]} chromium"
    exit 1
fi

installed() { dpkg-query -W -f='${Status}' "$1" 2>/dev/null | grep -q "install ok installed"; }

SUDO=()
if [ "$(id -u)" -ne 0 ] && command -v sudo >/dev/null 2>&1; then SUDO=(sudo); fi

# A headless browser, for the leaderboard page's test (Workshop): Debian 12 has the small
# chromium-headless-shell package; Ubuntu (and older Debian) does not, so there the full chromium,
# which the test runs with --headless. One already installed will do.
if installed chromium-headless-shell; then
    APT_PACKAGES+=(chromium-headless-shell)
elif installed chromium; then
    APT_PACKAGES+=(chromium)
else
    # A fresh system's apt knows no packages until its lists are fetched.
    if ! apt-cache show chromium-headless-shell >/dev/null 2>&1 && ! apt-cache show chromium >/dev/null 2>&1; then
        "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq || true
    fi
    if apt-cache show chromium-headless-shell >/dev/null 2>&1; then
        APT_PACKAGES+=(chromium-headless-shell)
    else
        APT_PACKAGES+=(chromium)
    fi
fi

missing=()
for package in "${APT_PACKAGES[@]}"; do
    if ! installed "$package"; then
        missing+=("$package")
    fi
done

if ((${#missing[@]})); then
    if [ "$(id -u)" -ne 0 ] && ((${#SUDO[@]} == 0)); then
        say "Installing ${missing[*]} needs root, and sudo is not installed. Run this script as root."
        exit 1
    fi
    say "Installing system packages: ${missing[*]}"
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get update -qq
    "${SUDO[@]}" env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
else
    say "System packages present."
fi

if ! command -v swift >/dev/null 2>&1; then
    for candidate in /opt/swift/usr/bin /usr/share/swift/usr/bin "$HOME/.local/share/swiftly/bin"; do
        if [ -x "$candidate/swift" ]; then export PATH="$candidate:$PATH"; fi
    done
fi
if ! command -v swift >/dev/null 2>&1; then
    say "The Swift toolchain (6.0 or newer) is not installed. Install it from swift.org"
    say "(for example with swiftly: https://www.swift.org/install/linux/), then run this command again."
    exit 1
fi
say "$(swift --version 2>&1 | head -n 1)"

# Build against Debian's Python (python3-dev), even when another Python (pyenv, conda) comes first
# on PATH or in PKG_CONFIG_PATH: reward functions run in the system interpreter with apt's numpy.
multiarch="$(gcc -dumpmachine 2>/dev/null || echo x86_64-linux-gnu)"
export PKG_CONFIG_PATH="/usr/lib/$multiarch/pkgconfig:/usr/share/pkgconfig${PKG_CONFIG_PATH:+:$PKG_CONFIG_PATH}"
