#!/usr/bin/env bash
# The two commands of README.md:
#   ./feiyi.sh start   install what is missing, build, and start the desktop app
#   ./feiyi.sh test    install what is missing, build, and run the whole test suite
# and the performance suite (issue 8; never part of `test`):
#   ./feiyi.sh bench [--items 1000,100000] [--quick] [--no-media] [--no-big-file] [--delete-big-file] [--no-exchange] [--no-cold-start]
# Safe to run again: each step only does what is not done yet.
set -euo pipefail
cd "$(dirname "$0")"
ROOT=$PWD

# Cargo's build output lives outside the clone so that a fresh clone (and CI) reuses it.
export CARGO_TARGET_DIR="${CARGO_TARGET_DIR:-${XDG_CACHE_HOME:-$HOME/.cache}/feiyi/target}"
# Debug builds without debug info: half the disk, a fraction of the binary size.
export CARGO_PROFILE_DEV_DEBUG=0
export CARGO_TERM_COLOR="${CARGO_TERM_COLOR:-never}"

say() { printf '\n==> %s\n' "$*"; }

as_root() {
  if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi
}

# System packages: what Tauri needs to build and run, and (for tests) the virtual screen,
# WebDriver, screenshots and a CJK font — without one, Chinese text is not drawn at all.
ensure_packages() {
  local wanted=(pkg-config libwebkit2gtk-4.1-dev fonts-noto-cjk curl ca-certificates build-essential)
  if [ "${1:-}" = test ] || [ "${1:-}" = bench ]; then
    wanted+=(xvfb xauth webkit2gtk-driver imagemagick)
  fi
  # The bench compares the PDF export with LibreOffice converting the same DOCX.
  if [ "${1:-}" = bench ]; then
    wanted+=(libreoffice-writer-nogui)
  fi
  command -v node >/dev/null 2>&1 || wanted+=(nodejs npm)
  local missing=()
  for p in "${wanted[@]}"; do
    dpkg-query -W -f='${Status}' "$p" 2>/dev/null | grep -q "install ok installed" || missing+=("$p")
  done
  if [ ${#missing[@]} -gt 0 ]; then
    say "安装系统软件包：${missing[*]}"
    as_root apt-get update -qq
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${missing[@]}"
  fi
  if ! command -v cargo >/dev/null 2>&1; then
    echo "需要 Rust 工具链（cargo）。请先安装 rustup：https://rustup.rs ，然后重新运行。" >&2
    exit 2
  fi
  local major
  major=$(node -p 'process.versions.node.split(".")[0]')
  if [ "$major" -lt 20 ]; then
    echo "需要 Node.js 20 或更新版本（当前 $(node --version)）。" >&2
    exit 2
  fi
}

ensure_ui_packages() {
  local stamp="ui/node_modules/.feiyi-lock-hash"
  local hash
  hash=$(sha256sum ui/package-lock.json | cut -d' ' -f1)
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$hash" ]; then
    say "安装前端依赖（npm ci）"
    (cd ui && npm ci --no-audit --no-fund --loglevel=error)
    echo "$hash" > "$stamp"
  fi
}

build_app() {
  say "构建前端"
  (cd ui && npm run --silent build)
  say "构建桌面程序"
  cargo build -p feiyi-desktop -p feiyi-cli --features feiyi-desktop/custom-protocol
}

ensure_tauri_driver() {
  if ! command -v tauri-driver >/dev/null 2>&1 && [ ! -x "$HOME/.cargo/bin/tauri-driver" ]; then
    say "安装 tauri-driver"
    cargo install tauri-driver --version '^2' --locked
  fi
  export PATH="$HOME/.cargo/bin:$PATH"
}

start() {
  ensure_packages start
  ensure_ui_packages
  build_app
  say "启动非遗名录（数据文件夹：${FEIYI_DATA_DIR:-系统应用数据目录}）"
  exec "$CARGO_TARGET_DIR/debug/feiyi-desktop"
}

run_tests() {
  ensure_packages test
  ensure_ui_packages
  ensure_tauri_driver
  # The UI is built first: the desktop crate embeds ui/dist at compile time, so clippy
  # cannot even check it on a fresh clone before the build exists.
  say "前端测试（Vitest）与类型检查、构建"
  (cd ui && npm test --silent && npm run --silent build)
  say "格式与静态检查（rustfmt, clippy）"
  cargo fmt --all -- --check
  cargo clippy --workspace --all-targets --features feiyi-desktop/custom-protocol -- -D warnings
  # The test build also produces the desktop binary (src-tauri has an integration test),
  # with the UI just built embedded: one build of Tauri serves both the tests and the journeys.
  say "Rust 测试（核心、命令行、桌面外壳）"
  cargo test --workspace --features feiyi-desktop/custom-protocol
  say "真实窗口测试（Xvfb + tauri-driver + WebKitWebDriver）"
  FEIYI_APP="$CARGO_TARGET_DIR/debug/feiyi-desktop" E2E_ARTIFACTS="$ROOT/tests/e2e/artifacts" \
    timeout 900 xvfb-run -a -s "-screen 0 1280x800x24" node --test --test-concurrency=1 tests/e2e/
  say "全部测试通过"
}

# The scale benchmark (crates/core/benches/scale.rs), release build: registries of 1,000 and
# 100,000 synthetic items (cached in ~/.cache/feiyi/bench), media, hashing, PDF; results in
# bench/results-<date>.md and bench/latest.md. ImageMagick and LibreOffice (installed here
# with the test packages) are compared; the bench notes either one missing and goes on.
# Cold start needs the release desktop app with the UI embedded: built here, and started
# by the bench under xvfb-run (--no-cold-start skips it).
run_bench() {
  local cold=1 a
  for a in "$@"; do [ "$a" = --no-cold-start ] && cold=0; done
  ensure_packages bench
  if [ "$cold" = 1 ]; then
    ensure_ui_packages
    say "构建发布版桌面程序（用于测冷启动）"
    (cd ui && npm run --silent build)
    cargo build --release -p feiyi-desktop --features custom-protocol
    export FEIYI_DESKTOP_BIN="$CARGO_TARGET_DIR/release/feiyi-desktop"
  fi
  say "性能测试（发布版构建；结果写入 bench/latest.md）"
  cargo bench -p feiyi-core --bench scale -- "$@"
}

case "${1:-}" in
  start) start ;;
  test) run_tests ;;
  bench) shift; run_bench "$@" ;;
  *)
    echo "用法：./feiyi.sh start   （安装缺少的软件、构建并启动程序）"
    echo "      ./feiyi.sh test    （安装缺少的软件、构建并运行全部测试）"
    echo "      ./feiyi.sh bench [--items 1000,100000] [--quick]   （性能测试，结果写入 bench/）"
    exit 2
    ;;
esac
