#!/usr/bin/env bash
# Runs every test project of the solution. The PostgreSQL journal tests start their own server
# (Debian's postgresql 15 binaries, as the postgres user when run as root) on a free port of
# 127.0.0.1, or use CROSSMARGIN_TEST_POSTGRES if it names a server.
set -euo pipefail
cd "$(dirname "$0")"
dotnet test CrossMarginActors.sln -c Release --nologo "$@"
